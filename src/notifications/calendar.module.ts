import { Module } from '@nestjs/common';
import { CalendarController } from './calendar.controller';
import { CalendarFeedService } from './calendar-feed.service';

/** The calendar feed and its secret links. */
@Module({ controllers: [CalendarController], providers: [CalendarFeedService] })
export class CalendarModule {}

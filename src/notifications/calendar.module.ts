import { Module } from '@nestjs/common';
import { AgreementTablesModule } from '@app/agreements/agreement-tables.module';
import { CalendarController } from './calendar.controller';
import { CalendarFeedService } from './calendar-feed.service';

/** The calendar feed and its secret links. */
@Module({ imports: [AgreementTablesModule], controllers: [CalendarController], providers: [CalendarFeedService], exports: [CalendarFeedService] })
export class CalendarModule {}

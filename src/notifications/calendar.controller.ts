import { Controller, Delete, Get, Header, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@app/audit/actor';
import { CurrentActor } from '@app/auth/current-actor.decorator';
import { CalendarFeedService, type IssuedCalendarToken } from './calendar-feed.service';
import { Idempotent } from '@app/idempotency/idempotent.decorator';
import { fileContent } from '@app/common/view-properties';
import { IssuedCalendarTokenView } from './dto/notification-view.dto';

@ApiTags('kalender')
@Controller()
export class CalendarController {
  constructor(private readonly feeds: CalendarFeedService) {}

  @Get('calendar.ics')
  @Header('Content-Type', 'text/calendar; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  @ApiProduces('text/calendar')
  @ApiOperation({ summary: 'Kalenderflöde (iCalendar) med alla kommande datum; okänd eller återkallad token ger 404' })
  @ApiOkResponse({ description: 'Kalenderflödet (iCalendar).', content: fileContent('text/calendar') })
  feed(@Query('token') token?: string): Promise<string> {
    return this.feeds.feed(token);
  }

  @Post('people/:id/calendar-token')
  @Idempotent({ storeBody: false })
  @ApiOperation({ summary: 'Skapar en hemlig kalenderlänk (visas en gång); tidigare länkar slutar gälla' })
  @ApiCreatedResponse({ type: IssuedCalendarTokenView })
  issue(@Param('id', ParseUUIDPipe) id: string, @CurrentActor() actor: Actor): Promise<IssuedCalendarToken> {
    return this.feeds.issue(id, actor);
  }

  @Delete('people/:id/calendar-token')
  @HttpCode(204)
  @ApiOperation({ summary: 'Återkallar personens kalenderlänk' })
  async revoke(@Param('id', ParseUUIDPipe) id: string, @CurrentActor() actor: Actor): Promise<void> {
    await this.feeds.revoke(id, actor);
  }
}

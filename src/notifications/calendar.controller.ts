import { Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
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
  @ApiProduces('text/calendar')
  @ApiOperation({ summary: 'Kalenderflöde (iCalendar) med datumen 3 månader bakåt och 18 framåt; okänd eller återkallad token ger 404; If-None-Match ger 304 när inget har ändrats' })
  @ApiOkResponse({ description: 'Kalenderflödet (iCalendar).', content: fileContent('text/calendar') })
  async feed(@Query('token') token: string | undefined, @Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<string | undefined> {
    const { body, etag } = await this.feeds.feed(token);
    // Personal, so never stored by a cache (no-store, as every personal answer); a calendar program that sends the ETag back still gets 304.
    response.setHeader('Cache-Control', 'no-store');
    response.setHeader('ETag', etag);
    const asked = request.headers['if-none-match'];
    if (typeof asked === 'string' && asked.split(',').some((tag) => tag.trim() === etag || tag.trim() === '*')) {
      response.status(304);
      return undefined;
    }
    response.setHeader('Content-Type', 'text/calendar; charset=utf-8');
    return body;
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

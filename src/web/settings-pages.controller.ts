import { Body, Controller, Get, Header, Param, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { Actor } from '@app/audit/actor';
import { CurrentAuth } from '@app/auth/current-actor.decorator';
import type { RequestAuth } from '@app/auth/request-auth';
import { readCookie } from '@app/auth/secrets';
import type { PageQuery } from '@app/common/paged-query.decorator';
import { pageRequestOf } from '@app/common/paging';
import { AppConfig } from '@app/config/app-config';
import { IdempotencyService } from '@app/idempotency/idempotency.service';
import { CalendarFeedService } from '@app/notifications/calendar-feed.service';
import { isNoticeKind, NoticePreferencesService } from '@app/notifications/notice-preferences.service';
import { mayReadAllMail, NotificationsService } from '@app/notifications/notifications.service';
import { SETTINGS_PATH } from '@app/notifications/page-links';
import { NOTICE_KINDS } from '@workflows/agreement/notices';
import { signedInActor } from './access';
import { type FormBody } from './form-input';
import { postForm } from './form-post';
import { FormState } from './forms';
import type { Flash } from './layout';
import { mailboxPage, messagePage } from './views/mailbox.view';
import { settingsPage } from './views/settings.view';
import { WebExceptionFilter } from './web-exception.filter';

/** The link just made travels to the page after the redirect in this cookie, for a few minutes, to that page alone. */
const NEW_CALENDAR_COOKIE = 'iop_ny_kalenderlank';
const NEW_CALENDAR_MAX_AGE_MS = 5 * 60_000;

const DONE: Record<string, Flash> = {
  meddelanden: { kind: 'success', text: 'Dina val av e-post är sparade.' },
  'kalender-skapad': { kind: 'success', text: 'Kalenderlänken är skapad. En tidigare länk slutar gälla.' },
  'kalender-aterkallad': { kind: 'success', text: 'Kalenderlänken är återkallad och slutar fungera nu.' },
};

/** A person's own settings (notices by e-mail, the calendar link) and the mailbox: POST, redirect, GET. */
@ApiExcludeController()
@UseFilters(WebExceptionFilter)
@Controller()
export class SettingsPagesController {
  constructor(
    private readonly config: AppConfig,
    private readonly preferences: NoticePreferencesService,
    private readonly calendar: CalendarFeedService,
    private readonly notifications: NotificationsService,
    private readonly once: IdempotencyService,
  ) {}

  @Get('mina-installningar')
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  async show(@CurrentAuth() auth: RequestAuth, @Query('klart') done: unknown, @Req() req: Request): Promise<string> {
    const actor = signedInActor(auth);
    const personId = actor.personId as string;
    const [preferences, calendarSince, newFeedUrl] = await Promise.all([
      this.preferences.get(actor),
      this.calendar.activeSince(personId, actor),
      this.calendar.feedUrlIfActive(personId, readCookie(req.headers.cookie, NEW_CALENDAR_COOKIE)),
    ]);
    return settingsPage({ actor, preferences, calendarSince, newFeedUrl, flash: typeof done === 'string' ? (DONE[done] ?? null) : null, calendarForm: new FormState() });
  }

  @Post('mina-installningar/meddelanden')
  async saveNotices(@Body() body: FormBody, @CurrentAuth() auth: RequestAuth, @Res() res: Response): Promise<void> {
    const actor = signedInActor(auth);
    const raw = body.email;
    const on = new Set((raw === undefined ? [] : Array.isArray(raw) ? raw : [raw]).filter(isNoticeKind));
    await this.preferences.setOff(actor, NOTICE_KINDS.filter((k) => !on.has(k)));
    res.redirect(303, `${SETTINGS_PATH}?klart=meddelanden`);
  }

  @Post('mina-installningar/kalenderlank')
  async issueCalendarLink(@Body() body: FormBody, @CurrentAuth() auth: RequestAuth, @Res() res: Response): Promise<void> {
    const actor = signedInActor(auth);
    const done = `${SETTINGS_PATH}?klart=kalender-skapad#rubrik-kalender`;
    // The form's one-time token: a double submit or a reload makes one link, not two (the second finds the first's page).
    await postForm(res, this.once, {
      actor,
      body,
      path: `${SETTINGS_PATH}/kalenderlank`,
      run: async () => {
        const issued = await this.calendar.issue(actor.personId as string, actor);
        res.cookie(NEW_CALENDAR_COOKIE, issued.token, { httpOnly: true, sameSite: 'strict', secure: this.config.secureCookies, path: SETTINGS_PATH, maxAge: NEW_CALENDAR_MAX_AGE_MS });
        return done;
      },
      locationOf: () => done,
    });
  }

  @Post('mina-installningar/kalenderlank/aterkalla')
  async revokeCalendarLink(@CurrentAuth() auth: RequestAuth, @Res() res: Response): Promise<void> {
    const actor = signedInActor(auth);
    await this.calendar.revoke(actor.personId as string, actor);
    res.clearCookie(NEW_CALENDAR_COOKIE, { httpOnly: true, sameSite: 'strict', secure: this.config.secureCookies, path: SETTINGS_PATH });
    res.redirect(303, `${SETTINGS_PATH}?klart=kalender-aterkallad#rubrik-kalender`);
  }

  @Get('brevlada')
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  async mailbox(@CurrentAuth() auth: RequestAuth, @Query() query: PageQuery, @Req() req: Request): Promise<string> {
    const actor = signedInActor(auth);
    const request = pageRequestOf(query, 1);
    const messages = await this.notifications.messagesFor(actor, request);
    return mailboxPage({ actor, messages: messages.items, all: mayReadAllMail(actor), mode: this.notifications.mode, path: req.originalUrl, next: messages.next, onLaterPage: request.after !== null });
  }

  @Get('brevlada/:id')
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  async message(@Param('id') id: string, @CurrentAuth() auth: RequestAuth): Promise<string> {
    const actor: Actor = signedInActor(auth);
    return messagePage({ actor, ...(await this.notifications.messageFor(actor, id)) });
  }
}


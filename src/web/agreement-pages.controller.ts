import { PAGE_SIZE } from '@app/common/paging';
import { Body, Controller, Get, Header, NotFoundException, Param, ParseUUIDPipe, Post, Query, Res, StreamableFile, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { AgreementsService } from '@app/agreements/agreements.service';
import { SendEventDto } from '@app/agreements/dto/send-event.dto';
import { historyCsvFile } from '@app/audit/audit.controller';
import type { Actor } from '@app/audit/actor';
import { CurrentAuth } from '@app/auth/current-actor.decorator';
import type { RequestAuth } from '@app/auth/request-auth';
import { DomainError } from '@app/common/domain-error';
import { FollowUpService } from '@app/follow-up/follow-up.service';
import { NotificationsService } from '@app/notifications/notifications.service';
import { signedInActor } from './access';
import { FormState } from './forms';
import { sendEventBody, validated, type FormBody } from './form-input';
import type { Flash } from './layout';
import { agreementPage, eventLabelOf } from './views/agreement.view';
import { agreementPath } from './views/common';
import { eventPage } from './views/event.view';
import { WebExceptionFilter } from './web-exception.filter';
import { WebReadService } from './web-read.service';

const uuid = new ParseUUIDPipe({ exceptionFactory: () => new NotFoundException('Överenskommelsen finns inte.') });

const FAILURES: Record<string, string> = {
  stale_version: 'Överenskommelsen har ändrats sedan du öppnade sidan. Läs igenom den och försök igen.',
  event_not_allowed: 'Det går inte att göra det i överenskommelsens nuvarande läge, eller så är det redan gjort.',
  conflict: 'Överenskommelsen ändrades samtidigt av någon annan. Försök igen.',
};

/** The flash after a redirect: `utfort=SIGN` or `fel=stale_version` (fixed texts, nothing echoed). */
export function flashOf(query: Record<string, unknown>): Flash | null {
  if (typeof query.utfort === 'string' && /^[A-Z_]{3,40}$/.test(query.utfort)) return { kind: 'success', text: `Klart, och sparat i historiken: ${eventLabelOf(query.utfort)}.` };
  if (typeof query.fel === 'string' && FAILURES[query.fel]) return { kind: 'error', text: FAILURES[query.fel] };
  return null;
}

/** An agreement's page, the pages for its actions, and the one route every action posts to. */
@ApiExcludeController()
@UseFilters(WebExceptionFilter)
@Controller('overenskommelser')
export class AgreementPagesController {
  constructor(
    private readonly agreements: AgreementsService,
    private readonly read: WebReadService,
    private readonly notifications: NotificationsService,
    private readonly followUp: FollowUpService,
  ) {}

  @Get(':id')
  @Header('Content-Type', 'text/html; charset=utf-8')
  async show(@Param('id', uuid) id: string, @CurrentAuth() auth: RequestAuth, @Query() query: Record<string, unknown>): Promise<string> {
    const actor = signedInActor(auth);
    const agreement = await this.agreements.get(id, actor);
    const [economics, allowed, history, reminders, followUp] = await Promise.all([
      this.agreements.economics(id, actor),
      this.agreements.allowedEvents(id, actor),
      this.read.history(id),
      // The newest messages, a page of the largest size.
      this.notifications.forAgreement(id, { limit: PAGE_SIZE.max, after: null }, true),
      this.followUp.get(id, actor),
    ]);
    return agreementPage({ actor, agreement, years: economics.years, allowed, history, reminders: reminders.items, followUp, flash: flashOf(query) });
  }

  @Get(':id/historik.csv')
  @Header('Content-Type', 'text/csv; charset=utf-8')
  async historyCsv(@Param('id', uuid) id: string, @CurrentAuth() auth: RequestAuth, @Res({ passthrough: true }) res: Response): Promise<StreamableFile> {
    const agreement = await this.agreements.get(id, signedInActor(auth));
    res.setHeader('Content-Disposition', `attachment; filename="historik-${agreement.id}.csv"`);
    return historyCsvFile(this.read.historyBatches(id));
  }

  @Get(':id/handelser/:type')
  async eventForm(@Param('id', uuid) id: string, @Param('type') type: string, @CurrentAuth() auth: RequestAuth, @Res() res: Response): Promise<void> {
    const actor = signedInActor(auth);
    const page = await this.eventPage(id, type, actor, new FormState());
    if (page === null) return res.redirect(303, `${agreementPath(id)}?fel=event_not_allowed`);
    res.type('html').send(page);
  }

  @Post(':id/handelser')
  async send(@Param('id', uuid) id: string, @Body() body: FormBody, @CurrentAuth() auth: RequestAuth, @Res() res: Response): Promise<void> {
    const actor = signedInActor(auth);
    const input = sendEventBody(body);
    try {
      const dto = await validated(SendEventDto, input);
      await this.agreements.sendEvent(id, dto, actor);
      res.redirect(303, `${agreementPath(id)}?utfort=${dto.type}`);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      if (error.code === 'validation_failed') {
        const problems = (error.details.problems as Array<{ field: string; message: string }> | undefined) ?? [];
        const page = await this.eventPage(id, String(input.type), actor, new FormState(body, problems));
        if (page !== null) return void res.status(400).type('html').send(page);
      }
      if (error.code in FAILURES || error.code === 'validation_failed') return res.redirect(303, `${agreementPath(id)}?fel=${error.code in FAILURES ? error.code : 'event_not_allowed'}`);
      throw error;
    }
  }

  /** The page for one action the person may take now, or null when they may not (any more). */
  private async eventPage(id: string, type: string, actor: Actor, form: FormState): Promise<string | null> {
    const agreement = await this.agreements.get(id, actor);
    const allowed = await this.agreements.allowedEvents(id, actor);
    const event = allowed.events.find((e) => e.type === type && !e.endpoint);
    return event ? eventPage({ actor, agreement, event, form }) : null;
  }
}

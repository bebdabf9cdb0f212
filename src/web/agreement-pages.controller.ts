import { PAGE_SIZE } from '@app/common/paging';
import { Body, Controller, Get, Header, NotFoundException, Param, ParseUUIDPipe, Post, Query, Res, StreamableFile, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { AgreementsService, type AgreementView } from '@app/agreements/agreements.service';
import { ReminderPolicyDto } from '@app/agreements/dto/reminder-policy.dto';
import { SendEventDto } from '@app/agreements/dto/send-event.dto';
import type { Actor } from '@app/audit/actor';
import { CurrentAuth } from '@app/auth/current-actor.decorator';
import type { RequestAuth } from '@app/auth/request-auth';
import { ClockService } from '@app/clock/clock.service';
import { DomainError } from '@app/common/domain-error';
import { FollowUpService } from '@app/follow-up/follow-up.service';
import { IdempotencyService } from '@app/idempotency/idempotency.service';
import { NotificationsService } from '@app/notifications/notifications.service';
import type { ExtensionDecision, PartyAct } from '@workflows/agreement/types';
import { signedInActor } from './access';
import { FormState } from './forms';
import { sendEventBody, validated, type FormBody } from './form-input';
import { postForm } from './form-post';
import { attachment, historyCsvForPeople, historyFileName } from './history-csv';
import type { Flash } from './layout';
import { agreementPage, eventLabelOf, REMINDER_POLICY_PATH } from './views/agreement.view';
import { agreementPath } from './views/common';
import { eventPage } from './views/event.view';
import { documentsList } from './views/document.view';
import { parseOffsets, reminderPolicyPage, reminderPolicyValues } from './views/reminder-policy.view';
import { errorPage, WebExceptionFilter } from './web-exception.filter';
import { WebReadService } from './web-read.service';
import { SessionsService } from '@app/auth/sessions.service';
import { signInMethodOf } from '@app/auth/sign-in-method';
import { DocumentsService, STALE_DOCUMENT_MESSAGE } from '@app/documents/documents.service';

const uuid = new ParseUUIDPipe({ exceptionFactory: () => new NotFoundException('Överenskommelsen finns inte.') });

const FAILURES: Record<string, string> = {
  stale_version: 'Överenskommelsen har ändrats sedan du öppnade sidan. Läs igenom den och försök igen.',
  event_not_allowed: 'Det går inte att göra det i överenskommelsens nuvarande läge, eller så är det redan gjort.',
  conflict: 'Överenskommelsen ändrades samtidigt av någon annan. Försök igen.',
  document_changed: STALE_DOCUMENT_MESSAGE,
};

/** A party's act that is already recorded: the words when the same person does it again (Back and sign once more). */
const ALREADY_DONE: Record<string, string> = {
  SIGN: 'Er underskrift är redan registrerad. Du behöver inte signera igen.',
  CONSENT_TO_EXTENSION: 'Ert samtycke till förlängningen är redan registrerat. Du behöver inte samtycka igen.',
  CONSENT_TO_TERMINATION: 'Ert samtycke till hävningen är redan registrerat. Du behöver inte samtycka igen.',
  AGREE_TO_AMENDMENT: 'Ert godkännande av tillägget är redan registrerat. Du behöver inte godkänna igen.',
};

/** The flash after a redirect: `utfort=SIGN`, `redan=SIGN` or `fel=stale_version` (fixed texts, nothing echoed). */
export function flashOf(query: Record<string, unknown>): Flash | null {
  if (typeof query.utfort === 'string' && /^[A-Z_]{3,40}$/.test(query.utfort)) return { kind: 'success', text: `Klart, och sparat i historiken: ${eventLabelOf(query.utfort)}.` };
  if (typeof query.redan === 'string' && ALREADY_DONE[query.redan]) return { kind: 'success', text: ALREADY_DONE[query.redan] };
  if (typeof query.fel === 'string' && FAILURES[query.fel]) return { kind: 'error', text: FAILURES[query.fel] };
  return null;
}

/** The acts of this kind the agreement has recorded, per party. */
function actsOf(a: AgreementView, type: string): PartyAct[] {
  const l = a.lifecycle as { signatures?: PartyAct[]; decision?: ExtensionDecision | null; pastDecisions?: ExtensionDecision[]; terminationConsents?: PartyAct[] };
  switch (type) {
    case 'SIGN':
      return l.signatures ?? [];
    case 'CONSENT_TO_EXTENSION':
      // After the last consent the decision is a past one: the agreement was renewed.
      return l.decision?.consents ?? l.pastDecisions?.at(-1)?.consents ?? [];
    case 'CONSENT_TO_TERMINATION':
      return l.terminationConsents ?? [];
    case 'AGREE_TO_AMENDMENT':
      return a.pendingAmendment?.agreements ?? a.termsVersions.at(-1)?.agreedBy ?? [];
    default:
      return [];
  }
}

/** Whether the party this person acts for has already done this (so a repeat is no error). */
function alreadyDone(a: AgreementView, type: string, organisationId: string | null | undefined): boolean {
  return Boolean(ALREADY_DONE[type] && organisationId && actsOf(a, type).some((x) => x.organisationId === organisationId));
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
    private readonly clock: ClockService,
    private readonly once: IdempotencyService,
    private readonly documents: DocumentsService,
    private readonly sessions: SessionsService,
  ) {}

  @Get(':id')
  @Header('Content-Type', 'text/html; charset=utf-8')
  async show(@Param('id', uuid) id: string, @CurrentAuth() auth: RequestAuth, @Query() query: Record<string, unknown>): Promise<string> {
    const actor = signedInActor(auth);
    const agreement = await this.agreements.get(id, actor);
    const [economics, allowed, history, reminders, followUp, dates, documents] = await Promise.all([
      this.agreements.economics(id, actor),
      this.agreements.allowedEvents(id, actor),
      this.read.history(id),
      // The newest messages, a page of the largest size.
      this.notifications.forAgreement(id, { limit: PAGE_SIZE.max, after: null }, true),
      this.followUp.get(id, actor),
      this.read.agreementDates(id),
      this.documents.list(agreement),
    ]);
    if (!dates) throw new NotFoundException('Överenskommelsen finns inte.');
    return agreementPage({
      actor,
      agreement,
      years: economics.years,
      allowed,
      history,
      reminders: reminders.items,
      followUp,
      keyDates: dates.keyDates,
      reminderPolicy: dates.reminderPolicy,
      mayChangeReminders: actor.roles.includes('secretariat'),
      flash: flashOf(query),
      documents: documentsList(documents),
    });
  }

  /** The history for people: semicolons, BOM, Swedish words and time, named after the agreement. */
  @Get(':id/historik.csv')
  @Header('Content-Type', 'text/csv; charset=utf-8')
  async historyCsv(@Param('id', uuid) id: string, @CurrentAuth() auth: RequestAuth, @Res({ passthrough: true }) res: Response): Promise<StreamableFile> {
    const agreement = await this.agreements.get(id, signedInActor(auth));
    res.setHeader('Content-Disposition', attachment(historyFileName(agreement)));
    return historyCsvForPeople(this.read.historyBatches(id));
  }

  @Get(':id/handelser/:type')
  async eventForm(@Param('id', uuid) id: string, @Param('type') type: string, @CurrentAuth() auth: RequestAuth, @Res() res: Response): Promise<void> {
    const actor = signedInActor(auth);
    const page = await this.eventPage(id, type, actor, new FormState());
    if (page === null) return res.redirect(303, await this.notAllowedTarget(id, type, actor, actor.organisationId));
    res.type('html').send(page);
  }

  @Post(':id/handelser')
  async send(@Param('id', uuid) id: string, @Body() body: FormBody, @CurrentAuth() auth: RequestAuth, @Res() res: Response): Promise<void> {
    const actor = signedInActor(auth);
    const input = sendEventBody(body);
    try {
      const dto = await validated(SendEventDto, input);
      await this.agreements.sendEvent(id, dto, actor, await signInMethodOf(auth, this.sessions));
      res.redirect(303, `${agreementPath(id)}?utfort=${dto.type}`);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      const type = String(input.type);
      if (error.code === 'validation_failed') {
        const problems = (error.details.problems as Array<{ field: string; message: string }> | undefined) ?? [];
        const page = await this.eventPage(id, type, actor, new FormState(body, problems), true);
        if (page !== null) return void res.status(400).type('html').send(page);
      }
      // A signature for a document that is no longer the one out for signing says so (DocumentsService).
      const code = error.code === 'conflict' && 'documentHash' in error.details ? 'document_changed' : error.code;
      if (code in FAILURES || error.code === 'validation_failed') {
        return res.redirect(303, await this.notAllowedTarget(id, type, actor, typeof input.organisationId === 'string' ? input.organisationId : actor.organisationId, code in FAILURES ? code : 'event_not_allowed'));
      }
      throw error;
    }
  }

  /** When people are reminded about the agreement: the form (the secretariat's, as the API's rules say). */
  @Get(':id/paminnelser')
  async reminderPolicyForm(@Param('id', uuid) id: string, @CurrentAuth() auth: RequestAuth, @Res() res: Response): Promise<void> {
    const actor = signedInActor(auth);
    const agreement = await this.agreements.get(id, actor);
    if (!actor.roles.includes('secretariat')) return void res.status(403).type('html').send(errorPage('Du har inte behörighet till den här sidan', 'Det är nämndkansliet som ändrar när påminnelser skickas.', actor));
    const dates = await this.read.agreementDates(id);
    res.type('html').send(reminderPolicyPage({ actor, agreement, form: new FormState(reminderPolicyValues(dates?.reminderPolicy ?? null)) }));
  }

  /** POST-redirect-GET through the API's own service and rules; a one-time form token makes a reload or double click harmless. */
  @Post(':id/paminnelser')
  async setReminderPolicy(@Param('id', uuid) id: string, @Body() body: FormBody, @CurrentAuth() auth: RequestAuth, @Res() res: Response): Promise<void> {
    const actor = signedInActor(auth);
    const agreement = await this.agreements.get(id, actor);
    const done = `${agreementPath(id)}?utfort=SET_REMINDER_POLICY#rubrik-paminnelsepolicy`;
    const { input, problems } = parseOffsets(body);
    if (problems.length > 0) return void res.status(400).type('html').send(reminderPolicyPage({ actor, agreement, form: new FormState(body, problems), afterPost: true }));
    await postForm(res, this.once, {
      actor,
      body,
      path: `${agreementPath(id)}${REMINDER_POLICY_PATH}`,
      run: async () => {
        await this.agreements.setReminderPolicy(id, await validated(ReminderPolicyDto, input), actor);
        return done;
      },
      locationOf: () => done,
      rerender: (problems) => reminderPolicyPage({ actor, agreement, form: new FormState(body, problems), afterPost: true }),
    });
  }

  /** Where a refused or no longer possible action leads: "already recorded" when this party did it before, else the agreement with the reason. */
  private async notAllowedTarget(id: string, type: string, actor: Actor, organisationId: string | null | undefined, code = 'event_not_allowed'): Promise<string> {
    const agreement = await this.agreements.get(id, actor);
    if (alreadyDone(agreement, type, organisationId)) return `${agreementPath(id)}?redan=${type}`;
    return `${agreementPath(id)}?fel=${code}`;
  }

  /** The page for one action the person may take now, or null when they may not (any more). */
  private async eventPage(id: string, type: string, actor: Actor, form: FormState, afterPost = false): Promise<string | null> {
    const agreement = await this.agreements.get(id, actor);
    const [allowed, dates] = await Promise.all([this.agreements.allowedEvents(id, actor), this.read.agreementDates(id)]);
    const event = allowed.events.find((e) => e.type === type && !e.endpoint);
    // The signing page shows the document out for signing, and the signature carries its hash.
    const current = event?.type === 'SIGN' ? await this.documents.current(id) : null;
    const document = current ? { hash: current.hash, href: `/agreements/${id}/documents/${current.hash}.pdf` } : null;
    return event && dates ? eventPage({ actor, agreement, event, form, today: this.clock.today(), keyDates: dates.keyDates, afterPost, document }) : null;
  }
}

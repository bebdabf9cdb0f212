import { Body, Controller, Get, NotFoundException, Param, ParseUUIDPipe, Post, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { AgreementsService, type AgreementView } from '@app/agreements/agreements.service';
import { AmendmentsService } from '@app/agreements/amendments.service';
import { ProposeAmendmentDto } from '@app/agreements/dto/amendment.dto';
import type { Actor } from '@app/audit/actor';
import { CurrentAuth } from '@app/auth/current-actor.decorator';
import type { RequestAuth } from '@app/auth/request-auth';
import { ClockService } from '@app/clock/clock.service';
import { DomainError, type FieldProblem } from '@app/common/domain-error';
import { RecordMeetingDto, SubmitReportDto } from '@app/follow-up/dto/follow-up.dto';
import { FollowUpService } from '@app/follow-up/follow-up.service';
import { signedInActor } from './access';
import { FormState } from './forms';
import { economicsBody, formList, formText, indexesOf, optionalInteger, remapListProblems, validated, type FormBody } from './form-input';
import { postForm } from './form-post';
import { kronorFromText, percentToBasisPoints } from './format';
import { amendmentPage, amendmentValues } from './views/amendment.view';
import type { AllowedEvent } from './views/agreement.view';
import { agreementPath } from './views/common';
import { meetingPage, reportPage } from './views/follow-up.view';
import { IdempotencyService } from '@app/idempotency/idempotency.service';
import { WebExceptionFilter } from './web-exception.filter';

const uuid = new ParseUUIDPipe({ exceptionFactory: () => new NotFoundException('Överenskommelsen finns inte.') });

/** Failures that send the person back to the agreement's page with a fixed message (flashOf). */
const BACK_TO_AGREEMENT = ['stale_version', 'event_not_allowed', 'conflict'];

/** A form's work once the rules allow it: the create, and the form again with the API's problems. */
interface FormWork {
  run: () => Promise<unknown>;
  rerender: (problems: FieldProblem[]) => string | Promise<string>;
}

interface Allowed {
  actor: Actor;
  agreement: AgreementView;
  event: AllowedEvent;
}

/** The meeting form's participants as the API's list: the group's people checked, then the names typed; and where each came from. */
function meetingParticipants(body: FormBody): { participants: Array<{ personId: string } | { name: string }>; fieldOf: string[] } {
  const ids = formList(body, 'participants');
  const named = indexesOf(body, 'participantNames').filter((i) => formText(body, `participantNames.${i}.name`) !== '');
  return {
    participants: [...ids.map((personId) => ({ personId })), ...named.map((i) => ({ name: formText(body, `participantNames.${i}.name`) }))],
    fieldOf: [...ids.map(() => 'participants'), ...named.map((i) => `participantNames.${i}`)],
  };
}

const withVersion = (body: FormBody, input: Record<string, unknown>): Record<string, unknown> => {
  const version = optionalInteger(body, 'expectedVersion');
  return version === undefined ? input : { ...input, expectedVersion: version };
};

/**
 * Follow-up and amendments as forms: the samverkansgrupp's meeting (the secretariat), the partner's
 * yearly report, and a proposed tillägg (the secretariat). Each form is for whoever the rules let
 * take the action now, and posts through the API's own services and validation.
 */
@ApiExcludeController()
@UseFilters(WebExceptionFilter)
@Controller('overenskommelser/:id')
export class FollowUpPagesController {
  constructor(
    private readonly agreements: AgreementsService,
    private readonly amendments: AmendmentsService,
    private readonly followUp: FollowUpService,
    private readonly clock: ClockService,
    private readonly once: IdempotencyService,
  ) {}

  @Get('uppfoljning/mote')
  async meetingForm(@Param('id', uuid) id: string, @CurrentAuth() auth: RequestAuth, @Res() res: Response): Promise<void> {
    const allowed = await this.allowed(id, auth, 'RECORD_FOLLOW_UP_MEETING');
    if (!allowed) return res.redirect(303, `${agreementPath(id)}?fel=event_not_allowed`);
    const form = new FormState({ expectedVersion: String(allowed.agreement.rowVersion), heldOn: this.clock.today() });
    res.type('html').send(meetingPage({ ...allowed, form }));
  }

  @Post('uppfoljning/mote')
  async recordMeeting(@Param('id', uuid) id: string, @Body() body: FormBody, @CurrentAuth() auth: RequestAuth, @Res() res: Response): Promise<void> {
    const { participants, fieldOf } = meetingParticipants(body);
    const notes = formText(body, 'notes');
    const input = withVersion(body, { heldOn: formText(body, 'heldOn'), participants, ...(notes ? { notes } : {}) });
    await this.submit(res, auth, id, body, '/uppfoljning/mote', 'RECORD_FOLLOW_UP_MEETING', (allowed) => ({
      run: async () => this.followUp.recordMeeting(id, await validated(RecordMeetingDto, input), allowed.actor),
      rerender: (problems) => meetingPage({ ...allowed, form: new FormState(body, remapListProblems(problems, 'participants', fieldOf)) }),
    }));
  }

  @Get('uppfoljning/arsrapport')
  async reportForm(@Param('id', uuid) id: string, @CurrentAuth() auth: RequestAuth, @Res() res: Response): Promise<void> {
    const allowed = await this.allowed(id, auth, 'SUBMIT_YEARLY_REPORT');
    if (!allowed) return res.redirect(303, `${agreementPath(id)}?fel=event_not_allowed`);
    const a = allowed.agreement;
    const due = a.followUp.obligations.find((o) => o.duty === 'yearly_report' && o.status !== 'fulfilled');
    const form = new FormState({
      expectedVersion: String(a.rowVersion),
      organisationId: allowed.event.organisationId ?? '',
      year: String(due?.year ?? Number(this.clock.today().slice(0, 4)) - 1),
      placesAgreed: a.places === null ? '' : String(a.places),
    });
    res.type('html').send(reportPage({ ...allowed, form, notice: (await this.followUp.get(id, allowed.actor)).notice }));
  }

  @Post('uppfoljning/arsrapport')
  async submitReport(@Param('id', uuid) id: string, @Body() body: FormBody, @CurrentAuth() auth: RequestAuth, @Res() res: Response): Promise<void> {
    const organisationId = formText(body, 'organisationId');
    const placesAgreed = optionalInteger(body, 'placesAgreed');
    const input = withVersion(body, {
      year: optionalInteger(body, 'year'),
      ...(organisationId ? { organisationId } : {}),
      text: formText(body, 'text'),
      participantsCount: optionalInteger(body, 'participantsCount'),
      gaProgressCount: optionalInteger(body, 'gaProgressCount'),
      outcomes: Object.fromEntries(['work', 'studies', 'otherActivity', 'noChange'].map((k) => [k, optionalInteger(body, `outcomes.${k}`)])),
      placesUsed: optionalInteger(body, 'placesUsed'),
      ...(placesAgreed === undefined ? {} : { placesAgreed }),
    });
    await this.submit(res, auth, id, body, '/uppfoljning/arsrapport', 'SUBMIT_YEARLY_REPORT', (allowed) => ({
      run: async () => this.followUp.submitReport(id, await validated(SubmitReportDto, input), allowed.actor),
      rerender: async (problems) => reportPage({ ...allowed, form: new FormState(body, problems), notice: (await this.followUp.get(id, allowed.actor)).notice }),
    }));
  }

  @Get('tillagg')
  async amendmentForm(@Param('id', uuid) id: string, @CurrentAuth() auth: RequestAuth, @Res() res: Response): Promise<void> {
    const allowed = await this.allowed(id, auth, 'PROPOSE_AMENDMENT');
    if (!allowed) return res.redirect(303, `${agreementPath(id)}?fel=event_not_allowed`);
    const form = new FormState(amendmentValues(allowed.agreement, Number(this.clock.today().slice(0, 4)) + 1));
    res.type('html').send(amendmentPage({ ...allowed, form }));
  }

  @Post('tillagg')
  async proposeAmendment(@Param('id', uuid) id: string, @Body() body: FormBody, @CurrentAuth() auth: RequestAuth, @Res() res: Response): Promise<void> {
    const economics = economicsBody(body);
    const input = withVersion(body, {
      effectiveFromYear: optionalInteger(body, 'effectiveFromYear'),
      reason: formText(body, 'reason'),
      ...(economics ? { economics } : {}),
      contributions: indexesOf(body, 'contributions').map((i) => ({
        organisationId: formText(body, `contributions.${i}.organisationId`),
        contributionKr: kronorFromText(formText(body, `contributions.${i}.contributionKr`)),
        shareBasisPoints: percentToBasisPoints(formText(body, `contributions.${i}.shareBasisPoints`)),
      })),
    });
    await this.submit(res, auth, id, body, '/tillagg', 'PROPOSE_AMENDMENT', (allowed) => ({
      run: async () => this.amendments.propose(id, await validated(ProposeAmendmentDto, input), allowed.actor),
      rerender: (problems) => amendmentPage({ ...allowed, form: new FormState(body, problems) }),
    }));
  }

  /** The person, the agreement and the action, when the rules let this person take it now; else null. */
  private async allowed(id: string, auth: RequestAuth, type: string): Promise<Allowed | null> {
    const actor = signedInActor(auth);
    const agreement = await this.agreements.get(id, actor);
    const event = (await this.agreements.allowedEvents(id, actor)).events.find((e) => e.type === type);
    return event ? { actor, agreement, event } : null;
  }

  /**
   * POST-redirect-GET: done → the agreement with the flash; the API's problems → the form again (400)
   * with them at the fields. The form's one-time token makes a second submit (a double click, a
   * reload) go where the first one went instead of recording the meeting, report or tillägg again.
   */
  private async submit(res: Response, auth: RequestAuth, id: string, body: FormBody, action: string, type: string, work: (allowed: Allowed) => FormWork): Promise<void> {
    const actor = signedInActor(auth);
    const done = `${agreementPath(id)}?utfort=${type}`;
    let form: FormWork | null = null;
    try {
      // The token is looked at before the rules: after a tillägg is proposed, proposing is no longer
      // allowed, but a second submit of the same form should still land where the first one did.
      await postForm(res, this.once, {
        actor,
        body,
        path: `${agreementPath(id)}${action}`,
        run: async () => {
          const allowed = await this.allowed(id, auth, type);
          if (!allowed) throw new DomainError('event_not_allowed', 'Händelsen är inte tillåten nu.');
          form = work(allowed);
          await form.run();
          return done;
        },
        locationOf: () => done,
        // The form is known once the rules let the person act.
        rerender: (problems) => form?.rerender(problems) ?? null,
      });
    } catch (error) {
      if (error instanceof DomainError && BACK_TO_AGREEMENT.includes(error.code)) return res.redirect(303, `${agreementPath(id)}?fel=${error.code}`);
      throw error;
    }
  }
}

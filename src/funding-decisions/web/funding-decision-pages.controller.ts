import { PAGE_SIZE } from '@app/common/paging';
import { Body, Controller, Get, Header, NotFoundException, Param, ParseUUIDPipe, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Request, Response } from 'express';
import { DataSource } from 'typeorm';
import { allowedEvents } from '@workflows/kernel/kernel';
import { fundingDecisionDefinition } from '@workflows/funding-decision/definition';
import { EVENT_LABELS } from '@workflows/funding-decision/labels';
import { proposalCompletenessProblems } from '@workflows/funding-decision/proposal';
import { ruledOf } from '@workflows/funding-decision/rules';
import { ALL_STATE_CODES } from '@workflows/funding-decision/types';
import type { Actor } from '@app/audit/actor';
import { CurrentAuth } from '@app/auth/current-actor.decorator';
import { bodyFields } from '@app/cases/event-dto';
import type { RequestAuth } from '@app/auth/request-auth';
import { ClockService } from '@app/clock/clock.service';
import { DomainError, type FieldProblem } from '@app/common/domain-error';
import { IdempotencyService } from '@app/idempotency/idempotency.service';
import { listMeetings, meetingsWithIds } from '@app/meetings/committee-meeting.repository';
import { requesterOf } from '@app/workflow-engine/authorisation';
import { signedInActor } from '@app/web/access';
import { FORM_TOKEN, FormState } from '@app/web/forms';
import { formList, formText, indexesOf, problemsOf, remapListProblems, validated, type FormBody } from '@app/web/form-input';
import { integerFromText, kronorFromText } from '@app/web/format';
import type { Flash } from '@app/web/layout';
import { errorPage, WebExceptionFilter } from '@app/web/web-exception.filter';
import { WebReadService } from '@app/web/web-read.service';
import { CreateFundingDecisionDto, FundingEventDto } from '../dto/funding-decision.dto';
import { fundingDecisionPath } from '../funding-decision.kind';
import { findFundingDecision } from '../funding-decision.repository';
import { FundingDecisionsService } from '../funding-decisions.service';
import {
  FUNDING_LIST_PATH,
  FUNDING_NEW_PATH,
  NAMED_ONLY_OFFICIAL,
  PAGE_ACTIONS,
  editProposalPage,
  eventsPath,
  fundingCasePage,
  fundingDiagramPage,
  fundingListPage,
  newFundingPage,
  proposalPath,
  proposalValues,
  type PageAction,
} from './funding-decision.view';

const uuid = new ParseUUIDPipe({ exceptionFactory: () => new NotFoundException('Beslutet om medel finns inte.') });

const DONE_LABELS: Record<string, string> = { ...EVENT_LABELS, PREPARE: 'Förslag till beslut registrerat', UPDATE_PROPOSAL: 'Förslaget till beslut ändrat' };

/** The flash after a redirect: `utfort=DECIDE` (a fixed text per event, nothing echoed). */
function flashOf(query: Record<string, unknown>): Flash | null {
  const done = query.utfort;
  return typeof done === 'string' && DONE_LABELS[done] ? { kind: 'success', text: `Klart, och sparat i historiken: ${DONE_LABELS[done]}.` } : null;
}

/** The service names list items with brackets (followUps[0]); the form's fields are dotted. */
const dotted = (problems: readonly FieldProblem[]): FieldProblem[] =>
  problems.map((p) => ({ field: p.field.replace(/\[(\d+)\]/g, '.$1'), message: p.message.replace(/\[(\d+)\]/g, '.$1') }));

/** A follow-up's key, from what the form asks: its kind and its meeting ('muntlig-avstamning-bin-2018-09'). */
const followUpKey = (kind: string, meetingId: string): string => `${kind === 'oral_check_in' ? 'muntlig-avstamning' : 'skriftlig-utvardering'}-${meetingId}`.slice(0, 64);

/** Which form row each item of the proposal's lists came from (the form leaves empty rows out). */
interface ProposalRows {
  recipientRows: string[];
  followUpRows: string[];
}

/**
 * The proposal's fields as the API's ProposalDto body, and which form row each list item came from:
 * one reading for the new form (POST …/ny) and for changing the proposal (POST …/:id/forslag).
 */
function proposalBody(body: FormBody, names: Map<string, string>): { proposal: Record<string, unknown> } & ProposalRows {
  const recipients = indexesOf(body, 'proposal.recipients').filter((i) => formText(body, `proposal.recipients.${i}.name`) || formText(body, `proposal.recipients.${i}.email`));
  const followUps = indexesOf(body, 'proposal.followUps').filter((i) => formText(body, `proposal.followUps.${i}.kind`));
  const proposal = {
    summary: formText(body, 'proposal.summary'),
    amountKr: kronorFromText(formText(body, 'proposal.amountKr')),
    budgetLine: formText(body, 'proposal.budgetLine'),
    partner: { organisationId: formText(body, 'proposal.partner.organisationId') },
    period: { startDate: formText(body, 'proposal.period.startDate'), endDate: formText(body, 'proposal.period.endDate') },
    officials: formList(body, 'proposal.officials').map((value) =>
      value.startsWith(NAMED_ONLY_OFFICIAL) ? { name: value.slice(NAMED_ONLY_OFFICIAL.length) } : { personId: value, name: names.get(value) ?? '' },
    ),
    recipients: recipients.map((i) => {
      const email = formText(body, `proposal.recipients.${i}.email`);
      return { name: formText(body, `proposal.recipients.${i}.name`), ...(email ? { email } : {}) };
    }),
    followUps: followUps.map((i) => {
      const kind = formText(body, `proposal.followUps.${i}.kind`);
      const meetingId = formText(body, `proposal.followUps.${i}.meetingId`);
      return { key: followUpKey(kind, meetingId), kind, meetingId };
    }),
  };
  return { proposal, recipientRows: recipients.map((i) => `proposal.recipients.${i}`), followUpRows: followUps.map((i) => `proposal.followUps.${i}`) };
}

/** The new form as the API's CreateFundingDecisionDto body, and which form row each list item came from. */
function createBody(body: FormBody, names: Map<string, string>): { input: Record<string, unknown> } & ProposalRows {
  const { proposal, ...rows } = proposalBody(body, names);
  return { input: { title: formText(body, 'title'), committee: formText(body, 'committee'), preparedBy: formText(body, 'preparedBy'), proposal }, ...rows };
}

/** The change form as the API's FundingEventDto body for UPDATE_PROPOSAL, at the version the form was read at. */
function updateBody(body: FormBody, names: Map<string, string>): { input: Record<string, unknown> } & ProposalRows {
  const { proposal, ...rows } = proposalBody(body, names);
  const version = formText(body, 'expectedVersion');
  return { input: { type: 'UPDATE_PROPOSAL', proposal, ...(version ? { expectedVersion: integerFromText(version) } : {}) }, ...rows };
}

/** The API's problems with the proposal, on the form's own fields (the rows as the person sees them). */
function proposalProblems(body: FormBody, problems: readonly FieldProblem[], rows: ProposalRows): FieldProblem[] {
  const shown = remapListProblems(remapListProblems(dotted(problems), 'proposal.recipients', rows.recipientRows), 'proposal.followUps', rows.followUpRows);
  // An empty amount fails every number check at once; one sentence says what is missing.
  if (formText(body, 'proposal.amountKr')) return shown;
  return [...shown.filter((p) => p.field !== 'proposal.amountKr'), { field: 'proposal.amountKr', message: 'Belopp saknas: ange beloppet i hela kronor.' }];
}

/** A change form read at an older version than the case's: nothing was saved. */
const STALE_PROPOSAL = 'Förslaget har ändrats sedan du öppnade formuläret, så dina ändringar sparades inte. Formuläret visar nu förslaget som det är; gör om ändringarna och spara igen.';

/** The action forms' fields: the events' own fields as the body names them, but the proposal (its own page, POST …/ny). */
const ACTION_FIELDS = bodyFields(fundingDecisionDefinition).filter((f) => f.description.kind !== 'object' && f.description.kind !== 'list');

/** An action's form as the API's FundingEventDto body: what was left empty is left out. */
function eventBody(body: FormBody): Record<string, unknown> {
  const out: Record<string, unknown> = { type: formText(body, 'type') };
  for (const { name, description } of ACTION_FIELDS) {
    const v = formText(body, name);
    if (v) out[name] = description.kind === 'kronor' ? kronorFromText(v) : description.kind === 'integer' ? integerFromText(v) : v;
  }
  const version = formText(body, 'expectedVersion');
  if (version) out.expectedVersion = integerFromText(version);
  return out;
}

/** Refusals the case page shows as a flash, in the engine's own Swedish words. */
const REFUSALS = ['event_not_allowed', 'stale_version', 'conflict'];

/** The meetings a form offers: the coming ones, a page of the largest size (years of a committee's plan). */
const FIRST_PAGE_OF_MEETINGS = { limit: PAGE_SIZE.max, after: null };

/**
 * The funding decision's pages: the list, the secretariat's form for a new förslag till beslut, one
 * case with the actions the person may take now, the same form for changing the proposal while the
 * case is in preparation, and the lifecycle. Every change goes through
 * FundingDecisionsService, so the rules and the validation are the API's.
 */
@ApiExcludeController()
@UseFilters(WebExceptionFilter)
@Controller('beslut-om-medel')
export class FundingDecisionPagesController {
  constructor(
    private readonly decisions: FundingDecisionsService,
    private readonly read: WebReadService,
    private readonly clock: ClockService,
    private readonly once: IdempotencyService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  async list(@CurrentAuth() auth: RequestAuth, @Query('state') state: unknown, @Query() query: Record<string, unknown>, @Req() req: Request): Promise<string> {
    const actor = signedInActor(auth);
    const filter = typeof state === 'string' && (ALL_STATE_CODES as readonly string[]).includes(state) ? state : '';
    const after = typeof query.after === 'string' ? query.after : undefined;
    const [rows, total] = await Promise.all([this.decisions.list({ ...(filter ? { state: filter } : {}), after }, actor), this.decisions.count(filter || undefined, actor)]);
    return fundingListPage({ actor, rows: rows.items, total, path: req.originalUrl, next: rows.next, onLaterPage: after !== undefined, state: filter, mayPrepare: this.mayPrepare(actor), flash: flashOf(query) });
  }

  @Get('ny')
  @Header('Content-Type', 'text/html; charset=utf-8')
  async newForm(@CurrentAuth() auth: RequestAuth): Promise<string> {
    const actor = this.preparer(auth);
    return this.newPage(actor, new FormState());
  }

  @Post('ny')
  async create(@Body() body: FormBody, @CurrentAuth() auth: RequestAuth, @Res() res: Response): Promise<void> {
    const actor = this.preparer(auth);
    const people = await this.read.people();
    const { input, recipientRows, followUpRows } = createBody(body, new Map(people.map((p) => [p.id, p.name])));
    const done = (id: string): string => `${fundingDecisionPath(id)}?utfort=PREPARE`;
    try {
      // The one-time token: a second submit goes to the case the first one created.
      const outcome = await this.once.submitForm(
        { personId: actor.personId, token: formText(body, FORM_TOKEN), path: FUNDING_NEW_PATH, body },
        async () => done((await this.decisions.create(await validated(CreateFundingDecisionDto, input), actor)).id),
        (resource) => done(resource.id),
      );
      if (outcome.kind === 'notice') return void res.status(outcome.status).type('html').send(errorPage(outcome.title, outcome.message, actor));
      res.redirect(303, outcome.location);
    } catch (error) {
      const problems = problemsOf(error);
      if (!problems) throw error;
      res.status(400).type('html').send(await this.newPage(actor, new FormState(body, proposalProblems(body, problems, { recipientRows, followUpRows }))));
    }
  }

  @Get('diagram')
  @Header('Content-Type', 'text/html; charset=utf-8')
  diagram(@CurrentAuth() auth: RequestAuth): string {
    return fundingDiagramPage(signedInActor(auth));
  }

  @Get(':id')
  @Header('Content-Type', 'text/html; charset=utf-8')
  async show(@Param('id', uuid) id: string, @CurrentAuth() auth: RequestAuth, @Query() query: Record<string, unknown>): Promise<string> {
    return this.casePage(id, signedInActor(auth), flashOf(query));
  }

  @Get(':id/forslag')
  async proposalForm(@Param('id', uuid) id: string, @CurrentAuth() auth: RequestAuth, @Res() res: Response): Promise<void> {
    const actor = signedInActor(auth);
    const { status, page } = await this.proposalPage(id, actor, null, null);
    res.status(status).type('html').send(page);
  }

  @Post(':id/forslag')
  async updateProposal(@Param('id', uuid) id: string, @Body() body: FormBody, @CurrentAuth() auth: RequestAuth, @Res() res: Response): Promise<void> {
    const actor = signedInActor(auth);
    // Those who may not change it learn nothing from validation: the rules are asked first (and a refusal is recorded).
    await this.decisions.requirePermitted(id, 'UPDATE_PROPOSAL', actor);
    const people = await this.read.people();
    const { input, recipientRows, followUpRows } = updateBody(body, new Map(people.map((p) => [p.id, p.name])));
    const done = `${fundingDecisionPath(id)}?utfort=UPDATE_PROPOSAL`;
    try {
      const outcome = await this.once.submitForm(
        { personId: actor.personId, token: formText(body, FORM_TOKEN), path: proposalPath(id), body },
        async () => {
          await this.decisions.sendEvent(id, await validated(FundingEventDto, input), actor);
          // An official who took their own name off the proposal no longer sees the case: to the list, then.
          const row = await findFundingDecision(this.dataSource.manager, id);
          const stillSeen = !!row && fundingDecisionDefinition.rules.maySee(requesterOf(actor), ruledOf(row.context));
          return stillSeen ? done : `${FUNDING_LIST_PATH}?utfort=UPDATE_PROPOSAL`;
        },
        () => done,
      );
      if (outcome.kind === 'notice') return void res.status(outcome.status).type('html').send(errorPage(outcome.title, outcome.message, actor));
      res.redirect(303, outcome.location);
    } catch (error) {
      const problems = problemsOf(error);
      if (problems) {
        const { status, page } = await this.proposalPage(id, actor, new FormState(body, proposalProblems(body, problems, { recipientRows, followUpRows })), null);
        return void res.status(status === 200 ? 400 : status).type('html').send(page);
      }
      // Someone changed the case since the form was read: the form again, as the proposal now is.
      if (error instanceof DomainError && error.code === 'stale_version') {
        const { page } = await this.proposalPage(id, actor, null, { kind: 'error', text: STALE_PROPOSAL });
        return void res.status(409).type('html').send(page);
      }
      if (error instanceof DomainError && REFUSALS.includes(error.code)) {
        return void res.status(409).type('html').send(await this.casePage(id, actor, { kind: 'error', text: error.message }));
      }
      throw error;
    }
  }

  @Post(':id/handelser')
  async send(@Param('id', uuid) id: string, @Body() body: FormBody, @CurrentAuth() auth: RequestAuth, @Res() res: Response): Promise<void> {
    const actor = signedInActor(auth);
    const input = eventBody(body);
    const type = String(input.type);
    const done = `${fundingDecisionPath(id)}?utfort=${(PAGE_ACTIONS as readonly string[]).includes(type) ? type : ''}`;
    try {
      const outcome = await this.once.submitForm(
        { personId: actor.personId, token: formText(body, FORM_TOKEN), path: eventsPath(id), body },
        async () => {
          await this.decisions.sendEvent(id, await validated(FundingEventDto, input), actor);
          return done;
        },
        () => done,
      );
      if (outcome.kind === 'notice') return void res.status(outcome.status).type('html').send(errorPage(outcome.title, outcome.message, actor));
      res.redirect(303, outcome.location);
    } catch (error) {
      const problems = problemsOf(error);
      if (problems) {
        const form = new FormState(body, problems, `${type}-`);
        return void res.status(400).type('html').send(await this.casePage(id, actor, { kind: 'error', text: 'Uppgifterna behöver rättas.' }, { type, form }));
      }
      // The engine's refusal, in its own Swedish words, on the case as it now is.
      if (error instanceof DomainError && REFUSALS.includes(error.code)) {
        return void res.status(409).type('html').send(await this.casePage(id, actor, { kind: 'error', text: error.message }));
      }
      throw error;
    }
  }

  private mayPrepare(actor: Actor): boolean {
    return fundingDecisionDefinition.rules.permission(requesterOf(actor), { type: 'PREPARE' }, { partnerId: '', officialIds: [] }).allowed;
  }

  private preparer(auth: RequestAuth): Actor {
    const actor = signedInActor(auth);
    if (!this.mayPrepare(actor)) throw new DomainError('forbidden', `Förslag till beslut registreras av ${fundingDecisionDefinition.rules.whoMay('PREPARE')}.`);
    return actor;
  }

  private async newPage(actor: Actor, form: FormState): Promise<string> {
    const today = this.clock.today();
    const [organisations, people, meetings] = await Promise.all([this.read.organisations(), this.read.people(), listMeetings(this.dataSource.manager, { from: today }, FIRST_PAGE_OF_MEETINGS)]);
    const upcoming = meetings.items;
    const values = form.values.formToken || form.problems.length ? form : new FormState({ committee: upcoming[0]?.committee ?? '' });
    return newFundingPage({ actor, form: values, organisations, people: people.filter((p) => !p.disabled), meetings: upcoming });
  }

  /**
   * The change form for whoever the rules let send UPDATE_PROPOSAL (404 for those who may not see
   * the case, 403 for those who may not change it), filled in with the proposal as it is unless a
   * posted form is shown again. A case no longer in preparation is shown instead, with why (409).
   */
  private async proposalPage(id: string, actor: Actor, posted: FormState | null, flash: Flash | null): Promise<{ status: number; page: string }> {
    const decision = await this.decisions.get(id, actor);
    const row = await findFundingDecision(this.dataSource.manager, id);
    if (!row) throw DomainError.notFound(fundingDecisionDefinition.noun.definite);
    const permission = fundingDecisionDefinition.rules.permission(requesterOf(actor), { type: 'UPDATE_PROPOSAL' }, ruledOf(row.context));
    if (!permission.allowed) throw new DomainError(permission.visible ? 'forbidden' : 'not_found', permission.reason);
    if (!this.openNow(row).has('UPDATE_PROPOSAL')) {
      const text = `Förslaget kan bara ändras medan ärendet bereds. Ärendet är nu: ${decision.stateLabel}.`;
      return { status: 409, page: await this.casePage(id, actor, { kind: 'error', text }) };
    }
    const proposal = row.context.proposal;
    const today = this.clock.today();
    const [organisations, people, meetings] = await Promise.all([
      this.read.organisations(),
      this.read.people(),
      listMeetings(this.dataSource.manager, { committee: row.context.committee, from: today }, FIRST_PAGE_OF_MEETINGS),
    ]);
    // The proposal's own follow-up meetings and officials stay choosable even if they are past or disabled.
    const offered = new Map(meetings.items.map((m) => [m.meetingId, m]));
    for (const f of proposal.followUps) if (!offered.has(f.meeting.meetingId)) offered.set(f.meeting.meetingId, f.meeting);
    const officialIds = new Set(proposal.officials.map((o) => o.personId).filter(Boolean));
    const page = editProposalPage({
      actor,
      decision,
      form: posted ?? new FormState(proposalValues(decision)),
      flash,
      organisations,
      people: people.filter((p) => !p.disabled || officialIds.has(p.id)),
      namedOnly: proposal.officials.filter((o) => !o.personId).map((o) => o.name),
      meetings: [...offered.values()].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0)),
    });
    return { status: 200, page };
  }

  /** The events the case's state has a transition for (the rules are asked apart). */
  private openNow(row: NonNullable<Awaited<ReturnType<typeof findFundingDecision>>>): Set<string> {
    const persisted = { machineVersion: row.machine_version, value: row.state_value as never, context: row.context };
    return new Set<string>(allowedEvents(fundingDecisionDefinition, persisted));
  }

  /** The case as this person may see it, with the actions the state and the rules allow them now. */
  private async casePage(id: string, actor: Actor, flash: Flash | null, posted: { type: string; form: FormState } | null = null): Promise<string> {
    const decision = await this.decisions.get(id, actor);
    const row = await findFundingDecision(this.dataSource.manager, id);
    if (!row) throw DomainError.notFound(fundingDecisionDefinition.noun.definite);
    const requester = requesterOf(actor);
    const ruled = ruledOf(row.context);
    const open = this.openNow(row);
    const mayNow = (type: string): boolean => open.has(type) && fundingDecisionDefinition.rules.permission(requester, { type }, ruled).allowed;
    const today = this.clock.today();
    const [meetings, history, named] = await Promise.all([
      listMeetings(this.dataSource.manager, { committee: row.context.committee, from: today }, FIRST_PAGE_OF_MEETINGS),
      this.read.history(id),
      meetingsWithIds(this.dataSource.manager, [...row.context.referrals, ...row.context.takenOffAgenda].map((e) => e.meetingId)),
    ]);
    const upcoming = meetings.items;
    const pending = row.context.proposal.followUps.filter((f) => !row.context.followUpRecords.some((r) => r.key === f.key));
    const actions = PAGE_ACTIONS.filter(
      (type: PageAction) =>
        mayNow(type) &&
        (type !== 'PLACE_ON_AGENDA' || upcoming.length > 0) &&
        (type !== 'RECORD_FOLLOW_UP' || pending.length > 0),
    );
    return fundingCasePage({
      actor,
      decision,
      actions,
      mayEditProposal: mayNow('UPDATE_PROPOSAL'),
      posted,
      meetings: upcoming,
      meetingsById: new Map(named.map((m) => [m.meetingId, m])),
      completeness: row.state === 'preparation' ? proposalCompletenessProblems(row.context.proposal, row.context.committee) : [],
      history,
      flash,
      today,
    });
  }
}

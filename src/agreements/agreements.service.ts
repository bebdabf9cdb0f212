import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, type EntityManager } from 'typeorm';
import { deadlinesOf, latestPossibleEnd } from '@workflows/agreement/deadlines';
import { economicsVersionsOf, projectVersionedEconomics, type VersionedYearProjection } from '@workflows/agreement/economics';
import { obligationViews, type FollowUpObligationView } from '@workflows/agreement/follow-up';
import { EVENT_LABELS, STATE_LABELS } from '@workflows/agreement/labels';
import { ALL_STATE_CODES, eventTypesFrom, MACHINE_VERSION, migratePersisted, restore, UnsupportedMachineVersionError, type AgreementStateCode, type PersistedAgreement } from '@workflows/agreement/persistence';
import { maySee } from '@workflows/agreement/rules';
import { sharesFromAmounts, termsConsistencyProblems } from '@workflows/agreement/terms';
import {
  DEFAULT_EXTENSION_TERMS,
  TIMER_EVENT_TYPES,
  type AgreementContext,
  type AgreementEventType,
  type AgreementTerms,
  type Amendment,
  type FollowUpDuties,
  type TermsVersion,
  type TimerEventType,
} from '@workflows/agreement/types';
import { isCalendarDate, type CalendarDate } from '@workflows/calendar/calendar';
import type { AccountRole, Actor } from '@app/audit/actor';
import { AgreementAccessService } from '@app/auth/agreement-access.service';
import { ClockService } from '@app/clock/clock.service';
import { authorise, requesterOf } from '@app/workflow-engine/authorisation';
import { ruledAgreementOf } from '@workflows/agreement/rules';
import { requireSignedIn } from '@app/auth/access';
import { BoundedWork } from '@app/common/bounded-work';
import { DomainError, type FieldProblem } from '@app/common/domain-error';
import { Organisation } from '@app/organisations/organisation.entity';
import { Person } from '@app/organisations/person.entity';
import { WorkflowEngineService } from '@app/workflow-engine/workflow-engine.service';
import { AGREEMENT_EVENTS, agreementDefinition } from '@workflows/agreement/definition';
import { agreementCase } from './agreement.kind';
import { receivedWords } from './received-initiative';

/** What an event sent to an agreement answers. */
export interface AgreementTransition {
  agreementId: string;
  eventType: string;
  from: string;
  to: string;
  rowVersion: number;
}
import type { EngineCommand } from '@app/workflow-engine/engine-command';
import { AgreementRepository, OVERVIEW_STATES, type AgreementListRow, type OverviewFilter, type OverviewSortKey, type OverviewStateTotals, type AgreementMemberRecord, type AgreementRecord } from './agreement.repository';
import { CaseDeadlineProjector } from '@app/cases/case-deadline.projector';
import { deadlinesOfCases } from '@app/cases/case-deadline.repository';
import { PAGE_SIZE, pageRequestOf, type Page, type PageRequest } from '@app/common/paging';
import type { AgreementTermsDto, CreateAgreementDto, UpdateAgreementDto } from './dto/agreement-terms.dto';
import { PERSON_EVENT_TYPES, type ListAgreementsQuery, type SendEventDto } from './dto/send-event.dto';
import type { ReminderOffsetDto, ReminderPolicyDto } from './dto/reminder-policy.dto';
import { resolvePolicy, type ReminderPolicy } from '@workflows/agreement/reminders';
import { DocumentsService } from '@app/documents/documents.service';
import { DOCUMENT_TEXT_KEYS, type DocumentTexts } from '@workflows/agreement/document';
import type { DocumentTextsDto, UpdateDocumentTextsDto } from './dto/agreement-terms.dto';

/** The sections given, trimmed; an empty one is left out (the document then shows the municipality's standard text or says it is missing). */
function textsOf(dto: DocumentTextsDto): DocumentTexts {
  return Object.fromEntries(DOCUMENT_TEXT_KEYS.map((k) => [k, (dto[k] ?? '').trim()]).filter(([, v]) => v !== '')) as DocumentTexts;
}

const persistedOf = (a: AgreementRecord): PersistedAgreement => ({ machineVersion: a.machineVersion, value: a.stateValue, context: a.context });

/**
 * Which fields each event needs beyond its type, so a missing one is a 400 naming it, not a silent
 * refusal: the definition's description of each event (workflows/agreement/definition.ts), not a second list.
 */
const REQUIRED_FIELDS = Object.fromEntries(
  PERSON_EVENT_TYPES.map((type): [string, Array<keyof SendEventDto>] => [type, [...AGREEMENT_EVENTS[type].required] as Array<keyof SendEventDto>]).filter(([, fields]) => fields.length > 0),
) as Partial<Record<SendEventDto['type'], Array<keyof SendEventDto>>>;

function commandOf(dto: SendEventDto): EngineCommand {
  const missing = (REQUIRED_FIELDS[dto.type] ?? []).filter((f) => {
    const v = dto[f];
    return v === undefined || v === null || (typeof v === 'string' && v.trim() === '');
  });
  if (missing.length > 0) {
    throw DomainError.validation(missing.map((field) => ({ field, message: `${field} krävs för ${EVENT_LABELS[dto.type]}.` })));
  }
  const reason = dto.reason?.trim() ?? '';
  const organisationId = dto.organisationId ?? '';
  switch (dto.type) {
    case 'ACCEPT_INITIATIVE':
    case 'SEND_FOR_SIGNING':
      return { type: dto.type };
    case 'DECLINE_INITIATIVE':
      return { type: dto.type, reason };
    case 'SIGN':
    case 'CONSENT_TO_EXTENSION':
    case 'CONSENT_TO_TERMINATION':
      return { type: dto.type, organisationId };
    case 'RETURN_TO_DRAFT':
    case 'REFUSE_EXTENSION':
      return { type: dto.type, organisationId, reason };
    case 'DECLARE_TERMINATION':
      return { type: dto.type, declaredBy: dto.declaredBy ?? '', ground: dto.ground ?? 'material_breach', reason };
    case 'RECORD_SETTLEMENT':
      return { type: dto.type, lines: (dto.lines ?? []).map((l) => ({ organisationId: l.organisationId, amountKr: l.amountKr })), note: dto.note ?? '' };
    case 'AGREE_TO_AMENDMENT':
      return { type: dto.type, organisationId };
    case 'REFUSE_AMENDMENT':
      return { type: dto.type, organisationId, reason };
    case 'WITHDRAW_AMENDMENT':
      return { type: dto.type, reason };
  }
}

/** Events whose input is more than a party and a reason, and the address under /agreements/:id they are sent to instead of /events. */
const OWN_ENDPOINTS: Partial<Record<PersonEventType, string>> = {
  PROPOSE_AMENDMENT: '/amendments',
  RECORD_FOLLOW_UP_MEETING: '/follow-up/meetings',
  SUBMIT_YEARLY_REPORT: '/follow-up/reports',
};

export interface AgreementView {
  id: string;
  title: string;
  diarienummer: string | null;
  committee: string | null;
  purpose: string;
  targetGroup: string;
  activities: string;
  /** The document's other free-text sections (workflows/agreement/document.ts). */
  texts: DocumentTexts;
  places: number | null;
  placeCategory: string | null;
  state: AgreementStateCode;
  stateLabel: string;
  rowVersion: number;
  machineVersion: number;
  proposedByOrganisationId: string;
  startDate: string | null;
  endDate: string | null;
  latestPossibleEnd: string | null;
  extension: { periodMonths: number; maxExtensions: number; decisionNoticeMonths: number; decisionWindowMonths: number; used: number } | null;
  economics: { totalKr: number | null; indexationBasisPoints: number; costLines: Array<{ label: string; amountKr: number; organisationId: string | null }> };
  invoicing: AgreementRecord['invoicing'];
  parties: Array<{ organisationId: string; name: string; organisationNumber: string; kind: string; contributionKr: number | null; shareBasisPoints: number | null; signed: boolean }>;
  signatories: Array<{ personId: string; name: string; email: string; organisationId: string }>;
  samverkansgrupp: Array<{ personId: string; name: string; email: string; organisationId: string }>;
  nextDeadline: { kind: string; date: string; at: string } | null;
  /** `overdue`: a follow-up duty whose date passed without it (the clock marked it); shown until it is met. */
  deadlines: Array<{ kind: string; cycle: number; dueDate: string; firesAt: string; event: string | null; overdue: boolean }>;
  /** The follow-up duties the terms state, and each year's obligations with their status. */
  followUp: { duties: FollowUpDuties | null; obligations: FollowUpObligationView[] };
  /** The agreed versions of the terms (economics), oldest first, each with who agreed and when; empty before signing. */
  termsVersions: TermsVersion[];
  /** An amendment waiting for the parties, with the agreements given so far. */
  pendingAmendment: Amendment | null;
  lifecycle: Record<string, unknown>;
}

/** An agreement in a list: its own columns and its dates, without parties, people or texts. */
export interface AgreementListItem {
  id: string;
  title: string;
  diarienummer: string | null;
  committee: string | null;
  state: AgreementStateCode;
  stateLabel: string;
  rowVersion: number;
  proposedByOrganisationId: string;
  startDate: string | null;
  endDate: string | null;
  extension: AgreementView['extension'];
  totalKr: number | null;
  nextDeadline: AgreementView['nextDeadline'];
  deadlines: Array<{ kind: string; cycle: number; dueDate: string; overdue: boolean }>;
}

function listItemOf(r: AgreementListRow, deadlines: AgreementListItem['deadlines']): AgreementListItem {
  const hasExtension = r.extension_period_months !== null && r.max_extensions !== null && r.decision_notice_months !== null && r.decision_window_months !== null;
  return {
    id: r.id,
    title: r.title,
    diarienummer: r.diarienummer,
    committee: r.committee,
    state: r.state,
    stateLabel: STATE_LABELS[r.state] ?? r.state,
    rowVersion: r.row_version,
    proposedByOrganisationId: r.proposed_by_organisation_id,
    startDate: r.start_date,
    endDate: r.end_date,
    extension: hasExtension
      ? {
          periodMonths: r.extension_period_months as number,
          maxExtensions: r.max_extensions as number,
          decisionNoticeMonths: r.decision_notice_months as number,
          decisionWindowMonths: r.decision_window_months as number,
          used: r.extensions_used,
        }
      : null,
    totalKr: r.total_kr === null ? null : Number(r.total_kr),
    nextDeadline: r.next_deadline_at && r.next_deadline_kind && r.next_deadline_date ? { kind: r.next_deadline_kind, date: r.next_deadline_date, at: new Date(r.next_deadline_at).toISOString() } : null,
    deadlines,
  };
}

export type PersonEventType = Exclude<AgreementEventType, TimerEventType>;

export interface AllowedEvents {
  state: AgreementStateCode;
  stateLabel: string;
  /**
   * What this person may send now, with the party they act for prefilled and the fields still needed.
   * `endpoint` is set for events sent to their own address under /agreements/:id (e.g. '/amendments') rather than /events.
   */
  events: Array<{ type: string; label: string; as: AccountRole; organisationId?: string; declaredBy?: string; needs: string[]; endpoint?: string }>;
  /** What the clock will send in this state (not for people). */
  clockEvents: Array<{ type: string; label: string }>;
}

/** The earliest year, up to this one, the agreement has had in force without a yearly report. */
function firstUnreportedYear(context: AgreementContext, today: CalendarDate): number {
  const first = Number((context.terms.validity.startDate ?? today).slice(0, 4));
  let year = first;
  while (year < Number(today.slice(0, 4)) && context.followUps.some((r) => r.duty === 'yearly_report' && r.year === year)) year += 1;
  return year;
}

/**
 * The command this person would send: on behalf of their own party, or as the secretariat; for commands
 * with more input, the most likely one (a meeting held today, the first report not handed in, new terms
 * from next year), so the machine's guards can say whether it is possible at all.
 */
function candidateCommand(type: PersonEventType, actor: Actor, context: AgreementContext, today: CalendarDate): EngineCommand {
  const organisationId = actor.organisationId ?? '';
  switch (type) {
    case 'ACCEPT_INITIATIVE':
    case 'SEND_FOR_SIGNING':
      return { type };
    case 'DECLINE_INITIATIVE':
      return { type, reason: 'skäl' };
    case 'UPDATE_TERMS':
      return { type, terms: context.terms };
    case 'SIGN':
    case 'CONSENT_TO_EXTENSION':
    case 'CONSENT_TO_TERMINATION':
      return { type, organisationId };
    case 'RETURN_TO_DRAFT':
    case 'REFUSE_EXTENSION':
      return { type, organisationId, reason: 'skäl' };
    case 'DECLARE_TERMINATION':
      return { type, declaredBy: actor.roles.includes('secretariat') ? 'secretariat' : organisationId, ground: 'material_breach', reason: 'skäl' };
    case 'RECORD_SETTLEMENT':
      return { type, lines: [], note: '' };
    case 'AGREE_TO_AMENDMENT':
      return { type, organisationId };
    case 'REFUSE_AMENDMENT':
      return { type, organisationId, reason: 'skäl' };
    case 'WITHDRAW_AMENDMENT':
      return { type, reason: 'skäl' };
    case 'PROPOSE_AMENDMENT': {
      const economics = context.terms.economics ?? { costLines: [], totalKr: 0, contributions: [], indexationBasisPoints: 0 };
      return { type, effectiveFromYear: Number(today.slice(0, 4)) + 1, economics, reason: 'skäl' };
    }
    case 'RECORD_FOLLOW_UP_MEETING':
      return { type, heldOn: today };
    case 'SUBMIT_YEARLY_REPORT':
      return { type, year: firstUnreportedYear(context, today), organisationId };
  }
}

export interface OverviewRow {
  agreementId: string;
  name: string;
  partners: string[];
  category: string | null;
  targetGroup: string;
  purpose: string;
  estimatedValuePerYearKr: number | null;
  committeeCostPerYearKr: number | null;
  validUntil: string | null;
  state: AgreementStateCode;
  stateLabel: string;
}

/** Agreements: terms in, views out; every lifecycle change goes through the workflow engine. */

function readableOrAsStored(persisted: PersistedAgreement): PersistedAgreement {
  try {
    return migratePersisted(persisted);
  } catch (error) {
    // Read its stored state and context as if they were this version's; acting on it is still refused (restore throws).
    if (error instanceof UnsupportedMachineVersionError) return { ...persisted, machineVersion: MACHINE_VERSION };
    throw error;
  }
}

@Injectable()
export class AgreementsService {
  /**
   * The overview's page and sums read every agreement in force (60,000 of 100,000): the same read
   * asked for again while it runs is shared, never repeated, and at most four run at once (the
   * pool has room for the rest). Nothing is kept after it is answered.
   */
  private readonly overviewReads = new BoundedWork({
    concurrency: 4,
    queueSize: 200,
    busyMessage: 'Många hämtar översikten just nu. Försök igen om en liten stund.',
    retryAfterSeconds: 2,
  });

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly engine: WorkflowEngineService,
    private readonly access: AgreementAccessService,
    private readonly clock: ClockService,
    private readonly tables: AgreementRepository,
    private readonly projector: CaseDeadlineProjector,
    private readonly documents: DocumentsService,
  ) {}

  /** `replay`: history being loaded (the demo data), so no notices are sent for it. */
  async create(dto: CreateAgreementDto, actor: Actor, options: { replay?: boolean } = {}): Promise<AgreementView> {
    const proposer = await this.dataSource.getRepository(Organisation).findOneBy({ id: dto.proposedByOrganisationId });
    const problems: FieldProblem[] = [];
    if (!proposer) problems.push({ field: 'proposedByOrganisationId', message: 'Organisationen finns inte.' });
    else if (proposer.kind !== 'civil_society') {
      problems.push({ field: 'proposedByOrganisationId', message: 'Initiativet till en IOP ska komma från en idéburen organisation.' });
    }
    const { terms, problems: termProblems } = await this.termsFrom(dto, this.dataSource.manager);
    problems.push(...termProblems);
    if (proposer && !dto.parties.some((p) => p.organisationId === proposer.id)) {
      problems.push({ field: 'parties', message: 'Organisationen som tar initiativet ska vara part.' });
    }
    if (dto.receivedOn !== undefined && !dto.receivedVia) problems.push({ field: 'receivedVia', message: 'Ange hur initiativet kom in (papper, e-post eller annat) när du anger när det kom in.' });
    if (dto.receivedOn !== undefined && (!isCalendarDate(dto.receivedOn) || dto.receivedOn > this.clock.today())) {
      problems.push({ field: 'receivedOn', message: 'Dagen initiativet kom in ska vara ett giltigt datum, idag eller tidigare.' });
    }
    if (problems.length > 0) throw DomainError.validation(problems);
    // The answer is read inside the create's transaction: once it commits, nothing can turn it into an error.
    let answer: AgreementView | undefined;
    const input = { proposedBy: dto.proposedByOrganisationId, terms };
    const fields = this.columnsFrom(dto);
    // Registered by the secretariat on the organisation's behalf: the rules take only the secretariat so, and the history says for whom and how.
    const received = dto.receivedVia && proposer ? { receivedVia: dto.receivedVia, receivedOn: dto.receivedOn ?? null, onBehalfOf: { organisationId: proposer.id, name: proposer.name } } : null;
    await this.engine.start(
      agreementDefinition.type,
      {
        // One that came in on paper was proposed the day it came in (when the secretariat says so).
        input: (agreementId, today) => ({ ...input, agreementId, proposedOn: received?.receivedOn ?? today }),
        commandType: 'PROPOSE_INITIATIVE',
        payload: { title: fields.title, proposedBy: input.proposedBy, terms, ...(received ?? {}) },
        reason: received ? receivedWords(received.onBehalfOf.name, received.receivedVia, received.receivedOn) : null,
        fields: { ...fields, proposedByOrganisationId: input.proposedBy },
        prepare: (manager, id) => this.writeTermsRows(manager, id, dto),
        answer: async (manager, id) => (answer = await this.view(id, manager)),
      },
      actor,
      options,
    );
    return answer as AgreementView;
  }

  async update(id: string, dto: UpdateAgreementDto, actor: Actor): Promise<AgreementView> {
    // Those who may not edit learn nothing, not even which of their fields would be wrong.
    await this.engine.requirePermitted(agreementCase(id), actor, { type: 'UPDATE_TERMS' });
    const { terms, problems } = await this.termsFrom(dto, this.dataSource.manager);
    if (problems.length > 0) throw DomainError.validation(problems);
    const columns = this.columnsFrom(dto);
    // The agreement's own columns (name, diarienummer, texts) go in the history row with the terms: the edit is all there.
    const texts = { title: columns.title, diarienummer: columns.diarienummer, committee: columns.committee, purpose: columns.purpose, targetGroup: columns.targetGroup, activities: columns.activities, places: columns.places, placeCategory: columns.placeCategory };
    await this.engine.apply(agreementCase(id), { type: 'UPDATE_TERMS', terms, texts }, actor, {
      expectedVersion: dto.expectedVersion,
      onApplied: async (manager) => {
        await this.tables.writeOwnColumns(id, columns, manager);
        await this.writeTermsRows(manager, id, dto);
      },
    });
    return this.view(id);
  }

  /**
   * The document's text alone, as a change of the terms (the same event, rules and history as PUT
   * /agreements/:id, so only in an initiative or a draft, by the secretariat): the machine's terms
   * stay as they are, the texts are in the history row.
   */
  async updateTexts(id: string, dto: UpdateDocumentTextsDto, actor: Actor): Promise<AgreementView> {
    await this.engine.requirePermitted(agreementCase(id), actor, { type: 'UPDATE_TERMS' });
    const current = await this.view(id);
    const texts = textsOf(dto);
    const columns = { purpose: (dto.purpose ?? '').trim(), targetGroup: (dto.targetGroup ?? '').trim(), activities: (dto.activities ?? '').trim(), documentText: texts };
    const terms = ((await this.tables.byId(id))?.context as AgreementContext).terms;
    await this.engine.apply(agreementCase(id), { type: 'UPDATE_TERMS', terms, texts: { ...columns } }, actor, {
      expectedVersion: dto.expectedVersion ?? current.rowVersion,
      onApplied: (manager) => this.tables.writeOwnColumns(id, columns, manager),
    });
    return this.view(id);
  }

  async setReminderPolicy(id: string, dto: ReminderPolicyDto, actor: Actor): Promise<{ agreementId: string; reminderPolicy: ReminderPolicy }> {
    // Only the lists given override the defaults; stored as plain offsets.
    const overrides = Object.fromEntries(
      Object.entries(dto)
        .filter(([, list]) => Array.isArray(list))
        .map(([key, list]) => [key, (list as ReminderOffsetDto[]).map((o) => ({ months: o.months, weeks: o.weeks, days: o.days }))]),
    ) as Partial<ReminderPolicy>;
    const policy = Object.keys(overrides).length > 0 ? overrides : null;
    await this.engine.setReminderPolicy(agreementCase(id), policy, actor);
    return { agreementId: id, reminderPolicy: resolvePolicy(policy) };
  }

  /** `authentication`: how the sender signed in (src/auth/sign-in-method.ts), recorded with a signature. */
  async sendEvent(id: string, dto: SendEventDto, actor: Actor, authentication = 'inte registrerat'): Promise<AgreementTransition> {
    if (dto.type === 'SEND_FOR_SIGNING') return this.sendForSigning(id, dto, actor);
    if (dto.type === 'SIGN') return this.sign(id, dto, actor, authentication);
    if (dto.type === 'AGREE_TO_AMENDMENT') return this.agreeToAmendment(id, dto, actor, authentication);
    // The last party's agreement adopts an amendment: the terms tables then follow the new economics, in the same transaction.
    const { caseId, eventType, from, to, rowVersion } = await this.engine.apply(agreementCase(id), commandOf(dto), actor, { expectedVersion: dto.expectedVersion });
    return { agreementId: caseId, eventType, from, to, rowVersion };
  }

  /**
   * The document is rendered from the terms as read, before the transaction (no row lock is held
   * while Chromium prints), and the sending is bound to that read's row version: terms changed in
   * between refuse it (stale_version) rather than send a document that is not theirs. The hash is in
   * the event's own history row; the PDF is stored in the same transaction.
   */
  private async sendForSigning(id: string, dto: SendEventDto, actor: Actor): Promise<AgreementTransition> {
    await this.requireSignatoryPerParty(id, actor);
    // Those who may not send learn nothing, and no PDF is printed for them.
    await this.engine.requirePermitted(agreementCase(id), actor, { type: 'SEND_FOR_SIGNING' });
    const read = await this.view(id);
    const expectedVersion = dto.expectedVersion ?? read.rowVersion;
    if (expectedVersion !== read.rowVersion) {
      throw new DomainError('stale_version', `Överenskommelsen har ändrats sedan du läste den (version ${read.rowVersion}, du skickade ${expectedVersion}). Läs in den igen.`, { currentVersion: read.rowVersion });
    }
    const rendered = await this.documents.render(read);
    const { caseId, eventType, from, to, rowVersion } = await this.engine.apply(agreementCase(id), { type: 'SEND_FOR_SIGNING', documentHash: rendered.hash }, actor, {
      expectedVersion,
      onApplied: (manager) => this.documents.storeForSigning(manager, id, rendered, read.rowVersion),
    });
    return { agreementId: caseId, eventType, from, to, rowVersion };
  }

  /**
   * A signature is for the round's document: another hash is refused (409), checked again under the
   * row lock. The last party's signature seals the agreement: the sealed PDF is made before the
   * transaction (Chromium and the PAdES signature take a second or two, no lock held) and stored in
   * it, with its hash in the signature's own history row.
   */
  private async sign(id: string, dto: SendEventDto, actor: Actor, authentication: string): Promise<AgreementTransition> {
    // Those who may not sign are answered as before (403/404), never with the document's hash.
    await this.engine.requirePermitted(agreementCase(id), actor, commandOf(dto));
    const documentHash = await this.documents.requireSignable(id, dto.documentHash);
    const read = await this.view(id);
    const party = read.parties.find((p) => p.organisationId === dto.organisationId);
    const last = documentHash !== undefined && read.state === 'signing' && party !== undefined && !party.signed && read.parties.every((p) => p.signed || p === party);
    const sealed = last ? await this.documents.seal(read, documentHash, { actor, at: this.clock.now(), authentication }) : null;
    const command = { ...commandOf(dto), ...(documentHash ? { documentHash } : {}), authentication, ...(sealed ? { sealedDocumentHash: sealed.hash } : {}) };
    const { caseId, eventType, from, to, rowVersion } = await this.engine.apply(agreementCase(id), command, actor, {
      expectedVersion: dto.expectedVersion,
      onApplied: async (manager) => {
        await this.documents.requireSignable(id, documentHash, manager);
        if (sealed) await this.documents.storeSealed(manager, id, sealed, read.rowVersion);
      },
    });
    if (!sealed && documentHash && from === 'signing' && to !== 'signing') await this.documents.sealAfterwards(await this.view(id), documentHash);
    return { agreementId: caseId, eventType, from, to, rowVersion };
  }

  /**
   * The last party's agreement to an amendment seals the amendment as a document of its own (made
   * before the transaction, stored in it, its hash in the row), as the last signature seals the agreement.
   */
  private async agreeToAmendment(id: string, dto: SendEventDto, actor: Actor, authentication: string): Promise<AgreementTransition> {
    await this.engine.requirePermitted(agreementCase(id), actor, commandOf(dto));
    const read = await this.view(id);
    const amendment = read.pendingAmendment;
    const agreed = (amendment?.agreements ?? []).map((x) => x.organisationId);
    const last = amendment !== null && !agreed.includes(dto.organisationId ?? '') && read.parties.every((p) => agreed.includes(p.organisationId) || p.organisationId === dto.organisationId);
    const sealed = last ? await this.documents.sealAmendment(read, { actor, at: this.clock.now(), authentication }) : null;
    const command = { ...commandOf(dto), authentication, ...(sealed ? { sealedDocumentHash: sealed.hash } : {}) };
    const { caseId, eventType, from, to, rowVersion } = await this.engine.apply(agreementCase(id), command, actor, {
      expectedVersion: dto.expectedVersion,
      onApplied: async (manager) => {
        if (sealed) await this.documents.storeSealed(manager, id, sealed, read.rowVersion, 'amendment');
      },
    });
    return { agreementId: caseId, eventType, from, to, rowVersion };
  }

  /**
   * What this person may do now: the events the agreement's state takes, that the rules let this
   * person send on behalf of their own party (or as the secretariat), and that the machine's guards
   * accept (a party that already signed cannot sign again). Clock events are listed apart.
   */
  async allowedEvents(id: string, actor: Actor): Promise<AllowedEvents> {
    return this.allowedOf(await this.visible(id, actor, (x) => this.tables.withMembers(x)), actor);
  }

  /**
   * What the person may do now in each of several agreements (a page of a list), read in one query;
   * agreements they may not see are left out. With each, how many parties consented to a termination.
   */
  async allowedEventsOfMany(ids: readonly string[], actor: Actor): Promise<Map<string, AllowedEvents & { terminationConsents: number }>> {
    requireSignedIn(actor);
    const allowed = new Map<string, AllowedEvents & { terminationConsents: number }>();
    for (const agreement of await this.tables.withMembersOfMany(ids)) {
      if (!maySee(requesterOf(actor), ruledAgreementOf(agreement.context))) continue;
      allowed.set(agreement.id, { ...this.allowedOf(agreement, actor), terminationConsents: agreement.context.terminationConsents?.length ?? 0 });
    }
    return allowed;
  }

  private allowedOf(agreement: AgreementRecord, actor: Actor): AllowedEvents {
    const snapshot = restore(persistedOf(agreement));
    const ruled = ruledAgreementOf(agreement.context, (agreement.members ?? []).filter((m) => m.role === 'signatory').map((m) => m.personId));
    const today = this.clock.today();
    const events: AllowedEvents['events'] = [];
    const clockEvents: AllowedEvents['clockEvents'] = [];
    for (const type of eventTypesFrom(snapshot)) {
      if ((TIMER_EVENT_TYPES as readonly string[]).includes(type)) {
        clockEvents.push({ type, label: EVENT_LABELS[type] });
        continue;
      }
      const command = candidateCommand(type as PersonEventType, actor, snapshot.context, today);
      const decision = authorise(agreementDefinition, actor, command, ruled);
      if (!decision.allowed) continue;
      // Guards that depend on what the person will type (terms, settlement lines) are checked when sent.
      const endpoint = OWN_ENDPOINTS[type as PersonEventType];
      const guardKnown = type !== 'UPDATE_TERMS' && type !== 'RECORD_SETTLEMENT';
      if (guardKnown && !snapshot.can({ ...command, today } as never)) continue;
      events.push({
        type,
        label: EVENT_LABELS[type],
        as: decision.actor.role as AccountRole,
        ...('organisationId' in command ? { organisationId: command.organisationId as string } : {}),
        ...('declaredBy' in command ? { declaredBy: command.declaredBy as string } : {}),
        needs: (REQUIRED_FIELDS[type as SendEventDto['type']] ?? []).filter((f) => f !== 'organisationId' && f !== 'declaredBy'),
        ...(endpoint ? { endpoint } : {}),
      });
    }
    return { state: agreement.state, stateLabel: STATE_LABELS[agreement.state], events, clockEvents };
  }

  /**
   * A page of the list: the agreements' own columns (one query, no children) and their dates from
   * the engine's date rows (one more), never a snapshot restored. The full view is GET /agreements/:id.
   */
  async list(query: ListAgreementsQuery, actor: Actor): Promise<Page<AgreementListItem>> {
    const visibility = this.access.visibility(actor);
    if (query.state && !(ALL_STATE_CODES as readonly string[]).includes(query.state) && !ALL_STATE_CODES.some((c) => c.startsWith(`${query.state}.`))) {
      throw DomainError.validation([{ field: 'state', message: `Okänt tillstånd. Välj bland: ${ALL_STATE_CODES.join(', ')}.` }]);
    }
    if (query.deadlineBefore && !isCalendarDate(query.deadlineBefore)) {
      throw DomainError.validation([{ field: 'deadlineBefore', message: 'deadlineBefore är inte ett giltigt datum.' }]);
    }
    const filter = { state: query.state, partner: query.partner, deadlineBefore: query.deadlineBefore };
    const page = await this.tables.listPage(filter, visibility, pageRequestOf(query, 3));
    await this.projector.catchUp();
    const dates = await deadlinesOfCases(this.dataSource.manager, page.items.map((r) => r.id));
    return page.map((r) => listItemOf(r, dates.get(r.id) ?? []));
  }

  /** How many agreements a list filter matches, for pages that say so. */
  count(query: ListAgreementsQuery, actor: Actor): Promise<number> {
    return this.tables.listCount({ state: query.state, partner: query.partner, deadlineBefore: query.deadlineBefore }, this.access.visibility(actor));
  }

  async get(id: string, actor: Actor): Promise<AgreementView> {
    return this.viewOf(await this.visible(id, actor, (x) => this.tables.withTerms(x)));
  }

  private async view(id: string, manager: EntityManager = this.dataSource.manager): Promise<AgreementView> {
    const agreement = await this.tables.withTerms(id, manager);
    if (!agreement) throw DomainError.notFound('Överenskommelsen');
    return this.viewOf(agreement);
  }

  /** The agreement if this person may see it, else not found: one read (the row alone, or with what `read` adds), the rule checked on what was read. */
  private async visible(id: string, actor: Actor, read: (id: string) => Promise<AgreementRecord | null> = (x) => this.tables.byId(x)): Promise<AgreementRecord> {
    requireSignedIn(actor);
    const agreement = await read(id);
    if (!agreement || !maySee(requesterOf(actor), ruledAgreementOf(agreement.context))) throw DomainError.notFound('Överenskommelsen');
    return agreement;
  }

  /** Each year under the terms version in force that year: an amendment changes the years from its own on. */
  async economics(id: string, actor: Actor): Promise<{ agreementId: string; baseYear: number | null; years: VersionedYearProjection[] }> {
    const agreement = await this.visible(id, actor);
    const persisted = migratePersisted(persistedOf(agreement));
    const { terms } = persisted.context;
    const start = terms.validity.startDate;
    const last = latestPossibleEnd(persisted);
    const versions = economicsVersionsOf(persisted.context).filter((v) => v.economics.contributions.length > 0);
    if (!start || !last || versions.length === 0) {
      return { agreementId: id, baseYear: null, years: [] };
    }
    const baseYear = Number(start.slice(0, 4));
    return { agreementId: id, baseYear, years: projectVersionedEconomics(versions, terms.parties, baseYear, Number(last.slice(0, 4))) };
  }

  /**
   * The committee's overview table (as in its yearly follow-up), a page at a time, sorted in SQL on a
   * column. Without a filter: every agreement past the draft, with the current terms' figures (the
   * API's overview); the portfolio asks for the states and the year it shows.
   */
  async overview(actor: Actor, options: { sort?: OverviewSortKey; descending?: boolean; page?: PageRequest; filter?: OverviewFilter } = {}): Promise<Page<OverviewRow>> {
    const visibility = this.access.visibility(actor);
    const filter = options.filter ?? { states: OVERVIEW_STATES, year: null };
    const sort = { key: options.sort ?? 'name', descending: options.descending ?? false };
    const request = options.page ?? { limit: PAGE_SIZE.default, after: null };
    const page = await this.overviewReads.run(() => this.tables.overviewPage(visibility, filter, sort, request), JSON.stringify(['page', visibility, filter, sort, request]));
    return page.map((r) => ({
      agreementId: r.agreement_id,
      name: r.name,
      partners: r.partners,
      category: r.category,
      targetGroup: r.target_group,
      purpose: r.purpose,
      estimatedValuePerYearKr: r.estimated,
      committeeCostPerYearKr: r.cost,
      validUntil: r.valid_until,
      state: r.state,
      stateLabel: STATE_LABELS[r.state],
    }));
  }

  /** The overview's count and sums per state over all its agreements in the filter (not only the page shown). */
  overviewTotals(actor: Actor, filter: OverviewFilter): Promise<OverviewStateTotals[]> {
    const visibility = this.access.visibility(actor);
    return this.overviewReads.run(() => this.tables.overviewTotals(visibility, filter), JSON.stringify(['totals', visibility, filter]));
  }

  private columnsFrom(dto: AgreementTermsDto): Partial<AgreementRecord> {
    return {
      title: dto.title.trim(),
      diarienummer: dto.diarienummer ?? null,
      committee: dto.committee ?? null,
      purpose: dto.purpose ?? '',
      targetGroup: dto.targetGroup ?? '',
      activities: dto.activities ?? '',
      // The document's other sections change only when given (the terms form that predates them leaves them as they are).
      ...(dto.texts ? { documentText: textsOf(dto.texts) } : {}),
      places: dto.places ?? null,
      placeCategory: dto.placeCategory ?? null,
      invoicing: {
        gln: dto.invoicing?.gln ?? null,
        organisationNumber: dto.invoicing?.organisationNumber ?? null,
        peppolId: dto.invoicing?.peppolId ?? null,
        reference: dto.invoicing?.reference ?? null,
        marking: dto.invoicing?.marking ?? null,
        address: dto.invoicing?.address ?? null,
      },
    };
  }

  /** Builds the machine's terms from the DTO, naming every field that is wrong. */
  private async termsFrom(dto: AgreementTermsDto, manager: EntityManager): Promise<{ terms: AgreementTerms; problems: FieldProblem[] }> {
    const problems: FieldProblem[] = [];
    const orgIds = dto.parties.map((p) => p.organisationId);
    const organisations = orgIds.length ? await manager.getRepository(Organisation).findBy({ id: In(orgIds) }) : [];
    dto.parties.forEach((p, i) => {
      if (!organisations.some((o) => o.id === p.organisationId)) {
        problems.push({ field: `parties.${i}.organisationId`, message: 'Organisationen finns inte.' });
      }
      if (p.contributionKr === undefined && p.shareBasisPoints !== undefined) {
        problems.push({ field: `parties.${i}.contributionKr`, message: 'Ange partens bidrag i kronor: andelen räknas från bidragen.' });
      }
    });
    // A share left out is the party's amount's part of all the contributions (a pure rule, summing to 100 %).
    const contributing = dto.parties.map((p, i) => ({ p, i })).filter(({ p }) => p.contributionKr !== undefined);
    const derived = sharesFromAmounts(contributing.map(({ p }) => p.contributionKr as number));
    (dto.economics?.costLines ?? []).forEach((line, i) => {
      if (line.organisationId && !orgIds.includes(line.organisationId)) {
        problems.push({ field: `economics.costLines.${i}.organisationId`, message: 'Kostnaden måste bäras av en part.' });
      }
    });
    const personIds = [...(dto.signatoryIds ?? []), ...(dto.samverkansgruppIds ?? [])];
    if (personIds.length > 0) {
      const people = await manager.getRepository(Person).findBy({ id: In(personIds) });
      const mayNotSign = await this.peopleWhoMayNotSign(dto.signatoryIds ?? [], manager);
      const check = (ids: string[] | undefined, field: string): void =>
        (ids ?? []).forEach((pid, i) => {
          const person = people.find((p) => p.id === pid);
          if (!person) problems.push({ field: `${field}.${i}`, message: 'Personen finns inte.' });
          else if (!orgIds.includes(person.organisationId)) {
            problems.push({ field: `${field}.${i}`, message: `${person.name} hör inte till någon av parterna.` });
          }
        });
      check(dto.signatoryIds, 'signatoryIds');
      // A firmatecknare named in the terms signs for their party: only someone whose account may sign (the rules refuse everyone else's SIGN).
      (dto.signatoryIds ?? []).forEach((pid, i) => {
        const person = people.find((p) => p.id === pid);
        const party = organisations.find((o) => o.id === person?.organisationId);
        if (person && party && mayNotSign.has(pid)) {
          problems.push({ field: `signatoryIds.${i}`, message: `${person.name} får inte teckna ${party.name}: bara personer med rollen firmatecknare kan väljas.` });
        }
      });
      check(dto.samverkansgruppIds, 'samverkansgruppIds');
    }
    const terms: AgreementTerms = {
      parties: dto.parties.map((p) => {
        const org = organisations.find((o) => o.id === p.organisationId);
        return { organisationId: p.organisationId, name: org?.name ?? '', kind: org?.kind ?? 'civil_society' };
      }),
      validity: { startDate: dto.validity?.startDate ?? null, endDate: dto.validity?.endDate ?? null },
      extension: dto.extension
        ? {
            periodMonths: dto.extension.periodMonths,
            maxExtensions: dto.extension.maxExtensions,
            decisionNoticeMonths: dto.extension.decisionNoticeMonths ?? DEFAULT_EXTENSION_TERMS.decisionNoticeMonths,
            decisionWindowMonths: dto.extension.decisionWindowMonths ?? DEFAULT_EXTENSION_TERMS.decisionWindowMonths,
          }
        : null,
      economics: dto.economics
        ? {
            costLines: dto.economics.costLines.map((l) => ({ label: l.label, amountKr: l.amountKr })),
            totalKr: dto.economics.totalKr,
            indexationBasisPoints: dto.economics.indexationBasisPoints,
            contributions: contributing.map(({ p }, k) => ({
              organisationId: p.organisationId,
              amountKr: p.contributionKr as number,
              shareBasisPoints: p.shareBasisPoints ?? derived?.[k] ?? 0,
            })),
          }
        : null,
      followUp: dto.followUp
        ? {
            meetingsPerYear: dto.followUp.meetingsPerYear,
            yearlyReport: dto.followUp.yearlyReport ? { dueMonth: dto.followUp.yearlyReport.dueMonth, dueDay: dto.followUp.yearlyReport.dueDay } : null,
          }
        : null,
    };
    const consistency = termsConsistencyProblems(terms).map((p) => ({
      ...p,
      // The contributions are the contributing parties, in order: contribution k is the form's and the API's parties.<i>.
      field: p.field.replace(/^economics\.contributions(?:\.(\d+))?/, (_m, k: string | undefined) => (k === undefined ? 'parties' : `parties.${contributing[Number(k)]?.i ?? k}`)),
    }));
    if (dto.validity?.startDate && !isCalendarDate(dto.validity.startDate)) {
      problems.push({ field: 'validity.startDate', message: 'Startdatum är inte ett giltigt datum.' });
    }
    if (dto.validity?.endDate && !isCalendarDate(dto.validity.endDate)) {
      problems.push({ field: 'validity.endDate', message: 'Slutdatum är inte ett giltigt datum.' });
    }
    problems.push(...consistency.filter((c) => !problems.some((p) => p.field === c.field && p.message === c.message)));
    return { terms, problems };
  }

  /**
   * Nobody could sign for a party the terms name no firmatecknare for (who may sign): such a draft is
   * not sent for signing. Checked for those the rules let send it, while it is a draft; the engine decides the rest.
   */
  private async requireSignatoryPerParty(id: string, actor: Actor): Promise<void> {
    await this.engine.requirePermitted(agreementCase(id), actor, { type: 'SEND_FOR_SIGNING' });
    const agreement = await this.tables.withTerms(id);
    if (!agreement || agreement.state !== 'draft') return;
    const named = (agreement.members ?? []).filter((m) => m.role === 'signatory');
    const mayNotSign = await this.peopleWhoMayNotSign(named.map((m) => m.personId), this.dataSource.manager);
    const without = [...(agreement.parties ?? [])]
      .sort((x, y) => x.position - y.position)
      .filter((party) => !named.some((m) => m.organisationId === party.organisationId && !mayNotSign.has(m.personId)));
    if (without.length === 0) return;
    throw DomainError.validation(
      without.map((party) => ({
        field: 'signatoryIds',
        message: `Ingen firmatecknare är vald för ${party.organisation?.name ?? 'en part'}: välj minst en under Ändra villkoren innan överenskommelsen skickas för signering.`,
      })),
    );
  }

  /** Of these people, those without an enabled account holding the signatory role (read like the sign-in's actor is). */
  private async peopleWhoMayNotSign(personIds: string[], manager: EntityManager): Promise<Set<string>> {
    if (personIds.length === 0) return new Set();
    const rows = await manager.query<Array<{ id: string }>>(
      `SELECT p.id FROM person p JOIN account a ON a.person_id = p.id
        WHERE p.id = ANY($1::uuid[]) AND 'signatory' = ANY(a.roles) AND a.disabled_at IS NULL`,
      [personIds],
    );
    const may = new Set(rows.map((r) => r.id));
    return new Set(personIds.filter((id) => !may.has(id)));
  }

  /**
   * What the terms form says beside the snapshot: which party bears each cost line, and the people
   * the agreement names (firmatecknare, samverkansgrupp). The parties and the cost lines themselves
   * are the engine's projections of the context (AgreementRepository.projectTerms), written before this.
   */
  private async writeTermsRows(manager: EntityManager, agreementId: string, dto: AgreementTermsDto): Promise<void> {
    const personIds = [...new Set([...(dto.signatoryIds ?? []), ...(dto.samverkansgruppIds ?? [])])];
    const people = personIds.length ? await manager.getRepository(Person).findBy({ id: In(personIds) }) : [];
    const members = [
      ...(dto.signatoryIds ?? []).map((personId) => ({ personId, role: 'signatory' as const })),
      ...(dto.samverkansgruppIds ?? []).map((personId) => ({ personId, role: 'samverkansgrupp' as const })),
    ].map((m) => ({ ...m, organisationId: people.find((p) => p.id === m.personId)?.organisationId ?? '' }));
    const unique = members.filter((m, i) => members.findIndex((o) => o.personId === m.personId && o.role === m.role) === i);
    const bearers = (dto.economics?.costLines ?? []).map((line) => line.organisationId ?? null);
    await this.tables.writeFormRows(agreementId, bearers, unique, manager);
  }

  private viewOf(a: AgreementRecord): AgreementView {
    // Agreements stored by an older machine version are read as the current one (they are migrated on their next transition).
    // One this version cannot read (a newer instance's, or a damaged row) is shown as stored: one row must not take every list down.
    const persisted = readableOrAsStored(persistedOf(a));
    const { context } = persisted;
    const parties = [...(a.parties ?? [])].sort((x, y) => x.position - y.position);
    const members = a.members ?? [];
    const person = (m: AgreementMemberRecord) => ({ personId: m.personId, name: m.person?.name ?? '', email: m.person?.email ?? '', organisationId: m.organisationId });
    const ext = a.context.terms.extension;
    return {
      id: a.id,
      title: a.title,
      diarienummer: a.diarienummer,
      committee: a.committee,
      purpose: a.purpose,
      targetGroup: a.targetGroup,
      activities: a.activities,
      texts: a.documentText ?? {},
      places: a.places,
      placeCategory: a.placeCategory,
      state: a.state,
      stateLabel: STATE_LABELS[a.state],
      rowVersion: a.rowVersion,
      machineVersion: a.machineVersion,
      proposedByOrganisationId: a.proposedByOrganisationId,
      startDate: a.startDate,
      endDate: a.endDate,
      latestPossibleEnd: latestPossibleEnd(persisted),
      extension: ext ? { ...ext, used: a.extensionsUsed } : null,
      economics: {
        totalKr: a.totalKr,
        indexationBasisPoints: a.indexationBasisPoints,
        costLines: [...(a.costLines ?? [])].sort((x, y) => x.position - y.position).map((l) => ({ label: l.label, amountKr: l.amountKr, organisationId: l.organisationId })),
      },
      invoicing: a.invoicing,
      parties: parties.map((p) => ({
        organisationId: p.organisationId,
        name: p.organisation?.name ?? '',
        organisationNumber: p.organisation?.organisationNumber ?? '',
        kind: p.kind,
        contributionKr: p.contributionKr,
        shareBasisPoints: p.shareBasisPoints,
        signed: a.context.signatures.some((s) => s.organisationId === p.organisationId),
      })),
      signatories: members.filter((m) => m.role === 'signatory').map(person),
      samverkansgrupp: members.filter((m) => m.role === 'samverkansgrupp').map(person),
      nextDeadline: a.nextDeadlineAt && a.nextDeadlineKind && a.nextDeadlineDate ? { kind: a.nextDeadlineKind, date: a.nextDeadlineDate, at: a.nextDeadlineAt.toISOString() } : null,
      deadlines: deadlinesOf(persisted).map((d) => ({ kind: d.kind, cycle: d.cycle, dueDate: d.dueDate, firesAt: d.firesAt, event: d.event, overdue: d.overdue })),
      followUp: { duties: context.terms.followUp ?? null, obligations: obligationViews(context) },
      termsVersions: context.termsVersions,
      pendingAmendment: context.amendment,
      lifecycle: {
        extensionsUsed: a.context.extensionsUsed,
        signatures: a.context.signatures,
        decision: a.context.decision,
        pastDecisions: a.context.pastDecisions,
        terminationConsents: a.context.terminationConsents,
        termination: a.context.termination,
        settlement: a.context.settlement,
        declineReason: a.context.declineReason,
        lastReturn: a.context.lastReturn,
        signingRound: a.context.signingRound,
      },
    };
  }
}

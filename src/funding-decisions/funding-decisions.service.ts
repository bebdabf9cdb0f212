import { ROLES_SEEING_ALL } from '@workflows/funding-decision/rules';
import { Page, pageRequestOf } from '@app/common/paging';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { fundingDecisionDefinition, FUNDING_DECISION_EVENTS } from '@workflows/funding-decision/definition';
import { deadlinesOf } from '@workflows/funding-decision/deadlines';
import { DEADLINE_LABELS, STATE_LABELS } from '@workflows/funding-decision/labels';
import { proposalConsistencyProblems } from '@workflows/funding-decision/proposal';
import { ruledOf } from '@workflows/funding-decision/rules';
import type { FundingDecisionInput, FundingDecisionStateCode, FundingProposal } from '@workflows/funding-decision/types';
import { ALL_STATE_CODES } from '@workflows/funding-decision/types';
import type { Actor } from '@app/audit/actor';
import { requireSignedIn } from '@app/auth/access';
import { missingFields } from '@app/cases/event-dto';
import { DomainError, type FieldProblem } from '@app/common/domain-error';
import { findMeeting } from '@app/meetings/committee-meeting.repository';
import { requesterOf } from '@app/workflow-engine/authorisation';
import { WorkflowEngineService } from '@app/workflow-engine/workflow-engine.service';
import type { CreateFundingDecisionDto, FundingDecisionView, FundingEventDto, FundingTransitionView, ListFundingDecisionsQuery, ProposalDto } from './dto/funding-decision.dto';
import { fundingDecisionCase } from './funding-decision.kind';
import { countFundingDecisions, findFundingDecision, listFundingDecisions, type FundingDecisionRow } from './funding-decision.repository';

const NOT_FOUND = () => DomainError.notFound(fundingDecisionDefinition.noun.definite);

/**
 * Funding decisions (beslut om medel): prepared by the administration, decided by the committee,
 * followed up at its meetings. Every change goes through the engine; this service builds the
 * machine's input from what the API was given (the partner, the officials and the meetings as registered).
 */
@Injectable()
export class FundingDecisionsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly engine: WorkflowEngineService,
  ) {}

  async create(dto: CreateFundingDecisionDto, actor: Actor): Promise<FundingDecisionView> {
    const committee = dto.committee.trim();
    const proposal = await this.proposalFrom(this.dataSource.manager, dto.proposal, 'proposal');
    let answer: FundingDecisionView | undefined;
    const input = (caseId: string, preparedOn: string): FundingDecisionInput => ({ caseId, committee, title: dto.title.trim(), preparedBy: dto.preparedBy.trim(), preparedOn, proposal });
    await this.engine.start(
      fundingDecisionDefinition.type,
      {
        input,
        commandType: 'PREPARE',
        payload: { title: dto.title.trim(), committee, preparedBy: dto.preparedBy.trim(), proposal },
        answer: async (manager, id) => (answer = await this.view(manager, id)),
      },
      actor,
    );
    return answer as FundingDecisionView;
  }

  /** A page of decisions; those this person may not see are left out of it (the cursor still moves past them). */
  async list(query: ListFundingDecisionsQuery, actor: Actor): Promise<Page<FundingDecisionView>> {
    requireSignedIn(actor);
    if (query.state && !(ALL_STATE_CODES as readonly string[]).includes(query.state)) {
      throw DomainError.validation([{ field: 'state', message: `Okänt läge. Välj bland: ${ALL_STATE_CODES.join(', ')}.` }]);
    }
    const seesAll = actor.roles.some((r) => ROLES_SEEING_ALL.includes(r));
    const ofPartner = actor.roles.some((r) => r === 'member' || r === 'signatory') ? actor.organisationId : null;
    const namedFor = seesAll ? undefined : { personId: actor.personId, organisationId: ofPartner };
    const page = await listFundingDecisions(this.dataSource.manager, { state: query.state, namedFor }, pageRequestOf(query, 2));
    return new Page(
      page.items.filter((row) => this.maySee(actor, row)).map((row) => this.viewOf(row)),
      page.next,
    );
  }

  /** How many decisions there are in the state, for the secretariat's heading; null for those who see only their own. */
  async count(state: string | undefined, actor: Actor): Promise<number | null> {
    if (!actor.roles.some((r) => ROLES_SEEING_ALL.includes(r))) return null;
    return countFundingDecisions(this.dataSource.manager, { state });
  }

  async get(id: string, actor: Actor): Promise<FundingDecisionView> {
    requireSignedIn(actor);
    const row = await findFundingDecision(this.dataSource.manager, id);
    if (!row || !this.maySee(actor, row)) throw NOT_FOUND();
    return this.viewOf(row);
  }

  /** Refuses unless the person may send the event (not found if unseen; forbidden, and recorded, if not theirs): for a form that asks before it validates. */
  async requirePermitted(id: string, type: FundingEventDto['type'], actor: Actor): Promise<void> {
    await this.engine.requirePermitted(fundingDecisionCase(id), actor, { type });
  }

  async sendEvent(id: string, dto: FundingEventDto, actor: Actor): Promise<FundingTransitionView> {
    // Those who may not act learn nothing from validation: the rules are asked first.
    await this.engine.requirePermitted(fundingDecisionCase(id), actor, { type: dto.type });
    const description = FUNDING_DECISION_EVENTS[dto.type];
    // The events' required fields, as the definition describes them once (the body names a meeting by its id).
    const missing = missingFields(fundingDecisionDefinition, dto);
    if (missing.length > 0) throw DomainError.validation(missing.map((field) => ({ field, message: `${description.label} behöver ${field}.` })));
    const command: Record<string, unknown> = { type: dto.type };
    for (const field of description.fields) {
      if (field === 'meeting') {
        const meeting = await findMeeting(this.dataSource.manager, dto.meetingId as string);
        if (!meeting) throw DomainError.validation([{ field: 'meetingId', message: `Sammanträdet ${dto.meetingId} finns inte i sammanträdesplanen.` }]);
        command.meeting = meeting;
      } else if (field === 'proposal') {
        command.proposal = await this.proposalFrom(this.dataSource.manager, dto.proposal as ProposalDto, 'proposal');
      } else if (dto[field as keyof FundingEventDto] !== undefined) {
        const value = dto[field as keyof FundingEventDto];
        command[field] = typeof value === 'string' ? value.trim() : value;
      }
    }
    const t = await this.engine.apply(fundingDecisionCase(id), command as { type: string }, actor, { expectedVersion: dto.expectedVersion });
    return { id: t.caseId, eventType: t.eventType, from: t.from, to: t.to, rowVersion: t.rowVersion };
  }

  private maySee(actor: Actor, row: FundingDecisionRow): boolean {
    return fundingDecisionDefinition.rules.maySee(requesterOf(actor), ruledOf(row.context));
  }

  /** The proposal as the machine keeps it: the partner's registered name, the officials' accounts, the meetings as planned. */
  private async proposalFrom(manager: EntityManager, dto: ProposalDto, prefix: string): Promise<FundingProposal> {
    const problems: FieldProblem[] = [];
    const [partner] = await manager.query<Array<{ name: string }>>(`SELECT name FROM organisation WHERE id = $1`, [dto.partner.organisationId]);
    if (!partner) problems.push({ field: `${prefix}.partner.organisationId`, message: 'Organisationen finns inte.' });
    const officials = [];
    for (const [i, o] of dto.officials.entries()) {
      if (!o.personId) {
        officials.push({ personId: null, name: o.name.trim(), email: null });
        continue;
      }
      const [person] = await manager.query<Array<{ email: string }>>(`SELECT email FROM person WHERE id = $1`, [o.personId]);
      if (!person) problems.push({ field: `${prefix}.officials[${i}].personId`, message: 'Personen finns inte.' });
      officials.push({ personId: o.personId, name: o.name.trim(), email: person?.email ?? null });
    }
    const followUps = [];
    for (const [i, f] of dto.followUps.entries()) {
      const meeting = await findMeeting(manager, f.meetingId);
      if (!meeting) problems.push({ field: `${prefix}.followUps[${i}].meetingId`, message: `Sammanträdet ${f.meetingId} finns inte i sammanträdesplanen.` });
      else followUps.push({ key: f.key, kind: f.kind, meeting });
    }
    const proposal: FundingProposal = {
      summary: dto.summary.trim(),
      amountKr: dto.amountKr,
      budgetLine: dto.budgetLine.trim(),
      partner: { organisationId: dto.partner.organisationId, name: partner?.name ?? '' },
      period: { startDate: dto.period.startDate, endDate: dto.period.endDate },
      officials,
      recipients: dto.recipients.map((r) => ({ name: r.name.trim(), email: r.email?.toLowerCase() ?? null })),
      followUps,
    };
    if (problems.length === 0) problems.push(...proposalConsistencyProblems(proposal).map((message) => ({ field: prefix, message })));
    if (problems.length > 0) throw DomainError.validation(problems);
    return proposal;
  }

  private async view(manager: EntityManager, id: string): Promise<FundingDecisionView> {
    const row = await findFundingDecision(manager, id);
    if (!row) throw NOT_FOUND();
    return this.viewOf(row);
  }

  private viewOf(row: FundingDecisionRow): FundingDecisionView {
    const { context } = row;
    const state = row.state as FundingDecisionStateCode;
    const persisted = { machineVersion: row.machine_version, value: row.state_value as never, context };
    return {
      id: row.id,
      state,
      stateLabel: STATE_LABELS[state] ?? state,
      rowVersion: row.row_version,
      title: context.title,
      committee: context.committee,
      preparedBy: context.preparedBy,
      preparedOn: context.preparedOn,
      amountKr: context.proposal.amountKr,
      proposal: context.proposal as unknown as Record<string, unknown>,
      agenda: context.agenda as unknown as Record<string, unknown> | null,
      decision: context.decision as unknown as Record<string, unknown> | null,
      record: {
        referrals: context.referrals,
        takenOffAgenda: context.takenOffAgenda,
        followUpRecords: context.followUpRecords,
        overdueFollowUps: context.overdueFollowUps,
        withdrawal: context.withdrawal,
      },
      deadlines: deadlinesOf(persisted).map((d) => ({ kind: d.kind, label: DEADLINE_LABELS[d.kind] ?? d.kind, dueDate: d.dueDate, overdue: d.overdue })),
      expeditedOn: context.expeditedOn,
    };
  }
}

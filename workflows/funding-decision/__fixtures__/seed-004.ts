/**
 * Seed 004 (/work/shared/seeds/004_*): Bildningsnämnden, Linköpings kommun, grants 530 000 kr for
 * "Arbetsmarknadsinriktade insatser i samarbete med Idrott & Service (LeanLink)": two supervisor posts
 * at Idrott & Service, June–December 2018, 40 participants, budget line Arbetsmarknadsinsatser.
 * Used by the tests, and by the service as demo data. Every factory returns fresh objects.
 */
import { start, step } from '../../kernel/kernel';
import type { CommitteeMeeting } from '../../calendar/meetings';
import { fundingDecisionDefinition } from '../definition';
import { stateCodeOf, type PersistedFundingDecision } from '../persistence';
import type {
  CalendarDate,
  DecisionOutcome,
  FundingDecisionEvent,
  FundingDecisionEventType,
  FundingDecisionInput,
  FundingDecisionStateCode,
  FundingProposal,
} from '../types';

export const COMMITTEE = 'Bildningsnämnden';

/** The seed gives no organisationsnummer or account ids: readable ids instead of invented numbers. */
export const SEED_004_IDS = {
  partner: 'leanlink-idrott-och-service',
  anneHallberg: 'person-anne-hallberg',
  helenaPaulsson: 'person-helena-paulsson',
} as const;

/**
 * Bildningsnämnden's sammanträdesplan 2018. The seed names only "septembernämnden" and
 * "decembernämnden"; these dates are EXAMPLES (plausible Tuesdays, papers due two weeks before),
 * not the committee's real calendar.
 */
export function meetingPlan2018(): CommitteeMeeting[] {
  const meeting = (month: string, date: CalendarDate, papersDueOn: CalendarDate): CommitteeMeeting => ({
    meetingId: `bin-2018-${month}`,
    committee: COMMITTEE,
    date,
    papersDueOn,
  });
  return [
    meeting('06', '2018-06-19', '2018-06-05'),
    meeting('08', '2018-08-28', '2018-08-14'),
    meeting('09', '2018-09-25', '2018-09-11'),
    meeting('10', '2018-10-23', '2018-10-09'),
    meeting('11', '2018-11-20', '2018-11-06'),
    meeting('12', '2018-12-18', '2018-12-04'),
  ];
}

export const meeting2018 = (month: '06' | '08' | '09' | '10' | '11' | '12'): CommitteeMeeting =>
  meetingPlan2018().find((m) => m.meetingId === `bin-2018-${month}`)!;

/** The days of the seed's story (the decision's paragraph is an example too: the seed has no minutes). */
export const SEED_004_DAYS = {
  prepared: '2018-06-01',
  /** MBL information according to § 19. */
  mblInformation: '2018-06-05',
  placedOnAgenda: '2018-06-01',
  decided: '2018-06-19',
  expedited: '2018-06-20',
  checkIn: '2018-09-25',
  evaluation: '2018-12-18',
} as const;

export const SEED_004_PARAGRAPH = '§ 87';

export function seed004Proposal(overrides: Partial<FundingProposal> = {}): FundingProposal {
  return {
    summary: 'Bildningsnämnden beviljar medel till genomförande av arbetsmarknadsinriktade insatser i samarbete med Idrott & Service.',
    amountKr: 530_000,
    budgetLine: 'Arbetsmarknadsinsatser',
    partner: { organisationId: SEED_004_IDS.partner, name: 'Idrott & Service (Leanlink)' },
    period: { startDate: '2018-06-01', endDate: '2018-12-31' },
    officials: [
      { personId: SEED_004_IDS.anneHallberg, name: 'Anne Hallberg', email: null },
      { personId: SEED_004_IDS.helenaPaulsson, name: 'Helena Paulsson', email: null },
    ],
    recipients: [
      { name: 'Leanlink – Stöd och Service', email: null },
      { name: 'Jobb- och kunskapstorget', email: null },
      { name: 'Socialförvaltningen (AFI)', email: null },
      { name: 'Arbetsförmedlingen', email: null },
    ],
    followUps: [
      // "Under septembernämnden 2018 kommer ske muntliga avstämningar hur arbetet fortskrider"
      { key: 'muntlig-avstamning-september', kind: 'oral_check_in', meeting: meeting2018('09') },
      // "en utvärdering kommer presenteras skriftligen på decembernämnden 2018"
      { key: 'skriftlig-utvardering-december', kind: 'written_evaluation', meeting: meeting2018('12') },
    ],
    ...overrides,
  };
}

export function seed004Input(overrides: Partial<FundingDecisionInput> = {}): FundingDecisionInput {
  return {
    caseId: 'bin-2018-leanlink',
    committee: COMMITTEE,
    title: 'Arbetsmarknadsinriktade insatser i samarbete med Idrott & Service (LeanLink)',
    preparedBy: 'Utbildningsförvaltningen',
    preparedOn: SEED_004_DAYS.prepared,
    proposal: seed004Proposal(),
    ...overrides,
  };
}

/** Event builders: the date first-class, the rest as the event needs it. */
export const ev = {
  updateProposal: (proposal: FundingProposal, today: CalendarDate): FundingDecisionEvent => ({ type: 'UPDATE_PROPOSAL', proposal, today }),
  placeOnAgenda: (meeting: CommitteeMeeting, today: CalendarDate): FundingDecisionEvent => ({ type: 'PLACE_ON_AGENDA', meeting, today }),
  takeOffAgenda: (reason: string, today: CalendarDate): FundingDecisionEvent => ({ type: 'TAKE_OFF_AGENDA', reason, today }),
  decide: (outcome: DecisionOutcome, paragraph: string, today: CalendarDate): FundingDecisionEvent => ({ type: 'DECIDE', outcome, paragraph, today }),
  referBack: (reason: string, today: CalendarDate): FundingDecisionEvent => ({ type: 'REFER_BACK', reason, today }),
  withdraw: (reason: string, today: CalendarDate): FundingDecisionEvent => ({ type: 'WITHDRAW', reason, today }),
  recordFollowUp: (key: string, heldOn: CalendarDate, today: CalendarDate = heldOn, note?: string): FundingDecisionEvent =>
    note === undefined ? { type: 'RECORD_FOLLOW_UP', key, heldOn, today } : { type: 'RECORD_FOLLOW_UP', key, heldOn, today, note },
  sendDecision: (today: CalendarDate): FundingDecisionEvent => ({ type: 'SEND_DECISION', today }),
  meetingRescheduled: (meeting: CommitteeMeeting, today: CalendarDate): FundingDecisionEvent => ({ type: 'MEETING_RESCHEDULED', meeting, today }),
  periodStarted: (today: CalendarDate): FundingDecisionEvent => ({ type: 'PERIOD_STARTED', today }),
  followUpOverdue: (today: CalendarDate): FundingDecisionEvent => ({ type: 'FOLLOW_UP_OVERDUE', today }),
};

/** A plausible event of each type, for the "takes nothing" tests. */
export function sampleEvent(type: FundingDecisionEventType, today: CalendarDate): FundingDecisionEvent {
  switch (type) {
    case 'UPDATE_PROPOSAL':
      return ev.updateProposal(seed004Proposal(), today);
    case 'PLACE_ON_AGENDA':
      return ev.placeOnAgenda(meeting2018('12'), today);
    case 'TAKE_OFF_AGENDA':
      return ev.takeOffAgenda('Underlaget är inte klart.', today);
    case 'DECIDE':
      return ev.decide('granted', SEED_004_PARAGRAPH, today);
    case 'REFER_BACK':
      return ev.referBack('Nämnden vill se en riskanalys.', today);
    case 'WITHDRAW':
      return ev.withdraw('Förvaltningen drar tillbaka ärendet.', today);
    case 'RECORD_FOLLOW_UP':
      return ev.recordFollowUp('muntlig-avstamning-september', today, today);
    case 'SEND_DECISION':
      return ev.sendDecision(today);
    case 'MEETING_RESCHEDULED':
      return ev.meetingRescheduled({ ...meeting2018('12'), date: '2018-12-19' }, today);
    case 'PERIOD_STARTED':
      return ev.periodStarted(today);
    case 'FOLLOW_UP_OVERDUE':
      return ev.followUpOverdue(today);
  }
}

/** A new case: the seed's proposal in preparation. */
export const startSeed004 = (input: FundingDecisionInput = seed004Input()): PersistedFundingDecision => start(fundingDecisionDefinition, input);

/** Applies events in order; throws if one is refused, naming it (a test's set-up must not silently fail). */
export function drive(persisted: PersistedFundingDecision, ...events: FundingDecisionEvent[]): PersistedFundingDecision {
  return events.reduce((current, event) => {
    const result = step(fundingDecisionDefinition, current, event);
    if (!result.applied) throw new Error(`${event.type} (${event.today}) vägrades i ${result.from}: ${result.reason}`);
    return result.next;
  }, persisted);
}

/** A seed-004 case whose period starts after the June meeting (2018-07-01), so the grant waits in Beviljat. */
export const julyStartInput = (): FundingDecisionInput =>
  seed004Input({ proposal: seed004Proposal({ period: { startDate: '2018-07-01', endDate: '2018-12-31' } }) });

const D = SEED_004_DAYS;

/**
 * The seed's case driven to a state. The seed's own period starts 2018-06-01, before the June meeting,
 * so its grant goes straight to Pågår; `granted` uses the July-start variant to wait for its period.
 */
export function seed004At(state: FundingDecisionStateCode): PersistedFundingDecision {
  const prepared = startSeed004();
  const onAgenda = (): PersistedFundingDecision => drive(prepared, ev.placeOnAgenda(meeting2018('06'), D.placedOnAgenda));
  switch (state) {
    case 'preparation':
      return prepared;
    case 'on_agenda':
      return onAgenda();
    case 'granted':
      return drive(startSeed004(julyStartInput()), ev.placeOnAgenda(meeting2018('06'), D.placedOnAgenda), ev.decide('granted', SEED_004_PARAGRAPH, D.decided));
    case 'refused':
      return drive(onAgenda(), ev.decide('refused', SEED_004_PARAGRAPH, D.decided));
    case 'in_progress':
      return drive(onAgenda(), ev.decide('granted', SEED_004_PARAGRAPH, D.decided), ev.sendDecision(D.expedited));
    case 'closed':
      return drive(
        seed004At('in_progress'),
        ev.recordFollowUp('muntlig-avstamning-september', D.checkIn),
        ev.recordFollowUp('skriftlig-utvardering-december', D.evaluation, D.evaluation, 'Utvärderingen presenterades skriftligen.'),
      );
    case 'withdrawn':
      return drive(prepared, ev.withdraw('Förvaltningen drar tillbaka ärendet.', '2018-06-04'));
  }
}

export const currentState = (persisted: PersistedFundingDecision): FundingDecisionStateCode => stateCodeOf(persisted.value);

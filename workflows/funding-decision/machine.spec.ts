import { allowedEvents, step, type KernelStep } from '../kernel/kernel';
import { fundingDecisionDefinition as definition } from './definition';
import type { fundingDecisionMachine } from './machine';
import type { PersistedFundingDecision } from './persistence';
import { ALL_EVENT_TYPES, ALL_STATE_CODES, type FundingDecisionEvent, type FundingDecisionStateCode } from './types';
import {
  SEED_004_DAYS as D,
  SEED_004_PARAGRAPH as P,
  currentState,
  drive,
  ev,
  julyStartInput,
  meeting2018,
  sampleEvent,
  seed004At,
  seed004Input,
  seed004Proposal,
  startSeed004,
} from './__fixtures__/seed-004';

const sut = (persisted: PersistedFundingDecision, event: FundingDecisionEvent): KernelStep<typeof fundingDecisionMachine> => step(definition, persisted, event);

/** Applies the event and expects it to lead to `to`; returns the next stored case. */
function accepted(persisted: PersistedFundingDecision, event: FundingDecisionEvent, to: FundingDecisionStateCode): PersistedFundingDecision {
  const result = sut(persisted, event);
  if (!result.applied) throw new Error(`${event.type} vägrades: ${result.reason}`);
  expect(result.to).toBe(to);
  return result.next;
}

function refused(persisted: PersistedFundingDecision, event: FundingDecisionEvent, reason: 'not_in_state' | 'guard_refused'): void {
  expect(sut(persisted, event)).toMatchObject({ applied: false, reason });
}

const CHECK_IN = 'muntlig-avstamning-september';
const EVALUATION = 'skriftlig-utvardering-december';

describe('a funding decision in preparation (förslag till beslut)', () => {
  it('starts from its input with nothing decided', () => {
    const prepared = startSeed004();
    expect(currentState(prepared)).toBe('preparation');
    expect(prepared.machineVersion).toBe(1);
    expect(prepared.context).toMatchObject({
      caseId: 'bin-2018-leanlink',
      committee: 'Bildningsnämnden',
      agenda: null,
      decision: null,
      referrals: [],
      takenOffAgenda: [],
      followUpRecords: [],
      overdueFollowUps: [],
      expeditedOn: null,
      withdrawal: null,
    });
    expect(prepared.context.proposal.amountKr).toBe(530_000);
  });

  it('takes a new proposal while it is being written, even an incomplete one', () => {
    const next = accepted(startSeed004(), ev.updateProposal(seed004Proposal({ summary: '', amountKr: 500_000 }), '2018-06-02'), 'preparation');
    expect(next.context.proposal).toMatchObject({ summary: '', amountKr: 500_000 });
  });

  it.each([
    ['a fractional amount', { amountKr: 530_000.5 }],
    ['a negative amount', { amountKr: -1 }],
    ['a period ending before it starts', { period: { startDate: '2018-12-31', endDate: '2018-06-01' } }],
    ['an invalid date', { period: { startDate: '2018-02-30', endDate: '2018-12-31' } }],
    ['a follow-up key used twice', { followUps: [...seed004Proposal().followUps, { ...seed004Proposal().followUps[0] }] }],
    ['a follow-up meeting whose papers are due after it', { followUps: [{ key: 'x', kind: 'oral_check_in' as const, meeting: { ...meeting2018('09'), papersDueOn: '2018-09-26' } }] }],
  ])('refuses a proposal with %s', (_name, overrides) => {
    refused(startSeed004(), ev.updateProposal(seed004Proposal(overrides), '2018-06-02'), 'guard_refused');
  });

  it('is put on the agenda of a coming meeting of its own committee once the proposal is complete', () => {
    const next = accepted(startSeed004(), ev.placeOnAgenda(meeting2018('06'), D.placedOnAgenda), 'on_agenda');
    expect(next.context.agenda).toEqual(meeting2018('06'));
  });

  it('can be put on the agenda on the meeting day itself, not after', () => {
    accepted(startSeed004(), ev.placeOnAgenda(meeting2018('06'), '2018-06-19'), 'on_agenda');
    refused(startSeed004(), ev.placeOnAgenda(meeting2018('06'), '2018-06-20'), 'guard_refused');
  });

  it.each([
    ['another committee\'s meeting', () => startSeed004(), { ...meeting2018('06'), committee: 'Socialnämnden' }],
    ['an invalid meeting', () => startSeed004(), { ...meeting2018('06'), papersDueOn: '2018-06-19' }],
  ])('is not put on %s', (_name, make, meeting) => {
    refused(make(), ev.placeOnAgenda(meeting, '2018-06-01'), 'guard_refused');
  });

  it.each([
    ['no summary', { summary: ' ' }],
    ['no amount', { amountKr: 0 }],
    ['no budget line', { budgetLine: '' }],
    ['no official', { officials: [] }],
    ['no written evaluation', { followUps: seed004Proposal().followUps.slice(0, 1) }],
    ['two written evaluations', { followUps: [...seed004Proposal().followUps, { key: 'extra', kind: 'written_evaluation' as const, meeting: meeting2018('11') }] }],
    ['a follow-up before the period', { followUps: [...seed004Proposal().followUps, { key: 'tidig', kind: 'oral_check_in' as const, meeting: meeting2018('06') }], period: { startDate: '2018-07-01', endDate: '2018-12-31' } }],
    ['a follow-up at another committee', { followUps: [{ ...seed004Proposal().followUps[1], meeting: { ...meeting2018('12'), committee: 'Socialnämnden' } }] }],
  ])('is not put on the agenda with %s', (_name, overrides) => {
    const incomplete = drive(startSeed004(), ev.updateProposal(seed004Proposal(overrides), '2018-06-01'));
    refused(incomplete, ev.placeOnAgenda(meeting2018('06'), '2018-06-01'), 'guard_refused');
  });

  it('is withdrawn with a reason, and then takes nothing', () => {
    const withdrawn = accepted(startSeed004(), ev.withdraw(' Förvaltningen drar tillbaka ärendet. ', '2018-06-04'), 'withdrawn');
    expect(withdrawn.context.withdrawal).toEqual({ on: '2018-06-04', reason: 'Förvaltningen drar tillbaka ärendet.' });
    refused(startSeed004(), ev.withdraw('  ', '2018-06-04'), 'guard_refused');
    expect(allowedEvents(definition, withdrawn)).toEqual([]);
  });

  it('cannot be decided, referred back or followed up before it is on an agenda', () => {
    for (const event of [ev.decide('granted', P, D.decided), ev.referBack('Mer underlag.', D.decided), ev.takeOffAgenda('x', D.decided), ev.recordFollowUp(CHECK_IN, D.checkIn), ev.sendDecision(D.decided), ev.periodStarted('2018-06-01'), ev.followUpOverdue('2018-12-19')]) {
      refused(startSeed004(), event, 'not_in_state');
    }
  });
});

describe('a funding decision on the agenda', () => {
  it('is decided once the meeting has been held: a grant whose period has begun is in progress at once', () => {
    refused(seed004At('on_agenda'), ev.decide('granted', P, '2018-06-18'), 'guard_refused');
    const next = accepted(seed004At('on_agenda'), ev.decide('granted', ` ${P} `, '2018-06-19'), 'in_progress');
    expect(next.context.decision).toEqual({ outcome: 'granted', decidedOn: '2018-06-19', recordedOn: '2018-06-19', meetingId: 'bin-2018-06', paragraph: P });
  });

  it('records the meeting\'s date as the decision\'s, whenever the minutes are entered', () => {
    const next = accepted(seed004At('on_agenda'), ev.decide('refused', P, '2018-06-25'), 'refused');
    expect(next.context.decision).toMatchObject({ outcome: 'refused', decidedOn: '2018-06-19', recordedOn: '2018-06-25' });
  });

  it('waits in Beviljat when the period has not begun', () => {
    const onAgenda = drive(startSeed004(julyStartInput()), ev.placeOnAgenda(meeting2018('06'), '2018-06-01'));
    accepted(onAgenda, ev.decide('granted', P, '2018-06-19'), 'granted');
  });

  it.each([
    ['no paragraph', ev.decide('granted', '  ', '2018-06-19')],
    ['an unknown outcome', { type: 'DECIDE', outcome: 'postponed', paragraph: P, today: '2018-06-19' } as unknown as FundingDecisionEvent],
  ])('refuses a decision with %s', (_name, event) => {
    refused(seed004At('on_agenda'), event, 'guard_refused');
  });

  it('is referred back (återremiss) to preparation at the meeting, with a reason', () => {
    refused(seed004At('on_agenda'), ev.referBack('Mer underlag.', '2018-06-18'), 'guard_refused');
    refused(seed004At('on_agenda'), ev.referBack(' ', '2018-06-19'), 'guard_refused');
    const back = accepted(seed004At('on_agenda'), ev.referBack('Nämnden vill se en riskanalys.', '2018-06-19'), 'preparation');
    expect(back.context.referrals).toEqual([{ meetingId: 'bin-2018-06', on: '2018-06-19', reason: 'Nämnden vill se en riskanalys.' }]);
    expect(back.context.agenda).toBeNull();
    // Prepared again and put before the August meeting.
    const again = accepted(drive(back, ev.updateProposal(seed004Proposal({ summary: 'Med riskanalys.' }), '2018-06-25')), ev.placeOnAgenda(meeting2018('08'), '2018-06-25'), 'on_agenda');
    expect(again.context.agenda?.meetingId).toBe('bin-2018-08');
  });

  it('is taken off the agenda by the secretariat with a reason, back to preparation', () => {
    refused(seed004At('on_agenda'), ev.takeOffAgenda('', '2018-06-10'), 'guard_refused');
    const back = accepted(seed004At('on_agenda'), ev.takeOffAgenda('Underlaget är inte klart.', '2018-06-10'), 'preparation');
    expect(back.context.takenOffAgenda).toEqual([{ meetingId: 'bin-2018-06', on: '2018-06-10', reason: 'Underlaget är inte klart.' }]);
    expect(back.context.agenda).toBeNull();
  });

  it('takes no new proposal while on the agenda', () => {
    refused(seed004At('on_agenda'), ev.updateProposal(seed004Proposal(), '2018-06-10'), 'not_in_state');
  });

  it('is withdrawn with a reason', () => {
    accepted(seed004At('on_agenda'), ev.withdraw('Ärendet utgår.', '2018-06-10'), 'withdrawn');
  });

  it('follows its meeting when the meeting is moved, and a moved meeting can be decided at its new date', () => {
    const moved = accepted(seed004At('on_agenda'), ev.meetingRescheduled({ ...meeting2018('06'), date: '2018-06-26', papersDueOn: '2018-06-12' }, '2018-06-04'), 'on_agenda');
    expect(moved.context.agenda).toMatchObject({ date: '2018-06-26', papersDueOn: '2018-06-12' });
    refused(moved, ev.decide('granted', P, '2018-06-19'), 'guard_refused');
    accepted(moved, ev.decide('granted', P, '2018-06-26'), 'in_progress');
  });

  it.each([
    ['a meeting it does not name', { ...meeting2018('10'), date: '2018-10-24' }],
    ['another committee', { ...meeting2018('06'), committee: 'Socialnämnden' }],
    ['an invalid meeting', { ...meeting2018('06'), papersDueOn: '2018-07-01' }],
  ])('refuses a rescheduling of %s', (_name, meeting) => {
    refused(seed004At('on_agenda'), ev.meetingRescheduled(meeting, '2018-06-04'), 'guard_refused');
  });
});

describe('a granted decision (Beviljat)', () => {
  it('is in progress when its period starts, not before', () => {
    refused(seed004At('granted'), ev.periodStarted('2018-06-30'), 'guard_refused');
    accepted(seed004At('granted'), ev.periodStarted('2018-07-01'), 'in_progress');
  });

  it('records an oral check-in without leaving the state, but not the evaluation', () => {
    const next = accepted(seed004At('granted'), ev.recordFollowUp(CHECK_IN, '2018-06-28'), 'granted');
    expect(next.context.followUpRecords).toEqual([{ key: CHECK_IN, heldOn: '2018-06-28', recordedOn: '2018-06-28', note: null }]);
    refused(seed004At('granted'), ev.recordFollowUp(EVALUATION, '2018-06-28'), 'guard_refused');
  });

  it('is sent (expedieras) once, emitting the recipients for the service', () => {
    const result = sut(seed004At('granted'), ev.sendDecision('2018-06-20'));
    expect(result).toMatchObject({ applied: true, to: 'granted' });
    if (!result.applied) return;
    expect(result.next.context.expeditedOn).toBe('2018-06-20');
    expect(result.actions).toEqual([
      {
        type: 'expediteDecision',
        params: {
          caseId: 'bin-2018-leanlink',
          outcome: 'granted',
          paragraph: P,
          recipients: seed004Proposal().recipients,
        },
      },
    ]);
    refused(result.next, ev.sendDecision('2018-06-21'), 'guard_refused');
  });

  it('takes no proposal, agenda or decision any more, and cannot be withdrawn', () => {
    for (const type of ['UPDATE_PROPOSAL', 'PLACE_ON_AGENDA', 'TAKE_OFF_AGENDA', 'DECIDE', 'REFER_BACK', 'WITHDRAW'] as const) {
      refused(seed004At('granted'), sampleEvent(type, '2018-06-25'), 'not_in_state');
    }
  });
});

describe('a refused decision (Avslaget)', () => {
  it('is only sent, once', () => {
    expect(allowedEvents(definition, seed004At('refused'))).toEqual(['SEND_DECISION']);
    const sent = accepted(seed004At('refused'), ev.sendDecision('2018-06-20'), 'refused');
    refused(sent, ev.sendDecision('2018-06-21'), 'guard_refused');
    expect(sut(seed004At('refused'), ev.sendDecision('2018-06-20'))).toMatchObject({ actions: [{ type: 'expediteDecision', params: { outcome: 'refused' } }] });
  });
});

describe('a decision in progress (Pågår)', () => {
  it('records the oral check-in, with a note, and stays in progress', () => {
    const next = accepted(seed004At('in_progress'), ev.recordFollowUp(CHECK_IN, '2018-09-25', '2018-09-26', ' Arbetet går enligt plan. '), 'in_progress');
    expect(next.context.followUpRecords).toEqual([{ key: CHECK_IN, heldOn: '2018-09-25', recordedOn: '2018-09-26', note: 'Arbetet går enligt plan.' }]);
  });

  it('is closed when the written evaluation has been presented', () => {
    const closed = accepted(seed004At('in_progress'), ev.recordFollowUp(EVALUATION, '2018-12-18'), 'closed');
    expect(closed.context.followUpRecords.map((r) => r.key)).toEqual([EVALUATION]);
  });

  it.each([
    ['an unknown follow-up', ev.recordFollowUp('okänd', '2018-09-25')],
    ['one held in the future', ev.recordFollowUp(CHECK_IN, '2018-09-25', '2018-09-24')],
    ['an invalid date', ev.recordFollowUp(CHECK_IN, '2018-09-31', '2018-10-01')],
  ])('refuses to record %s', (_name, event) => {
    refused(seed004At('in_progress'), event, 'guard_refused');
  });

  it('refuses a follow-up recorded twice', () => {
    const once = drive(seed004At('in_progress'), ev.recordFollowUp(CHECK_IN, '2018-09-25'));
    refused(once, ev.recordFollowUp(CHECK_IN, '2018-09-25'), 'guard_refused');
  });

  it('marks follow-ups overdue the day after their meeting passed without them, once', () => {
    refused(seed004At('in_progress'), ev.followUpOverdue('2018-09-25'), 'guard_refused');
    const overdue = accepted(seed004At('in_progress'), ev.followUpOverdue('2018-09-26'), 'in_progress');
    expect(overdue.context.overdueFollowUps).toEqual([{ key: CHECK_IN, meetingDate: '2018-09-25', on: '2018-09-26' }]);
    refused(overdue, ev.followUpOverdue('2018-09-27'), 'guard_refused');
    // Still recordable late.
    accepted(overdue, ev.recordFollowUp(CHECK_IN, '2018-10-23'), 'in_progress');
  });

  it('moves a follow-up with its meeting, and forgets an overdue mark the move makes untrue', () => {
    const overdue = drive(seed004At('in_progress'), ev.followUpOverdue('2018-09-26'));
    const moved = accepted(overdue, ev.meetingRescheduled({ ...meeting2018('09'), date: '2018-10-02', papersDueOn: '2018-09-18' }, '2018-09-26'), 'in_progress');
    expect(moved.context.proposal.followUps[0].meeting).toMatchObject({ date: '2018-10-02', papersDueOn: '2018-09-18' });
    expect(moved.context.overdueFollowUps).toEqual([]);
    // The meeting the grant was decided at is history: it does not move.
    refused(moved, ev.meetingRescheduled({ ...meeting2018('06'), date: '2018-06-20' }, '2018-09-26'), 'guard_refused');
  });
});

describe('a closed decision (Avslutat)', () => {
  it('takes nothing but its expediering, if that is still to do', () => {
    expect(allowedEvents(definition, seed004At('closed'))).toEqual(['SEND_DECISION']);
    refused(seed004At('closed'), ev.sendDecision('2018-12-20'), 'guard_refused');
    const unsent = drive(
      drive(startSeed004(), ev.placeOnAgenda(meeting2018('06'), '2018-06-01'), ev.decide('granted', P, '2018-06-19')),
      ev.recordFollowUp(EVALUATION, '2018-12-18'),
    );
    accepted(unsent, ev.sendDecision('2018-12-20'), 'closed');
  });
});

describe('every state', () => {
  it.each(ALL_STATE_CODES)('%s refuses the events it does not take as not_in_state', (code) => {
    const persisted = seed004At(code);
    const allowed = allowedEvents(definition, persisted);
    for (const type of ALL_EVENT_TYPES.filter((t) => !allowed.includes(t))) {
      refused(persisted, sampleEvent(type, '2018-07-15'), 'not_in_state');
    }
  });

  it('the fixture reaches every state', () => {
    expect(ALL_STATE_CODES.map((code) => currentState(seed004At(code)))).toEqual([...ALL_STATE_CODES]);
  });

  it('never changes the input it was started from', () => {
    const input = seed004Input();
    const copy = JSON.parse(JSON.stringify(input));
    drive(startSeed004(input), ev.placeOnAgenda(meeting2018('06'), '2018-06-01'), ev.decide('granted', P, '2018-06-19'), ev.meetingRescheduled({ ...meeting2018('09'), date: '2018-09-26' }, '2018-07-01'));
    expect(input).toEqual(copy);
  });
});

/**
 * Seed 004 lived day by day: a clock walks the calendar from the day the proposal was written, fires
 * every timer whose instant has come (as the service's sweeper would), and people act on the days the
 * story names. Deadlines and reminders are checked on the way.
 */
import { addDays, calendarDateOf, localTimeInstant, startOfDayInstant, type CalendarDate } from '../calendar/calendar';
import { step } from '../kernel/kernel';
import { deadlinesOf, timersOf, type FundingDeadline } from './deadlines';
import { fundingDecisionDefinition as definition } from './definition';
import type { PersistedFundingDecision } from './persistence';
import { reminderSchedule } from './reminders';
import type { FundingDecisionEvent } from './types';
import { SEED_004_DAYS as D, SEED_004_PARAGRAPH as P, currentState, drive, ev, julyStartInput, meeting2018, seed004At, startSeed004 } from './__fixtures__/seed-004';

const CHECK_IN = 'muntlig-avstamning-september';
const EVALUATION = 'skriftlig-utvardering-december';

interface Lived {
  persisted: PersistedFundingDecision;
  /** Every clock event the walk fired, as "TYPE@day". */
  fired: string[];
  /** Per day, the state at its end. */
  states: Map<CalendarDate, string>;
}

/** Walks from `from` to `to` inclusive: at each day's start the due timers fire, then the day's person events. */
function live(start: PersistedFundingDecision, from: CalendarDate, to: CalendarDate, acts: Record<CalendarDate, FundingDecisionEvent[]>, check?: (day: CalendarDate, p: PersistedFundingDecision) => void): Lived {
  let persisted = start;
  const fired: string[] = [];
  const states = new Map<CalendarDate, string>();
  for (let day = from; day <= to; day = addDays(day, 1)) {
    for (const timer of timersOf(persisted).filter((t) => t.firesAt <= startOfDayInstant(day))) {
      const result = step(definition, persisted, { type: timer.event!, today: day });
      if (result.applied) {
        persisted = result.next;
        fired.push(`${timer.event}@${day}`);
      }
    }
    for (const event of acts[day] ?? []) persisted = drive(persisted, event);
    check?.(day, persisted);
    states.set(day, currentState(persisted));
  }
  return { persisted, fired, states };
}

const brief = (d: FundingDeadline): string => `${d.kind}#${d.cycle} ${d.dueDate}${d.event ? ` → ${d.event}@${calendarDateOf(d.firesAt)}` : ''}${d.overdue ? ' (försenad)' : ''}`;

describe('seed 004 lived day by day', () => {
  const acts: Record<CalendarDate, FundingDecisionEvent[]> = {
    [D.placedOnAgenda]: [ev.placeOnAgenda(meeting2018('06'), D.placedOnAgenda)],
    [D.decided]: [ev.decide('granted', P, D.decided)],
    [D.expedited]: [ev.sendDecision(D.expedited)],
    [D.checkIn]: [ev.recordFollowUp(CHECK_IN, D.checkIn, D.checkIn, 'Muntlig avstämning: 38 deltagare i gång.')],
    [D.evaluation]: [ev.recordFollowUp(EVALUATION, D.evaluation)],
  };

  it('goes from preparation to closed with the seed\'s follow-ups, no clock event needed', () => {
    const seen: Record<string, string[]> = {};
    const lived = live(startSeed004(), D.prepared, '2018-12-31', acts, (day, p) => {
      if (['2018-06-01', '2018-06-19', '2018-09-25', '2018-12-18'].includes(day)) seen[day] = deadlinesOf(p).map(brief);
    });
    expect(lived.fired).toEqual([]);
    expect(lived.states.get('2018-06-18')).toBe('on_agenda');
    // The period began 2018-06-01, before the June meeting: the grant is in progress at once.
    expect(lived.states.get('2018-06-19')).toBe('in_progress');
    expect(lived.states.get('2018-12-17')).toBe('in_progress');
    expect(lived.states.get('2018-12-18')).toBe('closed');
    expect(seen).toEqual({
      '2018-06-01': ['agenda_papers#1 2018-06-05'],
      '2018-06-19': [
        'oral_check_in#0 2018-09-11 → FOLLOW_UP_OVERDUE@2018-09-26',
        'written_evaluation#1 2018-12-04 → FOLLOW_UP_OVERDUE@2018-12-19',
      ],
      '2018-09-25': ['written_evaluation#1 2018-12-04 → FOLLOW_UP_OVERDUE@2018-12-19'],
      '2018-12-18': [],
    });
    expect(lived.persisted.context).toMatchObject({
      decision: { outcome: 'granted', decidedOn: '2018-06-19', paragraph: P },
      expeditedOn: '2018-06-20',
      followUpRecords: [
        { key: CHECK_IN, heldOn: '2018-09-25', note: 'Muntlig avstämning: 38 deltagare i gång.' },
        { key: EVALUATION, heldOn: '2018-12-18', note: null },
      ],
      overdueFollowUps: [],
    });
  });

  it('plans the reminders before the paper deadlines at 08:00, to the officials and the secretariat', () => {
    const onAgenda = seed004At('on_agenda');
    expect(reminderSchedule(onAgenda).map((r) => [r.key, r.audience, r.sendOn, r.deadlineDate])).toEqual([
      ['agenda_papers_upcoming:bin-2018-06:7d', 'officials', '2018-05-29', '2018-06-05'],
    ]);
    const granted = seed004At('in_progress');
    const planned = reminderSchedule(granted);
    expect(planned.map((r) => [r.kind, r.key, r.cycle, r.audience, r.sendOn, r.deadlineDate])).toEqual([
      ['oral_check_in_upcoming', 'oral_check_in_upcoming:muntlig-avstamning-september:14d', 0, 'officials_and_secretariat', '2018-08-28', '2018-09-11'],
      ['oral_check_in_upcoming', 'oral_check_in_upcoming:muntlig-avstamning-september:3d', 0, 'officials_and_secretariat', '2018-09-08', '2018-09-11'],
      ['written_evaluation_upcoming', 'written_evaluation_upcoming:skriftlig-utvardering-december:14d', 1, 'officials_and_secretariat', '2018-11-20', '2018-12-04'],
      ['written_evaluation_upcoming', 'written_evaluation_upcoming:skriftlig-utvardering-december:3d', 1, 'officials_and_secretariat', '2018-12-01', '2018-12-04'],
    ]);
    expect(planned[0].sendAt).toBe('2018-08-28T06:00:00.000Z');
    expect(planned[0].sendAt).toBe(localTimeInstant('2018-08-28', 8));
    // Once the check-in is recorded, only the evaluation's reminders remain.
    const checkedIn = drive(granted, ev.recordFollowUp(CHECK_IN, D.checkIn));
    expect(reminderSchedule(checkedIn).map((r) => r.kind)).toEqual(['written_evaluation_upcoming', 'written_evaluation_upcoming']);
    expect(reminderSchedule(seed004At('closed'))).toEqual([]);
  });

  it('takes a policy override, and ignores one it cannot read', () => {
    expect(reminderSchedule(seed004At('on_agenda'), { agendaPapersBefore: [10, 1] }).map((r) => r.sendOn)).toEqual(['2018-05-26', '2018-06-04']);
    expect(reminderSchedule(seed004At('on_agenda'), { agendaPapersBefore: ['x'] }).map((r) => r.sendOn)).toEqual(['2018-05-29']);
    expect(reminderSchedule(seed004At('on_agenda'), null).map((r) => r.sendOn)).toEqual(['2018-05-29']);
  });

  it('with a period starting in July, waits in Beviljat until the clock starts it', () => {
    const lived = live(startSeed004(julyStartInput()), D.prepared, '2018-12-31', acts, (day, p) => {
      if (day === '2018-06-19') {
        expect(deadlinesOf(p).map(brief)).toEqual([
          'period_start#0 2018-07-01 → PERIOD_STARTED@2018-07-01',
          'oral_check_in#0 2018-09-11 → FOLLOW_UP_OVERDUE@2018-09-26',
          'written_evaluation#1 2018-12-04 → FOLLOW_UP_OVERDUE@2018-12-19',
        ]);
      }
    });
    expect(lived.fired).toEqual(['PERIOD_STARTED@2018-07-01']);
    expect(lived.states.get('2018-06-30')).toBe('granted');
    expect(lived.states.get('2018-07-01')).toBe('in_progress');
    expect(lived.states.get('2018-12-18')).toBe('closed');
  });
});

describe('an evaluation that is not presented', () => {
  it('is marked overdue the day after the December meeting, shown overdue and reminded about, then still closes the case', () => {
    const acts: Record<CalendarDate, FundingDecisionEvent[]> = {
      [D.placedOnAgenda]: [ev.placeOnAgenda(meeting2018('06'), D.placedOnAgenda)],
      [D.decided]: [ev.decide('granted', P, D.decided)],
      [D.checkIn]: [ev.recordFollowUp(CHECK_IN, D.checkIn)],
    };
    const lived = live(startSeed004(), D.prepared, '2019-01-10', acts);
    expect(lived.fired).toEqual(['FOLLOW_UP_OVERDUE@2018-12-19']);
    expect(currentState(lived.persisted)).toBe('in_progress');
    expect(lived.persisted.context.overdueFollowUps).toEqual([{ key: EVALUATION, meetingDate: '2018-12-18', on: '2018-12-19' }]);
    expect(deadlinesOf(lived.persisted).map(brief)).toEqual(['written_evaluation#1 2018-12-04 (försenad)']);
    expect(timersOf(lived.persisted)).toEqual([]);
    expect(reminderSchedule(lived.persisted).map((r) => [r.key, r.audience, r.sendOn])).toEqual([
      ['follow_up_overdue:skriftlig-utvardering-december:0d', 'officials_and_secretariat', '2018-12-19'],
    ]);
    // Presented at the January meeting after all.
    expect(currentState(drive(lived.persisted, ev.recordFollowUp(EVALUATION, '2019-01-22')))).toBe('closed');
  });

  it('an oral check-in missed in September is marked overdue on its own', () => {
    const lived = live(seed004At('in_progress'), '2018-06-20', '2018-10-01', {});
    expect(lived.fired).toEqual(['FOLLOW_UP_OVERDUE@2018-09-26']);
    expect(deadlinesOf(lived.persisted).map(brief)).toEqual([
      'oral_check_in#0 2018-09-11 (försenad)',
      'written_evaluation#1 2018-12-04 → FOLLOW_UP_OVERDUE@2018-12-19',
    ]);
  });
});

describe('a rescheduled meeting', () => {
  it('moves the agenda\'s paper deadline and its reminder', () => {
    const moved = drive(seed004At('on_agenda'), ev.meetingRescheduled({ ...meeting2018('06'), date: '2018-06-26', papersDueOn: '2018-06-12' }, '2018-06-02'));
    expect(deadlinesOf(moved).map(brief)).toEqual(['agenda_papers#1 2018-06-12']);
    expect(reminderSchedule(moved).map((r) => [r.key, r.sendOn])).toEqual([['agenda_papers_upcoming:bin-2018-06:7d', '2018-06-05']]);
  });

  it('moves a follow-up\'s deadline and its overdue timer; the reminder keys stay', () => {
    const before = reminderSchedule(seed004At('in_progress'));
    const moved = drive(seed004At('in_progress'), ev.meetingRescheduled({ ...meeting2018('12'), date: '2018-12-11', papersDueOn: '2018-11-27' }, '2018-10-01'));
    expect(deadlinesOf(moved).map(brief)).toEqual([
      'oral_check_in#0 2018-09-11 → FOLLOW_UP_OVERDUE@2018-09-26',
      'written_evaluation#1 2018-11-27 → FOLLOW_UP_OVERDUE@2018-12-12',
    ]);
    const after = reminderSchedule(moved);
    expect(after.map((r) => r.key)).toEqual(before.map((r) => r.key));
    expect(after.filter((r) => r.kind === 'written_evaluation_upcoming').map((r) => r.sendOn)).toEqual(['2018-11-13', '2018-11-24']);
    // The unrecorded September check-in is found overdue at once; the evaluation on the day after its new date.
    const lived = live(moved, '2018-10-02', '2018-12-31', {});
    expect(lived.fired).toEqual(['FOLLOW_UP_OVERDUE@2018-10-02', 'FOLLOW_UP_OVERDUE@2018-12-12']);
  });

  it('moved later after it was marked overdue, is waited for again', () => {
    const overdue = drive(seed004At('in_progress'), ev.recordFollowUp(CHECK_IN, D.checkIn), ev.followUpOverdue('2018-12-19'));
    const moved = drive(overdue, ev.meetingRescheduled({ ...meeting2018('12'), date: '2019-01-22', papersDueOn: '2019-01-08' }, '2018-12-20'));
    expect(deadlinesOf(moved).map(brief)).toEqual(['written_evaluation#1 2019-01-08 → FOLLOW_UP_OVERDUE@2019-01-23']);
  });
});

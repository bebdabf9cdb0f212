import { advanceClock } from './__fixtures__/clock';
import { accepted, refused } from './__fixtures__/expectations';
import { ORG, bromodellenInput, bromodellenTerms, drive, ev, followUpDuties } from './__fixtures__/factories';
import { deadlinesOf, timersOf, type Deadline } from './deadlines';
import { followUpObligations, reportDueDate, statusOf } from './follow-up';
import { startAgreement, type PersistedAgreement } from './persistence';
import { reminderSchedule, type PlannedReminder } from './reminders';
import { followUpProblems, termsConsistencyProblems } from './terms';
import type { FollowUpDuties } from './types';

const PARTIES = [ORG.linkopingsKommun, ORG.bilda, ORG.erikshjalpen];

/** Bromodellen with Hoppfull framtid's follow-up clause, signed in 2023 and active from 2024-01-01. */
function activeWithDuties(duties: FollowUpDuties = followUpDuties()): PersistedAgreement {
  return drive(
    startAgreement(bromodellenInput({ terms: bromodellenTerms({ followUp: duties }) })),
    ev.accept('2023-09-20'),
    ev.sendForSigning('2023-11-20'),
    ...PARTIES.map((org) => ev.sign(org, '2023-11-28')),
    ev.startDateReached('2024-01-01'),
  );
}

const followUps = (deadlines: Deadline[]) =>
  deadlines.filter((d) => d.kind === 'follow_up_meeting' || d.kind === 'yearly_report').map((d) => [d.kind, d.cycle, d.dueDate, d.event, d.overdue]);
const followUpReminders = (planned: PlannedReminder[]) =>
  planned.filter((r) => r.kind.startsWith('meeting_') || r.kind.startsWith('report_')).map((r) => [r.key, r.cycle, r.audience, r.sendOn]);

describe('follow-up duties as deadlines', () => {
  const sut = deadlinesOf;

  it('give a meeting by each year end and a report on the agreed day of the next year, while in force', () => {
    expect(followUps(sut(activeWithDuties()))).toEqual([
      ['follow_up_meeting', 2024, '2024-12-31', 'FOLLOW_UP_OVERDUE', false],
      ['yearly_report', 2024, '2025-03-31', 'FOLLOW_UP_OVERDUE', false],
      ['follow_up_meeting', 2025, '2025-12-31', 'FOLLOW_UP_OVERDUE', false],
      // The report on 2025 falls due after the end date 2025-12-31: it is tracked once the agreement is renewed.
    ]);
  });

  it('fire the day after the last day, at Stockholm midnight', () => {
    const meeting = sut(activeWithDuties()).find((d) => d.kind === 'follow_up_meeting');
    expect(meeting?.firesAt).toBe('2024-12-31T23:00:00.000Z');
  });

  it('track the last report once the agreement is renewed, and none before signing or after the end', () => {
    const renewed = drive(
      activeWithDuties(),
      ev.recordMeeting('2024-11-12', '2024-11-12'),
      ev.submitReport(2024, ORG.bilda, '2025-03-02'),
      ev.decisionWindowOpened('2025-03-31'),
      ...PARTIES.map((org) => ev.consentToExtension(org, '2025-06-10')),
    );
    expect(followUps(sut(renewed)).slice(0, 2)).toEqual([
      ['follow_up_meeting', 2025, '2025-12-31', 'FOLLOW_UP_OVERDUE', false],
      ['yearly_report', 2025, '2026-03-31', 'FOLLOW_UP_OVERDUE', false],
    ]);
    expect(followUps(sut(drive(startAgreement(bromodellenInput({ terms: bromodellenTerms({ followUp: followUpDuties() }) })), ev.accept('2023-09-20'))))).toEqual([]);
    const expired = advanceClock(activeWithDuties(), '2026-01-01T00:00:00.000Z').persisted;
    expect(followUps(sut(expired))).toEqual([]);
  });

  it('are none when the agreement states none', () => {
    expect(followUps(sut(activeWithDuties({ meetingsPerYear: 0, yearlyReport: null })))).toEqual([]);
    expect(followUpObligations(activeWithDuties({ meetingsPerYear: 0, yearlyReport: null }).context)).toEqual([]);
  });

  it('put the report on the last day of a month that lacks the agreed day', () => {
    expect(reportDueDate({ dueMonth: 6, dueDay: 30 }, 2024)).toBe('2025-06-30');
    expect(reportDueDate({ dueMonth: 2, dueDay: 28 }, 2027)).toBe('2028-02-28');
  });
});

describe('recording a follow-up', () => {
  it('clears the duty: its deadline and its reminders are gone', () => {
    const met = accepted(activeWithDuties(), ev.recordMeeting('2024-11-12', '2024-11-14'), 'active');
    expect(met.context.followUps).toEqual([{ duty: 'meeting', year: 2024, on: '2024-11-12', organisationId: null }]);
    expect(followUps(deadlinesOf(met)).map((d) => d.slice(0, 2))).toEqual([
      ['yearly_report', 2024],
      ['follow_up_meeting', 2025],
    ]);
    expect(followUpReminders(reminderSchedule(met)).some(([key, cycle]) => String(key).startsWith('meeting_') && cycle === 2024)).toBe(false);
  });

  it('needs as many meetings as the agreement says', () => {
    const twice = activeWithDuties(followUpDuties({ meetingsPerYear: 2 }));
    const once = accepted(twice, ev.recordMeeting('2024-05-20', '2024-05-20'));
    expect(followUpObligations(once.context)[0]).toMatchObject({ duty: 'meeting', year: 2024, required: 2, recorded: 1, fulfilled: false });
    const both = accepted(once, ev.recordMeeting('2024-11-12', '2024-11-12'));
    expect(followUpObligations(both.context)[0]).toMatchObject({ recorded: 2, fulfilled: true });
  });

  it('refuses a meeting not yet held, before the agreement started or after it ends, or when no meetings are agreed', () => {
    const active = activeWithDuties();
    refused(active, ev.recordMeeting('2024-06-02', '2024-06-01'), 'guard_refused');
    refused(active, ev.recordMeeting('2023-12-15', '2024-01-10'), 'guard_refused');
    refused(active, ev.recordMeeting('2026-01-10', '2026-01-10'), 'guard_refused');
    refused(active, ev.recordMeeting('not a date', '2024-06-01'), 'guard_refused');
    refused(activeWithDuties(followUpDuties({ meetingsPerYear: 0 })), ev.recordMeeting('2024-06-01', '2024-06-01'), 'guard_refused');
  });

  it('takes the yearly report from a civil-society party, once per year, for a year begun', () => {
    const active = activeWithDuties();
    const reported = accepted(active, ev.submitReport(2024, ORG.erikshjalpen, '2025-02-10'));
    expect(reported.context.followUps).toEqual([{ duty: 'yearly_report', year: 2024, on: '2025-02-10', organisationId: ORG.erikshjalpen }]);
    refused(reported, ev.submitReport(2024, ORG.bilda, '2025-02-11'), 'guard_refused');
    refused(active, ev.submitReport(2024, ORG.linkopingsKommun, '2025-02-10'), 'guard_refused');
    refused(active, ev.submitReport(2025, ORG.bilda, '2024-12-10'), 'guard_refused');
    refused(active, ev.submitReport(2023, ORG.bilda, '2024-02-10'), 'guard_refused');
    refused(activeWithDuties(followUpDuties({ yearlyReport: null })), ev.submitReport(2024, ORG.bilda, '2025-02-10'), 'guard_refused');
  });

  it('is refused before the agreement is in force and after it has ended', () => {
    const draft = drive(startAgreement(bromodellenInput({ terms: bromodellenTerms({ followUp: followUpDuties() }) })), ev.accept('2023-09-20'));
    refused(draft, ev.recordMeeting('2023-09-21', '2023-09-21'), 'not_in_state');
    const expired = advanceClock(activeWithDuties(), '2026-01-01T00:00:00.000Z').persisted;
    refused(expired, ev.submitReport(2025, ORG.bilda, '2026-02-01'), 'not_in_state');
  });
});

describe('an overdue duty', () => {
  const sut = advanceClock;

  it('is marked by the clock the day after, stays on the deadlines as overdue, and escalates to the secretariat', () => {
    const { persisted, fired } = sut(activeWithDuties(), '2025-01-01T00:00:00.000Z');
    expect(fired.map((f) => [f.event, f.today])).toEqual([['FOLLOW_UP_OVERDUE', '2025-01-01']]);
    expect(persisted.context.overdueFollowUps).toEqual([{ duty: 'meeting', year: 2024, dueDate: '2024-12-31', on: '2025-01-01' }]);
    expect(followUps(deadlinesOf(persisted))[0]).toEqual(['follow_up_meeting', 2024, '2024-12-31', null, true]);
    expect(timersOf(persisted).some((t) => t.kind === 'follow_up_meeting' && t.cycle === 2024)).toBe(false);
    expect(followUpReminders(reminderSchedule(persisted)).filter(([, cycle]) => cycle === 2024)).toEqual([
      ['meeting_overdue:1d', 2024, 'secretariat', '2025-01-01'],
      ['meeting_overdue:2w', 2024, 'secretariat', '2025-01-14'],
      ['report_upcoming:1m', 2024, 'samverkansgrupp_and_secretariat', '2025-02-28'],
      ['report_upcoming:1w', 2024, 'samverkansgrupp_and_secretariat', '2025-03-24'],
    ]);
  });

  it('is not marked before its date has passed, nor twice', () => {
    const active = activeWithDuties();
    refused(active, ev.followUpOverdue('2024-12-31'), 'guard_refused');
    const marked = accepted(active, ev.followUpOverdue('2025-01-01'));
    refused(marked, ev.followUpOverdue('2025-01-02'), 'guard_refused');
  });

  it('is cleared by recording it late; the history of being late stays', () => {
    const late = sut(activeWithDuties(), '2025-01-01T00:00:00.000Z').persisted;
    const met = accepted(late, ev.recordMeeting('2025-01-08', '2025-01-08'));
    // A meeting held in January counts for 2025; the one for 2024 is still missing.
    expect(statusOf(followUpObligations(met.context)[0])).toBe('overdue');
    const reported = accepted(late, ev.recordMeeting('2024-12-18', '2025-01-08'));
    expect(followUps(deadlinesOf(reported)).map((d) => d.slice(0, 2))).toEqual([
      ['yearly_report', 2024],
      ['follow_up_meeting', 2025],
    ]);
    expect(reported.context.overdueFollowUps).toHaveLength(1);
    expect(statusOf(followUpObligations(reported.context)[0])).toBe('fulfilled');
  });

  it('reminds the samverkansgrupp and the secretariat one month and one week before each duty', () => {
    expect(followUpReminders(reminderSchedule(activeWithDuties()))).toEqual([
      ['meeting_upcoming:1m', 2024, 'samverkansgrupp_and_secretariat', '2024-11-30'],
      ['meeting_upcoming:1w', 2024, 'samverkansgrupp_and_secretariat', '2024-12-24'],
      ['report_upcoming:1m', 2024, 'samverkansgrupp_and_secretariat', '2025-02-28'],
      ['report_upcoming:1w', 2024, 'samverkansgrupp_and_secretariat', '2025-03-24'],
      ['meeting_upcoming:1m', 2025, 'samverkansgrupp_and_secretariat', '2025-11-30'],
      ['meeting_upcoming:1w', 2025, 'samverkansgrupp_and_secretariat', '2025-12-24'],
    ]);
  });
});

describe('follow-up duties in the terms', () => {
  const sut = followUpProblems;

  it('accept Hoppfull framtid\'s clause and no clause at all', () => {
    expect(sut(followUpDuties())).toEqual([]);
    expect(sut({ meetingsPerYear: 0, yearlyReport: null })).toEqual([]);
    expect(termsConsistencyProblems(bromodellenTerms({ followUp: null }))).toEqual([]);
  });

  it('name what is wrong, in Swedish', () => {
    expect(sut({ meetingsPerYear: -1, yearlyReport: { dueMonth: 13, dueDay: 1 } })).toEqual([
      { field: 'followUp.meetingsPerYear', message: 'Antal uppföljningsmöten per år ska vara ett heltal från 0 till 12.' },
      { field: 'followUp.yearlyReport.dueMonth', message: 'Månaden för årsrapporten ska vara 1–12.' },
    ]);
    expect(sut({ meetingsPerYear: 1, yearlyReport: { dueMonth: 2, dueDay: 29 } })).toEqual([
      { field: 'followUp.yearlyReport.dueDay', message: 'Dagen för årsrapporten finns inte i den månaden (29 februari går inte).' },
    ]);
    expect(termsConsistencyProblems(bromodellenTerms({ followUp: { meetingsPerYear: 1.5, yearlyReport: null } })).map((p) => p.field)).toEqual(['followUp.meetingsPerYear']);
  });
});

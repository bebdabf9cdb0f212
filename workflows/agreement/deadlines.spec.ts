import { addDays, calendarDateOf, startOfDayInstant } from '../calendar/calendar';
import { ORG, bromodellenAt, bromodellenInput, bromodellenTerms, drive, ev, hoppfullFramtidSigned } from './__fixtures__/factories';
import { deadlinesOf, latestPossibleEnd, nextDeadlineOf, timersOf, type Deadline } from './deadlines';
import { ALL_STATE_CODES, startAgreement, step, type AgreementStateCode, type PersistedAgreement } from './persistence';
import { DEFAULT_REMINDER_POLICY, reminderSchedule, resolvePolicy, type PlannedReminder } from './reminders';
import type { AgreementTerms, CalendarDate } from './types';

const sut = deadlinesOf;

const PARTIES = [ORG.linkopingsKommun, ORG.bilda, ORG.erikshjalpen];

/** Bromodellen-like agreement with other validity, signed and driven to its first period. */
function signedWith(startDate: CalendarDate, endDate: CalendarDate, extension?: AgreementTerms['extension']): PersistedAgreement {
  const terms = bromodellenTerms({ validity: { startDate, endDate }, ...(extension !== undefined ? { extension } : {}) });
  const signingDay = addDays(startDate, -30);
  return drive(
    startAgreement(bromodellenInput({ terms, proposedOn: addDays(signingDay, -60) })),
    ev.accept(addDays(signingDay, -50)),
    ev.sendForSigning(addDays(signingDay, -5)),
    ...PARTIES.map((org) => ev.sign(org, signingDay)),
  );
}

const activeWith = (startDate: CalendarDate, endDate: CalendarDate, extension?: AgreementTerms['extension']): PersistedAgreement =>
  drive(signedWith(startDate, endDate, extension), ev.startDateReached(startDate));

const renewAll = (persisted: PersistedAgreement, today: CalendarDate): PersistedAgreement =>
  drive(persisted, ...PARTIES.map((org) => ev.consentToExtension(org, today)));

const secondPeriod = (): PersistedAgreement => drive(bromodellenAt('renewed'), ev.newPeriodStarted('2026-01-01'));
const lastPeriod = (): PersistedAgreement =>
  drive(renewAll(drive(secondPeriod(), ev.decisionWindowOpened('2027-03-31')), '2027-05-20'), ev.newPeriodStarted('2028-01-01'));

const brief = (deadlines: Deadline[]): Array<[string, number, CalendarDate, string | null]> =>
  deadlines.map((d) => [d.kind, d.cycle, d.dueDate, d.event]);

describe('deadlinesOf, state by state (Bromodellen)', () => {
  const expected: Record<AgreementStateCode, Array<[string, number, CalendarDate, string | null]>> = {
    initiative: [],
    declined: [],
    draft: [],
    signing: [],
    signed: [
      ['start', 0, '2024-01-01', 'START_DATE_REACHED'],
      ['end', 0, '2025-12-31', null],
    ],
    active: [
      ['decision_window', 1, '2025-03-31', 'DECISION_WINDOW_OPENED'],
      ['decision_due', 1, '2025-09-30', null],
      ['end', 0, '2025-12-31', 'END_DATE_PASSED'],
    ],
    'extensionDecision.pending': [
      ['decision_due', 1, '2025-09-30', 'DECISION_DEADLINE_PASSED'],
      ['end', 0, '2025-12-31', 'END_DATE_PASSED'],
    ],
    'extensionDecision.overdue': [['end', 0, '2025-12-31', 'END_DATE_PASSED']],
    extensionRefused: [['end', 0, '2025-12-31', 'END_DATE_PASSED']],
    renewed: [
      ['period_start', 1, '2026-01-01', 'NEW_PERIOD_STARTED'],
      ['end', 1, '2027-12-31', null],
    ],
    expired: [],
    'terminated.awaitingSettlement': [],
    'terminated.settled': [],
  };

  it.each(ALL_STATE_CODES)('%s', (code) => {
    const persisted = bromodellenAt(code);
    const deadlines = sut(persisted);
    expect(brief(deadlines)).toEqual(expected[code]);
    expect(deadlines.every((d) => d.scheduledIn === code)).toBe(true);
    expect(timersOf(persisted)).toEqual(deadlines.filter((d) => d.event !== null));
    expect(nextDeadlineOf(persisted)).toEqual(deadlines[0] ?? null);
  });

  it('fires the start and a new period on that day, a passed end or decision on the day after, at Stockholm midnight', () => {
    const firesAt = (persisted: PersistedAgreement): Record<string, string> =>
      Object.fromEntries(sut(persisted).map((d) => [d.kind, d.firesAt]));
    expect(firesAt(bromodellenAt('signed'))).toEqual({ start: '2023-12-31T23:00:00.000Z', end: '2025-12-31T23:00:00.000Z' });
    expect(firesAt(bromodellenAt('active'))).toEqual({
      decision_window: '2025-03-30T22:00:00.000Z', // 2025-03-31 is in summer time
      decision_due: '2025-09-30T22:00:00.000Z', // the start of 2025-10-01
      end: '2025-12-31T23:00:00.000Z', // the start of 2026-01-01
    });
    expect(firesAt(bromodellenAt('renewed'))).toEqual({ period_start: '2025-12-31T23:00:00.000Z', end: '2027-12-31T23:00:00.000Z' });
  });

  it('lists the deadlines earliest first and shows the nearest as the next one', () => {
    for (const persisted of [bromodellenAt('active'), bromodellenAt('signed'), secondPeriod()]) {
      const instants = sut(persisted).map((d) => d.firesAt);
      expect(instants).toEqual([...instants].sort());
    }
    expect(nextDeadlineOf(bromodellenAt('active'))).toMatchObject({ kind: 'decision_window', dueDate: '2025-03-31' });
    expect(nextDeadlineOf(bromodellenAt('extensionDecision.pending'))).toMatchObject({ kind: 'decision_due', dueDate: '2025-09-30' });
    expect(nextDeadlineOf(bromodellenAt('draft'))).toBeNull();
  });

  it('counts the decisions: the second one is due 2027-09-30, and after it there is none', () => {
    expect(brief(sut(secondPeriod()))).toEqual([
      ['decision_window', 2, '2027-03-31', 'DECISION_WINDOW_OPENED'],
      ['decision_due', 2, '2027-09-30', null],
      ['end', 1, '2027-12-31', 'END_DATE_PASSED'],
    ]);
    expect(brief(sut(lastPeriod()))).toEqual([['end', 2, '2029-12-31', 'END_DATE_PASSED']]);
  });
});

describe('every timer is a promise the machine keeps', () => {
  const states: Array<[string, () => PersistedAgreement]> = [
    ...ALL_STATE_CODES.map((code): [string, () => PersistedAgreement] => [code, () => bromodellenAt(code)]),
    ['second period', secondPeriod],
    ['last period', lastPeriod],
    ['Hoppfull framtid signed', hoppfullFramtidSigned],
  ];

  it.each(states)('%s: each timer is taken at its instant and refused a day earlier', (_name, build) => {
    const persisted = build();
    for (const timer of timersOf(persisted)) {
      const today = calendarDateOf(timer.firesAt);
      expect(step(persisted, { type: timer.event!, today })).toMatchObject({ applied: true });
      expect(step(persisted, { type: timer.event!, today: addDays(today, -1) })).toMatchObject({ applied: false, reason: 'guard_refused' });
    }
  });
});

describe('the extension decision date', () => {
  it.each([
    ['2024-01-01', '2025-12-31', '2025-09-30', '2025-03-31'],
    ['2026-03-01', '2028-02-29', '2027-11-30', '2027-05-31'], // a leap-day end is a month end
    ['2025-03-01', '2027-02-28', '2026-11-30', '2026-05-31'], // and so is the 28th of a common February
    ['2024-06-16', '2026-06-15', '2026-03-15', '2025-09-15'], // not a month end: the same day three months earlier
    ['2024-05-31', '2026-05-30', '2026-02-28', '2025-08-31'], // no 30th in February: clamped to its end, which is a month end
  ])('for an agreement %s–%s is due %s; the decision opens %s', (start, end, due, opens) => {
    const deadlines = sut(activeWith(start, end));
    expect(deadlines.find((d) => d.kind === 'decision_due')?.dueDate).toBe(due);
    expect(deadlines.find((d) => d.kind === 'decision_window')?.dueDate).toBe(opens);
  });

  it('follows the agreement\'s own notice and window', () => {
    const deadlines = sut(activeWith('2024-01-01', '2025-12-31', { periodMonths: 12, maxExtensions: 1, decisionNoticeMonths: 1, decisionWindowMonths: 2 }));
    expect(brief(deadlines)).toEqual([
      ['decision_window', 1, '2025-09-30', 'DECISION_WINDOW_OPENED'],
      ['decision_due', 1, '2025-11-30', null],
      ['end', 0, '2025-12-31', 'END_DATE_PASSED'],
    ]);
  });

  it('has no decision deadline when the terms allow no extension', () => {
    const deadlines = sut(activeWith('2024-01-01', '2025-12-31', { periodMonths: 24, maxExtensions: 0, decisionNoticeMonths: 3, decisionWindowMonths: 6 }));
    expect(brief(deadlines)).toEqual([['end', 0, '2025-12-31', 'END_DATE_PASSED']]);
  });
});

describe('timers across daylight-saving changes', () => {
  it('opens a decision on 2026-03-29 at 23:00 UTC the day before (clocks go forward that night)', () => {
    const window = sut(activeWith('2025-01-01', '2026-12-29')).find((d) => d.kind === 'decision_window')!;
    expect(window).toMatchObject({ dueDate: '2026-03-29', firesAt: '2026-03-28T23:00:00.000Z' });
  });

  it('opens a decision on 2026-10-25 at 22:00 UTC the day before (clocks go back that night)', () => {
    const window = sut(activeWith('2025-08-01', '2027-07-25')).find((d) => d.kind === 'decision_window')!;
    expect(window).toMatchObject({ dueDate: '2026-10-25', firesAt: '2026-10-24T22:00:00.000Z' });
  });

  it('starts an agreement on 2026-03-29 and ends one on 2026-10-24 at the right instants', () => {
    const signed = signedWith('2026-03-29', '2026-10-24');
    expect(sut(signed).map((d) => [d.kind, d.firesAt])).toEqual([
      ['start', '2026-03-28T23:00:00.000Z'],
      ['end', '2026-10-24T22:00:00.000Z'],
    ]);
  });

  it('fires every timer at the start of a Stockholm day, whatever the season', () => {
    const agreements = [activeWith('2025-01-01', '2026-12-29'), activeWith('2025-08-01', '2027-07-25'), secondPeriod(), bromodellenAt('renewed')];
    for (const deadline of agreements.flatMap((p) => sut(p))) {
      expect(deadline.firesAt).toBe(startOfDayInstant(calendarDateOf(deadline.firesAt)));
      const effective = deadline.kind === 'end' || deadline.kind === 'decision_due' ? addDays(deadline.dueDate, 1) : deadline.dueDate;
      expect(calendarDateOf(deadline.firesAt)).toBe(effective);
    }
  });
});

describe('latestPossibleEnd', () => {
  it.each([
    ['initiative', '2029-12-31'],
    ['draft', '2029-12-31'],
    ['signed', '2029-12-31'],
    ['active', '2029-12-31'],
    ['extensionDecision.pending', '2029-12-31'],
    ['renewed', '2029-12-31'],
  ] as const)('is 2029-12-31 for Bromodellen in %s: two more periods of two years', (code, end) => {
    expect(latestPossibleEnd(bromodellenAt(code))).toBe(end);
  });

  it('stays 2029-12-31 as the extensions are used', () => {
    expect(latestPossibleEnd(secondPeriod())).toBe('2029-12-31');
    expect(latestPossibleEnd(lastPeriod())).toBe('2029-12-31');
  });

  it('is the end date once an extension was refused or the agreement expired: nothing can follow', () => {
    expect(latestPossibleEnd(bromodellenAt('extensionRefused'))).toBe('2025-12-31');
    expect(latestPossibleEnd(bromodellenAt('expired'))).toBe('2025-12-31');
  });

  it('is the day a termination took effect', () => {
    expect(latestPossibleEnd(bromodellenAt('terminated.awaitingSettlement'))).toBe('2024-09-16');
    expect(latestPossibleEnd(bromodellenAt('terminated.settled'))).toBe('2024-09-16');
  });

  it('is nothing for a declined initiative or one without an end date', () => {
    expect(latestPossibleEnd(bromodellenAt('declined'))).toBeNull();
    const open = startAgreement(bromodellenInput({ terms: bromodellenTerms({ validity: { startDate: '2024-01-01', endDate: null } }) }));
    expect(latestPossibleEnd(open)).toBeNull();
  });

  it('is 2023-12-31 for Hoppfull framtid, and the end date itself when no extension is allowed', () => {
    expect(latestPossibleEnd(hoppfullFramtidSigned())).toBe('2023-12-31');
    const noExtension = startAgreement(bromodellenInput({ terms: bromodellenTerms({ extension: null }) }));
    expect(latestPossibleEnd(noExtension)).toBe('2025-12-31');
  });

  it('is the end the renewals actually reach, also when a period ends on a month end only in some years', () => {
    // 2024-02-28 is no month end (2024 is a leap year), 2026-02-28 is, so the second renewal ends on 2028-02-29.
    let persisted = activeWith('2023-03-01', '2024-02-28');
    const promised = latestPossibleEnd(persisted);
    for (let i = 0; i < 2; i += 1) {
      const window = timersOf(persisted).find((t) => t.kind === 'decision_window')!;
      persisted = renewAll(drive(persisted, ev.decisionWindowOpened(window.dueDate)), window.dueDate);
      persisted = drive(persisted, ev.newPeriodStarted(persisted.context.periodStart!));
    }
    expect(persisted.context.endDate).toBe('2028-02-29');
    expect(promised).toBe(persisted.context.endDate);
  });
});

describe('reminderSchedule', () => {
  const slim = (reminders: PlannedReminder[]): Array<[string, number, string, CalendarDate, CalendarDate]> =>
    reminders.map((r) => [r.key, r.cycle, r.audience, r.sendOn, r.deadlineDate]);

  it('reminds the samverkansgrupp and the secretariat of the coming decision, 6 and 4 months, 1 month, 1 week before and on the day', () => {
    expect(slim(reminderSchedule(bromodellenAt('active')))).toEqual([
      ['decision_upcoming:6m', 1, 'samverkansgrupp_and_secretariat', '2025-03-31', '2025-09-30'],
      ['decision_upcoming:4m', 1, 'samverkansgrupp_and_secretariat', '2025-05-31', '2025-09-30'],
      ['decision_upcoming:1m', 1, 'samverkansgrupp_and_secretariat', '2025-08-31', '2025-09-30'],
      ['decision_upcoming:1w', 1, 'samverkansgrupp_and_secretariat', '2025-09-23', '2025-09-30'],
      ['decision_upcoming:0d', 1, 'samverkansgrupp_and_secretariat', '2025-09-30', '2025-09-30'],
    ]);
  });

  it('keeps the same reminders, with the same keys, once the decision is open, so none is sent twice', () => {
    const active = reminderSchedule(bromodellenAt('active'));
    const pending = reminderSchedule(bromodellenAt('extensionDecision.pending'));
    const withConsent = reminderSchedule(drive(bromodellenAt('extensionDecision.pending'), ev.consentToExtension(ORG.bilda, '2025-05-02')));
    expect(pending).toEqual(active);
    expect(withConsent).toEqual(active);
  });

  it('numbers the second decision\'s reminders as cycle 2', () => {
    const reminders = reminderSchedule(secondPeriod());
    expect(reminders.every((r) => r.cycle === 2 && r.deadlineDate === '2027-09-30')).toBe(true);
    expect(reminders.map((r) => r.key)).toEqual(reminderSchedule(bromodellenAt('active')).map((r) => r.key));
  });

  it('escalates an overdue decision to the secretariat, the day after and two weeks after', () => {
    expect(slim(reminderSchedule(bromodellenAt('extensionDecision.overdue')))).toEqual([
      ['decision_overdue:1d', 1, 'secretariat', '2025-10-01', '2025-09-30'],
      ['decision_overdue:2w', 1, 'secretariat', '2025-10-14', '2025-09-30'],
    ]);
  });

  it('warns that a new agreement is needed when no extension remains', () => {
    expect(slim(reminderSchedule(lastPeriod()))).toEqual([
      ['new_agreement_needed:12m', 2, 'samverkansgrupp_and_secretariat', '2028-12-31', '2029-12-31'],
      ['new_agreement_needed:6m', 2, 'samverkansgrupp_and_secretariat', '2029-06-30', '2029-12-31'],
    ]);
  });

  it('warns that a new agreement is needed after an extension was refused', () => {
    expect(reminderSchedule(bromodellenAt('extensionRefused')).map((r) => [r.kind, r.deadlineDate])).toEqual([
      ['new_agreement_needed', '2025-12-31'],
      ['new_agreement_needed', '2025-12-31'],
    ]);
  });

  it('reminds those who have not signed, with the signing round as cycle', () => {
    expect(slim(reminderSchedule(bromodellenAt('signing')))).toEqual([
      ['signature_missing:1w', 1, 'unsigned_signatories', '2023-11-27', '2023-11-20'],
      ['signature_missing:3w', 1, 'unsigned_signatories', '2023-12-11', '2023-11-20'],
    ]);
    const round2 = drive(bromodellenAt('signing'), ev.returnToDraft(ORG.bilda, 'Fel belopp.', '2023-11-21'), ev.sendForSigning('2023-11-23'));
    expect(slim(reminderSchedule(round2))).toEqual([
      ['signature_missing:1w', 2, 'unsigned_signatories', '2023-11-30', '2023-11-23'],
      ['signature_missing:3w', 2, 'unsigned_signatories', '2023-12-14', '2023-11-23'],
    ]);
  });

  it.each(['initiative', 'declined', 'draft', 'signed', 'renewed', 'expired', 'terminated.awaitingSettlement', 'terminated.settled'] as const)(
    'plans nothing in %s',
    (code) => {
      expect(reminderSchedule(bromodellenAt(code))).toEqual([]);
    },
  );

  it('sends each reminder at the start of its Stockholm day, keys unique and the schedule stable', () => {
    const agreements = [...ALL_STATE_CODES.map((c) => bromodellenAt(c)), secondPeriod(), lastPeriod()];
    for (const persisted of agreements) {
      const reminders = reminderSchedule(persisted);
      expect(reminderSchedule(persisted)).toEqual(reminders);
      const ids = reminders.map((r) => `${r.kind}/${r.cycle}/${r.key}`);
      expect(new Set(ids).size).toBe(ids.length);
      for (const r of reminders) {
        expect(r.key.startsWith(`${r.kind}:`)).toBe(true);
        expect(r.sendAt).toBe(startOfDayInstant(r.sendOn));
      }
      const days = reminders.map((r) => r.sendOn);
      expect(days).toEqual([...days].sort());
    }
  });

  it('follows an agreement\'s own policy where it overrides the default, and the default elsewhere', () => {
    const policy = resolvePolicy({ decisionDueBefore: [{ months: 2 }, { weeks: 2, days: 1 }] });
    expect(policy.overdueEscalationAfter).toEqual(DEFAULT_REMINDER_POLICY.overdueEscalationAfter);
    expect(slim(reminderSchedule(bromodellenAt('active'), policy))).toEqual([
      ['decision_upcoming:2m', 1, 'samverkansgrupp_and_secretariat', '2025-07-31', '2025-09-30'],
      ['decision_upcoming:2w1d', 1, 'samverkansgrupp_and_secretariat', '2025-09-15', '2025-09-30'],
    ]);
    expect(reminderSchedule(bromodellenAt('extensionDecision.overdue'), policy)).toEqual(reminderSchedule(bromodellenAt('extensionDecision.overdue')));
  });

  it('treats no overrides as the default policy', () => {
    expect(resolvePolicy(null)).toEqual(DEFAULT_REMINDER_POLICY);
    expect(resolvePolicy(undefined)).toEqual(DEFAULT_REMINDER_POLICY);
    expect(resolvePolicy({})).toEqual(DEFAULT_REMINDER_POLICY);
    expect(reminderSchedule(bromodellenAt('active'), resolvePolicy(null))).toEqual(reminderSchedule(bromodellenAt('active')));
  });

  it('can switch a kind of reminder off', () => {
    expect(reminderSchedule(bromodellenAt('signing'), resolvePolicy({ signatureMissingAfter: [] }))).toEqual([]);
  });
});

/**
 * The seed agreements lived through by events only: people act on given days,
 * and the clock moves by firing the timers deadlinesOf() asks for, as the service does.
 */
import { startOfDayInstant } from '../calendar/calendar';
import { advanceClock, type FiredTimer } from './__fixtures__/clock';
import { ORG, bromodellenInput, drive, ev, hoppfullFramtidInput, sampleEvent } from './__fixtures__/factories';
import { deadlinesOf, latestPossibleEnd, nextDeadlineOf, timersOf } from './deadlines';
import { ALL_EVENT_TYPES, type CalendarDate } from './types';
import { startAgreement, stateCodeOf, step, type PersistedAgreement } from './persistence';
import { reminderSchedule } from './reminders';

const BROMODELLEN = [ORG.linkopingsKommun, ORG.bilda, ORG.erikshjalpen];
const HOPPFULL_FRAMTID = [ORG.linkopingsKommun, ORG.stadsmissionen];

const stateOf = (persisted: PersistedAgreement): string => stateCodeOf(persisted.value);
const timeline = (fired: FiredTimer[]): string[] => fired.map((f) => `${f.today} ${f.event} → ${f.to}`);
/** The instant a Stockholm day begins: the clock is moved to it. */
const morningOf = (date: CalendarDate): string => startOfDayInstant(date);
const dueOf = (persisted: PersistedAgreement, kind: string): CalendarDate | undefined => deadlinesOf(persisted).find((d) => d.kind === kind)?.dueDate;

/** Bromodellen negotiated in the autumn of 2023 and signed before it starts. */
function bromodellenSignedIn2023(): PersistedAgreement {
  const signed = drive(
    startAgreement(bromodellenInput()),
    ev.accept('2023-09-20'),
    ev.sendForSigning('2023-11-20'),
    ev.sign(ORG.linkopingsKommun, '2023-11-27'),
    ev.sign(ORG.bilda, '2023-11-28'),
    ev.sign(ORG.erikshjalpen, '2023-12-04'),
  );
  expect(stateOf(signed)).toBe('signed');
  return signed;
}

describe('Bromodellen, 2024-01-01 to 2029-12-31 with both extensions', () => {
  it('starts, is renewed twice, and expires on 2030-01-01 with no extension left', () => {
    let sut = bromodellenSignedIn2023();
    expect(nextDeadlineOf(sut)).toMatchObject({ kind: 'start', dueDate: '2024-01-01' });

    // New Year's Eve 2023, one millisecond before midnight in Stockholm: not started yet.
    let travelled = advanceClock(sut, '2023-12-31T22:59:59.999Z');
    expect(travelled.fired).toEqual([]);
    travelled = advanceClock(travelled.persisted, morningOf('2024-01-01'));
    sut = travelled.persisted;
    expect(timeline(travelled.fired)).toEqual(['2024-01-01 START_DATE_REACHED → active']);
    expect(dueOf(sut, 'decision_due')).toBe('2025-09-30');
    expect(latestPossibleEnd(sut)).toBe('2029-12-31');

    // The first decision opens on 2025-03-31; all three parties agree in May.
    travelled = advanceClock(sut, morningOf('2025-05-01'));
    expect(timeline(travelled.fired)).toEqual(['2025-03-31 DECISION_WINDOW_OPENED → extensionDecision.pending']);
    sut = drive(travelled.persisted, ...BROMODELLEN.map((org) => ev.consentToExtension(org, '2025-05-14')));
    expect(stateOf(sut)).toBe('renewed');
    expect(sut.context).toMatchObject({ extensionsUsed: 1, endDate: '2027-12-31' });

    // 2026: the second period; its decision is due 2027-09-30.
    travelled = advanceClock(sut, morningOf('2027-04-15'));
    expect(timeline(travelled.fired)).toEqual([
      '2026-01-01 NEW_PERIOD_STARTED → active',
      '2027-03-31 DECISION_WINDOW_OPENED → extensionDecision.pending',
    ]);
    expect(travelled.persisted.context.decision).toMatchObject({ cycle: 2, dueDate: '2027-09-30' });
    sut = drive(travelled.persisted, ...BROMODELLEN.map((org) => ev.consentToExtension(org, '2027-06-02')));
    expect(sut.context).toMatchObject({ extensionsUsed: 2, endDate: '2029-12-31', periodStart: '2028-01-01' });

    // The last period: no decision to take, only the end.
    travelled = advanceClock(sut, morningOf('2028-01-01'));
    sut = travelled.persisted;
    expect(timeline(travelled.fired)).toEqual(['2028-01-01 NEW_PERIOD_STARTED → active']);
    expect(deadlinesOf(sut).map((d) => d.kind)).toEqual(['end']);
    expect(deadlinesOf(sut).some((d) => d.kind === 'decision_window')).toBe(false);
    expect(step(sut, ev.decisionWindowOpened('2029-03-31'))).toMatchObject({ applied: false, reason: 'guard_refused' });
    expect(reminderSchedule(sut).map((r) => [r.kind, r.sendOn])).toEqual([
      ['new_agreement_needed', '2028-12-31'],
      ['new_agreement_needed', '2029-06-30'],
    ]);

    // In force all through 2029-12-31; expired when 2030-01-01 begins in Stockholm.
    travelled = advanceClock(sut, '2029-12-31T22:59:59.999Z');
    expect(stateOf(travelled.persisted)).toBe('active');
    travelled = advanceClock(travelled.persisted, morningOf('2030-01-01'));
    expect(travelled.fired).toEqual([
      { event: 'END_DATE_PASSED', today: '2030-01-01', firesAt: '2029-12-31T23:00:00.000Z', from: 'active', to: 'expired' },
    ]);
    sut = travelled.persisted;
    expect(sut.context.extensionsUsed).toBe(2);
    expect(sut.context.pastDecisions.map((d) => [d.cycle, d.dueDate, d.consents.length])).toEqual([
      [1, '2025-09-30', 3],
      [2, '2027-09-30', 3],
    ]);
    expect(timersOf(sut)).toEqual([]);
    expect(advanceClock(sut, morningOf('2040-01-01')).fired).toEqual([]);
  });
});

describe('Hoppfull framtid, 2018-01-01 to 2023-12-31', () => {
  it('runs its two extensions of two years and then only a new agreement can follow', () => {
    let sut = drive(
      startAgreement(hoppfullFramtidInput()),
      ev.accept('2017-09-15'),
      ev.sendForSigning('2017-12-01'),
      ...HOPPFULL_FRAMTID.map((org) => ev.sign(org, '2017-12-07')),
    );
    expect(latestPossibleEnd(sut)).toBe('2023-12-31');

    let travelled = advanceClock(sut, morningOf('2019-06-01'));
    expect(timeline(travelled.fired)).toEqual(['2018-01-01 START_DATE_REACHED → active', '2019-03-31 DECISION_WINDOW_OPENED → extensionDecision.pending']);
    expect(travelled.persisted.context.decision?.dueDate).toBe('2019-09-30');
    sut = drive(travelled.persisted, ...HOPPFULL_FRAMTID.map((org) => ev.consentToExtension(org, '2019-06-12')));

    travelled = advanceClock(sut, morningOf('2021-06-01'));
    expect(timeline(travelled.fired)).toEqual(['2020-01-01 NEW_PERIOD_STARTED → active', '2021-03-31 DECISION_WINDOW_OPENED → extensionDecision.pending']);
    expect(travelled.persisted.context.decision?.dueDate).toBe('2021-09-30');
    sut = drive(travelled.persisted, ...HOPPFULL_FRAMTID.map((org) => ev.consentToExtension(org, '2021-06-09')));
    // The committee's 2021 follow-up: valid to 2023-12-31.
    expect(sut.context).toMatchObject({ endDate: '2023-12-31', extensionsUsed: 2 });

    travelled = advanceClock(sut, morningOf('2024-01-01'));
    expect(timeline(travelled.fired)).toEqual(['2022-01-01 NEW_PERIOD_STARTED → active', '2024-01-01 END_DATE_PASSED → expired']);
    expect(travelled.persisted.context.pastDecisions.map((d) => d.dueDate)).toEqual(['2019-09-30', '2021-09-30']);
  });
});

describe('a refused extension', () => {
  it('lets Bromodellen run to 2025-12-31 and expire, with a new agreement called for', () => {
    let sut = advanceClock(bromodellenSignedIn2023(), morningOf('2025-04-10')).persisted;
    expect(stateOf(sut)).toBe('extensionDecision.pending');
    sut = drive(
      sut,
      ev.consentToExtension(ORG.linkopingsKommun, '2025-04-22'),
      ev.refuseExtension(ORG.erikshjalpen, 'Erikshjälpen driver arbetsträningen i egen regi från 2026.', '2025-05-06'),
    );
    expect(stateOf(sut)).toBe('extensionRefused');
    expect(latestPossibleEnd(sut)).toBe('2025-12-31');
    expect(reminderSchedule(sut).map((r) => r.kind)).toEqual(['new_agreement_needed', 'new_agreement_needed']);
    // Bilda's consent can no longer change anything.
    expect(step(sut, ev.consentToExtension(ORG.bilda, '2025-05-07'))).toMatchObject({ applied: false });

    const travelled = advanceClock(sut, morningOf('2027-01-01'));
    expect(timeline(travelled.fired)).toEqual(['2026-01-01 END_DATE_PASSED → expired']);
    expect(travelled.persisted.context.pastDecisions[0].refusal).toMatchObject({ organisationId: ORG.erikshjalpen, on: '2025-05-06' });
  });
});

describe('an overdue decision', () => {
  it('shows as overdue from 2025-10-01, escalates to the secretariat, and a late decision still renews', () => {
    let sut = advanceClock(bromodellenSignedIn2023(), morningOf('2025-09-15')).persisted;
    sut = drive(sut, ev.consentToExtension(ORG.bilda, '2025-09-10'));
    expect(reminderSchedule(sut).map((r) => r.kind)).toContain('decision_upcoming');

    // Still pending all through the day it is due.
    let travelled = advanceClock(sut, '2025-09-30T21:59:59.999Z');
    expect(stateOf(travelled.persisted)).toBe('extensionDecision.pending');
    travelled = advanceClock(travelled.persisted, morningOf('2025-10-01'));
    sut = travelled.persisted;
    expect(timeline(travelled.fired)).toEqual(['2025-10-01 DECISION_DEADLINE_PASSED → extensionDecision.overdue']);
    expect(sut.value).toEqual({ inForce: { extensionDecision: 'overdue' } });
    expect(reminderSchedule(sut)).toEqual([
      expect.objectContaining({ kind: 'decision_overdue', audience: 'secretariat', sendOn: '2025-10-01', cycle: 1 }),
      expect.objectContaining({ kind: 'decision_overdue', audience: 'secretariat', sendOn: '2025-10-14', cycle: 1 }),
    ]);
    expect(sut.context.decision?.consents.map((c) => c.organisationId)).toEqual([ORG.bilda]);

    sut = drive(sut, ev.consentToExtension(ORG.linkopingsKommun, '2025-11-20'), ev.consentToExtension(ORG.erikshjalpen, '2025-12-15'));
    expect(stateOf(sut)).toBe('renewed');
    travelled = advanceClock(sut, morningOf('2026-01-01'));
    expect(timeline(travelled.fired)).toEqual(['2026-01-01 NEW_PERIOD_STARTED → active']);
    expect(travelled.persisted.context.endDate).toBe('2027-12-31');
  });

  it('expires if the parties never decide', () => {
    const sut = advanceClock(bromodellenSignedIn2023(), morningOf('2025-09-15')).persisted;
    const travelled = advanceClock(sut, morningOf('2026-01-01'));
    expect(timeline(travelled.fired)).toEqual([
      '2025-10-01 DECISION_DEADLINE_PASSED → extensionDecision.overdue',
      '2026-01-01 END_DATE_PASSED → expired',
    ]);
  });
});

describe('a termination for breach in the middle of a period', () => {
  it('ends Bromodellen at once in 2026, then the costs incurred are settled and nothing more happens', () => {
    let sut = advanceClock(bromodellenSignedIn2023(), morningOf('2025-04-01')).persisted;
    sut = drive(sut, ...BROMODELLEN.map((org) => ev.consentToExtension(org, '2025-05-14')));
    sut = advanceClock(sut, morningOf('2026-09-15')).persisted;
    expect(stateOf(sut)).toBe('active');

    sut = drive(
      sut,
      ev.declareTermination(ORG.linkopingsKommun, 'material_breach', 'Inga platser har erbjudits sedan juni 2026.', '2026-09-15'),
    );
    expect(stateOf(sut)).toBe('terminated.awaitingSettlement');
    expect(sut.context.termination).toMatchObject({ kind: 'declared', effectiveOn: '2026-09-15', declaredBy: ORG.linkopingsKommun });
    expect(timersOf(sut)).toEqual([]);
    expect(latestPossibleEnd(sut)).toBe('2026-09-15');
    // The old timers no longer apply: the decision window of 2027 never opens.
    expect(advanceClock(sut, morningOf('2028-01-01')).fired).toEqual([]);

    sut = drive(
      sut,
      ev.recordSettlement(
        [
          { organisationId: ORG.bilda, amountKr: 444_150 },
          { organisationId: ORG.erikshjalpen, amountKr: 88_830 },
        ],
        'Faktiskt uppkomna kostnader januari–15 september 2026.',
        '2026-10-30',
      ),
    );
    expect(stateOf(sut)).toBe('terminated.settled');
    for (const type of ALL_EVENT_TYPES) {
      expect(step(sut, sampleEvent(type, '2026-11-01'))).toMatchObject({ applied: false, reason: 'not_in_state' });
    }
  });
});

describe('a signatory sends the draft back', () => {
  it('clears the first round and the agreement is signed in the second', () => {
    let sut = drive(
      startAgreement(bromodellenInput()),
      ev.accept('2023-09-20'),
      ev.sendForSigning('2023-11-20'),
      ev.sign(ORG.linkopingsKommun, '2023-11-21'),
      ev.sign(ORG.bilda, '2023-11-22'),
    );
    expect(reminderSchedule(sut).map((r) => [r.key, r.cycle])).toEqual([
      ['signature_missing:1w', 1],
      ['signature_missing:3w', 1],
    ]);

    sut = drive(sut, ev.returnToDraft(ORG.erikshjalpen, 'Avsnitt 5 ska ange 40 heltidsplatser.', '2023-11-24'));
    expect(stateOf(sut)).toBe('draft');
    expect(sut.context.signatures).toEqual([]);
    expect(sut.context.lastReturn).toMatchObject({ organisationId: ORG.erikshjalpen, reason: 'Avsnitt 5 ska ange 40 heltidsplatser.' });
    expect(reminderSchedule(sut)).toEqual([]);

    sut = drive(sut, ev.updateTerms({ ...sut.context.terms }, '2023-11-27'), ev.sendForSigning('2023-11-28'));
    expect(sut.context.signingRound).toBe(2);
    expect(reminderSchedule(sut).map((r) => [r.key, r.cycle, r.sendOn])).toEqual([
      ['signature_missing:1w', 2, '2023-12-05'],
      ['signature_missing:3w', 2, '2023-12-19'],
    ]);

    sut = drive(sut, ev.sign(ORG.erikshjalpen, '2023-11-29'), ev.sign(ORG.linkopingsKommun, '2023-12-01'));
    expect(stateOf(sut)).toBe('signing');
    sut = drive(sut, ev.sign(ORG.bilda, '2023-12-04'));
    expect(stateOf(sut)).toBe('signed');
    expect(sut.context.signatures.map((s) => s.on)).toEqual(['2023-11-29', '2023-12-01', '2023-12-04']);

    const travelled = advanceClock(sut, morningOf('2024-01-01'));
    expect(timeline(travelled.fired)).toEqual(['2024-01-01 START_DATE_REACHED → active']);
  });

  it('can be signed late, after the start date, and starts at once', () => {
    const late = drive(
      startAgreement(bromodellenInput()),
      ev.accept('2023-09-20'),
      ev.sendForSigning('2023-12-20'),
      ...BROMODELLEN.map((org) => ev.sign(org, '2024-01-10')),
    );
    const travelled = advanceClock(late, morningOf('2024-01-10'));
    expect(timeline(travelled.fired)).toEqual(['2024-01-01 START_DATE_REACHED → active']);
  });
});

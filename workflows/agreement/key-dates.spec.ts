import { bromodellenAt, bromodellenInput, bromodellenTerms, drive, ev, followUpDuties, ORG } from './__fixtures__/factories';
import { keyDatesOf } from './deadlines';
import { startAgreement } from './persistence';

const sut = keyDatesOf;

describe('keyDatesOf (Bromodellen: 2024-01-01–2025-12-31, two extensions of two years, decided three months before the end)', () => {
  it('before signing: the dates the terms will give', () => {
    expect(sut(bromodellenAt('draft'))).toMatchObject({
      start: '2024-01-01',
      end: '2025-12-31',
      decisionDue: '2025-09-30',
      decisionOpens: '2025-03-31',
      decisionCycle: 1,
      latestPossibleEnd: '2029-12-31',
      extensionsUsed: 0,
      extensionsRemaining: 2,
      followUps: [],
    });
  });

  it('active: the decision on the first extension is due 2025-09-30', () => {
    expect(sut(bromodellenAt('active'))).toMatchObject({ decisionDue: '2025-09-30', decisionCycle: 1, latestPossibleEnd: '2029-12-31' });
  });

  it('renewed once: new end, the second decision due three months before it, one extension left', () => {
    expect(sut(bromodellenAt('renewed'))).toMatchObject({
      start: '2024-01-01',
      end: '2027-12-31',
      decisionDue: '2027-09-30',
      decisionCycle: 2,
      latestPossibleEnd: '2029-12-31',
      extensionsUsed: 1,
      extensionsRemaining: 1,
    });
  });

  it('while deciding: the decision the clock opened; overdue keeps it', () => {
    expect(sut(bromodellenAt('extensionDecision.pending'))).toMatchObject({ decisionDue: '2025-09-30', decisionOpens: null, decisionCycle: 1 });
    expect(sut(bromodellenAt('extensionDecision.overdue'))).toMatchObject({ decisionDue: '2025-09-30', decisionCycle: 1 });
  });

  it('refused, expired or terminated: no decision and no extension left', () => {
    for (const code of ['extensionRefused', 'expired'] as const) expect(sut(bromodellenAt(code))).toMatchObject({ decisionDue: null, extensionsRemaining: 0, latestPossibleEnd: '2025-12-31' });
    expect(sut(bromodellenAt('terminated.awaitingSettlement'))).toMatchObject({ decisionDue: null, extensionsRemaining: 0, end: '2024-09-16' });
  });

  it('the follow-up duties not yet met, each with its year', () => {
    const terms = bromodellenTerms({ followUp: followUpDuties() });
    const signed = drive(
      startAgreement(bromodellenInput({ terms })),
      ev.accept('2023-09-20'),
      ev.sendForSigning('2023-11-20'),
      ...[ORG.linkopingsKommun, ORG.bilda, ORG.erikshjalpen].map((o) => ev.sign(o, '2023-11-29')),
      ev.startDateReached('2024-01-01'),
    );
    expect(sut(signed).followUps.slice(0, 2)).toEqual([
      { kind: 'follow_up_meeting', year: 2024, dueDate: '2024-12-31', overdue: false },
      { kind: 'yearly_report', year: 2024, dueDate: '2025-03-31', overdue: false },
    ]);
  });
});

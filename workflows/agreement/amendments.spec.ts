import { accepted, refused } from './__fixtures__/expectations';
import { ORG, amendedBromodellenEconomics, bromodellenAt, bromodellenTerms, drive, ev } from './__fixtures__/factories';
import { economicsVersionsOf, projectVersionedEconomics } from './economics';
import type { PersistedAgreement } from './persistence';
import type { Economics } from './types';

const PARTIES = [ORG.linkopingsKommun, ORG.bilda, ORG.erikshjalpen];
const REASON = 'Bilda utökar med en fjärde tjänst från 2025.';

/** Bromodellen active, with an amendment for 2025 proposed on 2024-06-03. */
const proposed = (): PersistedAgreement => accepted(bromodellenAt('active'), ev.proposeAmendment(2025, amendedBromodellenEconomics(), REASON, '2024-06-03'), 'active');

const agreedByAll = (): PersistedAgreement =>
  drive(
    proposed(),
    ev.agreeToAmendment(ORG.bilda, '2024-06-10'),
    ev.agreeToAmendment(ORG.erikshjalpen, '2024-06-12'),
    ev.agreeToAmendment(ORG.linkopingsKommun, '2024-06-20'),
  );

describe('an amendment (tillägg)', () => {
  it('is proposed in force, waits for every party and is kept apart from the terms until then', () => {
    const pending = proposed();
    expect(pending.context.amendment).toEqual({
      version: 2,
      proposedOn: '2024-06-03',
      effectiveFromYear: 2025,
      economics: amendedBromodellenEconomics(),
      reason: REASON,
      agreements: [],
    });
    const twoOfThree = drive(pending, ev.agreeToAmendment(ORG.bilda, '2024-06-10'), ev.agreeToAmendment(ORG.erikshjalpen, '2024-06-12'));
    expect(twoOfThree.context.terms.economics).toEqual(bromodellenTerms().economics);
    expect(twoOfThree.context.termsVersions).toHaveLength(1);
  });

  it('takes effect when the last party agrees: a new terms version, the signed one still readable, who agreed and when', () => {
    const amended = agreedByAll();
    expect(amended.context.amendment).toBeNull();
    expect(amended.context.terms.economics).toEqual(amendedBromodellenEconomics());
    expect(amended.context.termsVersions.map((v) => [v.version, v.effectiveFromYear, v.economics?.totalKr, v.reason])).toEqual([
      [1, 2024, 2_368_800, null],
      [2, 2025, 2_829_600, REASON],
    ]);
    expect(amended.context.termsVersions[1].agreedBy).toEqual([
      { organisationId: ORG.bilda, on: '2024-06-10' },
      { organisationId: ORG.erikshjalpen, on: '2024-06-12' },
      { organisationId: ORG.linkopingsKommun, on: '2024-06-20' },
    ]);
    expect(amended.context.termsVersions[0].agreedBy.map((a) => a.organisationId).sort()).toEqual([...PARTIES].sort());
  });

  it('is agreed once per party, and only by parties', () => {
    const once = accepted(proposed(), ev.agreeToAmendment(ORG.bilda, '2024-06-10'));
    refused(once, ev.agreeToAmendment(ORG.bilda, '2024-06-11'), 'guard_refused');
    refused(once, ev.agreeToAmendment(ORG.rodaKorset, '2024-06-11'), 'guard_refused');
    refused(once, ev.refuseAmendment(ORG.bilda, 'Ändrat oss.', '2024-06-11'), 'guard_refused');
  });

  it('lapses when a party refuses it with a reason, or the secretariat withdraws it with a reason', () => {
    expect(accepted(proposed(), ev.refuseAmendment(ORG.erikshjalpen, 'Ryms inte i vår budget.', '2024-06-12')).context.amendment).toBeNull();
    refused(proposed(), ev.refuseAmendment(ORG.erikshjalpen, ' ', '2024-06-12'), 'guard_refused');
    expect(accepted(proposed(), ev.withdrawAmendment('Ersätts av ett nytt förslag.', '2024-06-12')).context.amendment).toBeNull();
    refused(proposed(), ev.withdrawAmendment('', '2024-06-12'), 'guard_refused');
    refused(bromodellenAt('active'), ev.withdrawAmendment('Inget att dra tillbaka.', '2024-06-12'), 'guard_refused');
  });

  it('takes effect from a coming calendar year within the agreement, one at a time, with complete economics', () => {
    const active = bromodellenAt('active');
    refused(active, ev.proposeAmendment(2024, amendedBromodellenEconomics(), REASON, '2024-06-03'), 'guard_refused');
    refused(active, ev.proposeAmendment(2026, amendedBromodellenEconomics(), REASON, '2024-06-03'), 'guard_refused');
    refused(active, ev.proposeAmendment(2025, amendedBromodellenEconomics(), '', '2024-06-03'), 'guard_refused');
    const unbalanced: Economics = { ...amendedBromodellenEconomics(), totalKr: 3_000_000 };
    refused(active, ev.proposeAmendment(2025, unbalanced, REASON, '2024-06-03'), 'guard_refused');
    const noContributions: Economics = { ...amendedBromodellenEconomics(), contributions: [] };
    refused(active, ev.proposeAmendment(2025, noContributions, REASON, '2024-06-03'), 'guard_refused');
    refused(proposed(), ev.proposeAmendment(2025, amendedBromodellenEconomics(), REASON, '2024-06-04'), 'guard_refused');
    // A second amendment must take effect after the first.
    refused(agreedByAll(), ev.proposeAmendment(2025, bromodellenTerms().economics as Economics, REASON, '2024-09-01'), 'guard_refused');
  });

  it('is not possible before signing, and lapses with the agreement', () => {
    refused(bromodellenAt('draft'), ev.proposeAmendment(2025, amendedBromodellenEconomics(), REASON, '2024-06-03'), 'not_in_state');
    const terminated = accepted(proposed(), ev.declareTermination('secretariat', 'material_breach', 'Verksamheten har upphört.', '2024-07-01'));
    expect(terminated.context.amendment).toBeNull();
  });
});

describe('economics by terms version', () => {
  const sut = projectVersionedEconomics;

  it('leaves the years before the amendment as they were and projects the new economics from its year on', () => {
    const { context } = agreedByAll();
    const years = sut(economicsVersionsOf(context), context.terms.parties, 2024, 2027);
    expect(years.map((y) => [y.year, y.termsVersion, y.totalKr])).toEqual([
      [2024, 1, 2_368_800],
      [2025, 2, 2_829_600],
      [2026, 2, 2_886_192],
      [2027, 2, 2_943_916],
    ]);
    expect(years[1].perParty.map((p) => p.amountKr)).toEqual([1_980_720, 707_400, 141_480]);
  });

  it('is the signed economics alone without amendments, and the terms before signing', () => {
    const active = bromodellenAt('active').context;
    expect(economicsVersionsOf(active)).toEqual([{ version: 1, effectiveFromYear: 2024, economics: bromodellenTerms().economics }]);
    const draft = bromodellenAt('draft').context;
    expect(economicsVersionsOf(draft)).toEqual([{ version: 1, effectiveFromYear: 2024, economics: bromodellenTerms().economics }]);
    expect(sut(economicsVersionsOf(active), active.terms.parties, 2024, 2025).map((y) => y.totalKr)).toEqual([2_368_800, 2_416_176]);
  });
});

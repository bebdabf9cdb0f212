import { bromodellenTerms, hoppfullFramtidTerms, ORG } from './__fixtures__/factories';
import { economicsProblems, shareProblems, sharesFromAmounts, termsConsistencyProblems } from './terms';
import type { Contribution, Economics } from './types';

const NBSP = '\u00a0';

/** The example: 700 000 / 200 000 / 100 000 kr, with shares 70 / 20 / 10 % unless given. */
function contributions(shares: [number, number, number] = [7000, 2000, 1000]): Contribution[] {
  return [
    { organisationId: ORG.linkopingsKommun, amountKr: 700_000, shareBasisPoints: shares[0] },
    { organisationId: ORG.bilda, amountKr: 200_000, shareBasisPoints: shares[1] },
    { organisationId: ORG.erikshjalpen, amountKr: 100_000, shareBasisPoints: shares[2] },
  ];
}

const economicsOf = (c: Contribution[]): Economics => ({ costLines: [{ label: 'Lokaler', amountKr: 1_000_000 }], totalKr: 1_000_000, contributions: c, indexationBasisPoints: 0 });
const partyIds = [ORG.linkopingsKommun, ORG.bilda, ORG.erikshjalpen];

describe('shares against amounts', () => {
  it('accepts the seeds: Bromodellen 70 / 25 / 5 % and Hoppfull framtid 52,87 / 47,13 %', () => {
    expect(termsConsistencyProblems(bromodellenTerms())).toEqual([]);
    expect(termsConsistencyProblems(hoppfullFramtidTerms())).toEqual([]);
  });

  it('refuses 70,5 / 19,5 / 10 % against 700 000 / 200 000 / 100 000 kr, naming each wrong share in Swedish', () => {
    const sut = shareProblems(contributions([7050, 1950, 1000]));
    expect(sut).toEqual([
      { field: 'economics.contributions.0.shareBasisPoints', message: `Andelen 70,5${NBSP}% stämmer inte med bidraget: 700${NBSP}000${NBSP}kr av 1${NBSP}000${NBSP}000${NBSP}kr är 70${NBSP}%.` },
      { field: 'economics.contributions.1.shareBasisPoints', message: `Andelen 19,5${NBSP}% stämmer inte med bidraget: 200${NBSP}000${NBSP}kr av 1${NBSP}000${NBSP}000${NBSP}kr är 20${NBSP}%.` },
    ]);
    // The shares still sum to 100 %: the sum alone would not have caught it.
    expect(economicsProblems(economicsOf(contributions([7050, 1950, 1000])), partyIds).map((p) => p.field)).toEqual([
      'economics.contributions.0.shareBasisPoints',
      'economics.contributions.1.shareBasisPoints',
    ]);
  });

  it('allows the exact share rounded either way to a hundredth of a per cent', () => {
    const thirds = (a: number, b: number, c: number): Contribution[] => [
      { organisationId: ORG.linkopingsKommun, amountKr: 1, shareBasisPoints: a },
      { organisationId: ORG.bilda, amountKr: 1, shareBasisPoints: b },
      { organisationId: ORG.erikshjalpen, amountKr: 1, shareBasisPoints: c },
    ];
    expect(shareProblems(thirds(3334, 3333, 3333))).toEqual([]);
    expect(shareProblems(thirds(3333, 3334, 3333))).toEqual([]);
    expect(shareProblems(thirds(3335, 3332, 3333)).map((p) => p.field)).toEqual(['economics.contributions.0.shareBasisPoints', 'economics.contributions.1.shareBasisPoints']);
  });

  it('says nothing about shares while the amounts are not whole kronor or sum to nothing', () => {
    expect(shareProblems([{ organisationId: ORG.bilda, amountKr: 0, shareBasisPoints: 10_000 }])).toEqual([]);
    expect(shareProblems([{ organisationId: ORG.bilda, amountKr: 1.5, shareBasisPoints: 10_000 }])).toEqual([]);
  });

  it('derives the shares from the amounts, summing to exactly 100 %', () => {
    expect(sharesFromAmounts([700_000, 200_000, 100_000])).toEqual([7000, 2000, 1000]);
    expect(sharesFromAmounts([1_658_160, 592_200, 118_440])).toEqual([7000, 2500, 500]);
    expect(sharesFromAmounts([1_100_000, 980_500])).toEqual([5287, 4713]);
    expect(sharesFromAmounts([])).toBeNull();
    expect(sharesFromAmounts([0, 0])).toBeNull();
    expect(sharesFromAmounts([-1, 2])).toBeNull();
  });

  it('formats the amounts in the sums messages as the rest of the interface does', () => {
    const sut = economicsProblems({ ...economicsOf(contributions()), totalKr: 990_000 }, partyIds);
    expect(sut.map((p) => p.message)).toEqual([
      `Kostnaderna summerar till 1${NBSP}000${NBSP}000${NBSP}kr men summan är 990${NBSP}000${NBSP}kr.`,
      `Parternas bidrag summerar till 1${NBSP}000${NBSP}000${NBSP}kr men summan är 990${NBSP}000${NBSP}kr.`,
    ]);
  });
});

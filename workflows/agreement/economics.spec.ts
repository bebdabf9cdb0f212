import {
  apportionKronor,
  formatBasisPoints,
  formatKronor,
  indexedAmountKr,
  NBSP,
  projectEconomics,
  projectEconomicsBetween,
  sharesInBasisPoints,
} from './economics';
import type { Economics, Party } from './types';
import { bromodellenTerms, ORG } from './__fixtures__/factories';

/** Bromodellen 2024, seed 000 § 7, from the shared factory. */
const terms = bromodellenTerms();
const parties: Party[] = terms.parties;
const bromodellen = terms.economics as Economics;

const amounts = (p: { perParty: { amountKr: number }[] }): number[] => p.perParty.map((x) => x.amountKr);

describe('projectEconomics', () => {
  it('gives the seed figures for the base year 2024', () => {
    const [y2024] = projectEconomics(bromodellen, parties, 2024, 2024, 2024);
    expect(y2024.year).toBe(2024);
    expect(y2024.totalKr).toBe(2_368_800);
    expect(amounts(y2024)).toEqual([1_658_160, 592_200, 118_440]);
    expect(y2024.perParty.map((p) => p.name)).toEqual(['Linköpings kommun', 'Studieförbundet Bilda Sydöst', 'Erikshjälpen']);
    expect(y2024.perParty.map((p) => p.shareBasisPoints)).toEqual([7000, 2500, 500]);
  });

  it('indexes 2025 by 2 % and settles the öre by largest remainder', () => {
    const [, y2025] = projectEconomics(bromodellen, parties, 2024, 2025, 2024);
    expect(y2025.totalKr).toBe(2_416_176);
    // 1 691 323,2 / 604 044 / 120 808,8: the spare krona goes to the ,8.
    expect(amounts(y2025)).toEqual([1_691_323, 604_044, 120_809]);
  });

  it('rounds the exact compounded value once, not year by year', () => {
    const years = projectEconomics(bromodellen, parties, 2024, 2029, 2024);
    expect(years.map((y) => y.year)).toEqual([2024, 2025, 2026, 2027, 2028, 2029]);
    // 2 368 800 × 1,02^5 = 2 615 346,606 620 16 → 2 615 347.
    expect(years[5].totalKr).toBe(2_615_347);
    // 2026: 2 368 800 × 1,0404 = 2 464 499,52 → 2 464 500.
    expect(years[2].totalKr).toBe(2_464_500);
    for (const y of years) expect(amounts(y).reduce((a, b) => a + b, 0)).toBe(y.totalKr);
  });

  it('differs from compounding rounded amounts when the öre matter', () => {
    const economics: Economics = {
      costLines: [],
      totalKr: 25,
      contributions: [{ organisationId: ORG.linkopingsKommun, amountKr: 25, shareBasisPoints: 10000 }],
      indexationBasisPoints: 200,
    };
    // 25 → 25,5 → 26,01 exactly; rounding each year would give 26 → 26,52 → 27.
    const years = projectEconomics(economics, parties, 2024, 2026, 2024);
    expect(years.map((y) => y.totalKr)).toEqual([25, 26, 26]);
  });

  it('starts later than the base year and handles no indexation', () => {
    const [y2026] = projectEconomics({ ...bromodellen, indexationBasisPoints: 0 }, parties, 2026, 2026, 2024);
    expect(y2026.totalKr).toBe(2_368_800);
    expect(amounts(y2026)).toEqual([1_658_160, 592_200, 118_440]);
  });

  it('covers the calendar years of a period', () => {
    const years = projectEconomicsBetween(bromodellen, parties, '2026-01-01', '2027-12-31', 2024);
    expect(years.map((y) => [y.year, y.totalKr])).toEqual([
      [2026, 2_464_500],
      [2027, 2_513_790],
    ]);
    expect(projectEconomicsBetween(bromodellen, parties, '2024-01-01', '2024-12-31')[0].totalKr).toBe(2_368_800);
  });

  it('gives ties to the earlier party', () => {
    const economics: Economics = {
      costLines: [],
      totalKr: 3,
      contributions: [
        { organisationId: ORG.linkopingsKommun, amountKr: 1, shareBasisPoints: 3334 },
        { organisationId: ORG.bilda, amountKr: 1, shareBasisPoints: 3333 },
        { organisationId: ORG.erikshjalpen, amountKr: 1, shareBasisPoints: 3333 },
      ],
      indexationBasisPoints: 5000,
    };
    // 4,5 in total → 5; each part 1,5.
    const [, next] = projectEconomics(economics, parties, 2024, 2025, 2024);
    expect(next.totalKr).toBe(5);
    expect(amounts(next)).toEqual([2, 2, 1]);
  });

  it('returns no parts without contributions, and nothing for an empty range', () => {
    const [y] = projectEconomics({ ...bromodellen, contributions: [] }, parties, 2025, 2025, 2024);
    expect(y).toEqual({ year: 2025, totalKr: 2_416_176, perParty: [] });
    expect(projectEconomics(bromodellen, parties, 2026, 2025, 2024)).toEqual([]);
  });

  it('refuses inconsistent economics and years before the base year', () => {
    const wrongSum = { ...bromodellen, totalKr: 2_368_801 };
    expect(() => projectEconomics(wrongSum, parties, 2024, 2024, 2024)).toThrow(RangeError);
    expect(() => projectEconomics(bromodellen, parties.slice(0, 2), 2024, 2024, 2024)).toThrow(/part/);
    expect(() => projectEconomics(bromodellen, parties, 2023, 2024, 2024)).toThrow(RangeError);
    expect(() => projectEconomics({ ...bromodellen, indexationBasisPoints: 1.5 }, parties, 2024, 2024, 2024)).toThrow(RangeError);
  });
});

describe('indexedAmountKr', () => {
  it('rounds half up', () => {
    expect(indexedAmountKr(25, 200, 1)).toBe(26); // 25,5
    expect(indexedAmountKr(2_368_800, 200, 1)).toBe(2_416_176);
    expect(indexedAmountKr(100, -100, 1)).toBe(99);
  });
});

describe('largest remainder helpers', () => {
  it('computes shares that sum to 100 %', () => {
    expect(sharesInBasisPoints([1_658_160, 592_200, 118_440])).toEqual([7000, 2500, 500]);
    // Hoppfull framtid: 1 100 000 / 980 500 of 2 080 500 = 52,8719… % / 47,1280… %.
    expect(sharesInBasisPoints([1_100_000, 980_500])).toEqual([5287, 4713]);
    expect(sharesInBasisPoints([1, 1, 1])).toEqual([3334, 3333, 3333]);
  });

  it('apportions kronor', () => {
    expect(apportionKronor(641_200, [25, 5])).toEqual([534_333, 106_867]);
    expect(apportionKronor(10, [0, 1])).toEqual([0, 10]);
    expect(() => apportionKronor(10, [0, 0])).toThrow(RangeError);
  });
});

describe('formatting', () => {
  it('formats kronor with U+00A0', () => {
    expect(formatKronor(2_368_800)).toBe('2\u00a0368\u00a0800\u00a0kr');
    expect(formatKronor(2_368_800).replace(/\u00a0/g, ' ')).toBe('2 368 800 kr');
    expect(formatKronor(0)).toBe(`0${NBSP}kr`);
    expect(formatKronor(999)).toBe(`999${NBSP}kr`);
    expect(formatKronor(1000)).toBe(`1${NBSP}000${NBSP}kr`);
    expect(formatKronor(-118_440)).toBe(`-118${NBSP}440${NBSP}kr`);
    expect(() => formatKronor(1.5)).toThrow(RangeError);
  });

  it('formats basis points as Swedish per cent', () => {
    expect(formatBasisPoints(7000)).toBe(`70${NBSP}%`);
    expect(formatBasisPoints(5287)).toBe(`52,87${NBSP}%`);
    expect(formatBasisPoints(5250)).toBe(`52,5${NBSP}%`);
    expect(formatBasisPoints(5)).toBe(`0,05${NBSP}%`);
    expect(formatBasisPoints(10000)).toBe(`100${NBSP}%`);
    expect(formatBasisPoints(200)).toBe(`2${NBSP}%`);
    expect(formatBasisPoints(-250)).toBe(`-2,5${NBSP}%`);
  });
});

import { yearOf, type CalendarDate } from '../calendar/calendar';
import type { AgreementContext, Economics, Party } from './types';

/**
 * Yearly economics of an agreement: "för varje nytt kalenderår justeras
 * kostnaderna för pris- och löneförändring med X %". Money is whole kronor;
 * the indexation is computed exactly with BigInt fractions and rounded once,
 * so rounding errors never compound from year to year.
 */

export interface PartyProjection {
  organisationId: string;
  name: string;
  amountKr: number;
  /** The agreed share; indexation moves every part by the same factor, so the share stays. */
  shareBasisPoints: number;
}

export interface YearProjection {
  year: number;
  totalKr: number;
  perParty: PartyProjection[];
}

const FULL_SHARE = 10_000n;

function requireWholeKronor(value: number, what: string): bigint {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${what} måste vara hela kronor, noll eller mer: ${value}`);
  return BigInt(value);
}

function requireYear(value: number, what: string): void {
  if (!Number.isSafeInteger(value)) throw new RangeError(`${what} måste vara ett årtal: ${value}`);
}

/** value = numerator / denominator ≥ 0, rounded half-up to an integer. */
function roundHalfUp(numerator: bigint, denominator: bigint): bigint {
  return (2n * numerator + denominator) / (2n * denominator);
}

/** The factor (1 + bp/10000)^years as a fraction. */
function indexFactor(indexationBasisPoints: number, years: number): { numerator: bigint; denominator: bigint } {
  if (!Number.isSafeInteger(indexationBasisPoints) || indexationBasisPoints <= -10_000) {
    throw new RangeError(`Uppräkningen måste vara ett heltal hundradels procent över −100 %: ${indexationBasisPoints}`);
  }
  if (!Number.isSafeInteger(years) || years < 0) throw new RangeError(`Antal år måste vara ett heltal, noll eller fler: ${years}`);
  const exponent = BigInt(years);
  return { numerator: (FULL_SHARE + BigInt(indexationBasisPoints)) ** exponent, denominator: FULL_SHARE ** exponent };
}

/**
 * Splits `target` into integer parts proportional to numerators[i] / denominator
 * (whose exact sum is about `target`): every part gets its floor, the units left
 * go to the largest remainders, ties to the earlier part.
 */
function largestRemainder(numerators: readonly bigint[], denominator: bigint, target: bigint): bigint[] {
  const parts = numerators.map((n) => n / denominator);
  const remainders = numerators.map((n) => n % denominator);
  const left = target - parts.reduce((sum, p) => sum + p, 0n);
  if (left < 0n || left > BigInt(parts.length)) {
    throw new RangeError('Delarna summerar inte till summan; kontrollera att bidragen summerar till totalen.');
  }
  const order = remainders
    .map((remainder, index) => ({ remainder, index }))
    .sort((a, b) => (a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1));
  for (let i = 0; i < Number(left); i += 1) parts[order[i].index] += 1n;
  return parts;
}

/** An amount indexed `years` times by `indexationBasisPoints`, rounded half-up to whole kronor. */
export function indexedAmountKr(baseKr: number, indexationBasisPoints: number, years: number): number {
  const base = requireWholeKronor(baseKr, 'Beloppet');
  const { numerator, denominator } = indexFactor(indexationBasisPoints, years);
  return Number(roundHalfUp(base * numerator, denominator));
}

/** Splits whole kronor in proportion to `weights` by the largest-remainder method; the parts sum to `totalKr`. */
export function apportionKronor(totalKr: number, weights: readonly number[]): number[] {
  const total = requireWholeKronor(totalKr, 'Summan');
  const w = weights.map((x) => requireWholeKronor(x, 'Vikten'));
  const weightSum = w.reduce((sum, x) => sum + x, 0n);
  if (weightSum === 0n) throw new RangeError('Minst en vikt måste vara större än noll.');
  return largestRemainder(
    w.map((x) => x * total),
    weightSum,
    total,
  ).map(Number);
}

/** Each amount's share of their sum in basis points (hundredths of a per cent), summing to exactly 10000. */
export function sharesInBasisPoints(amountsKr: readonly number[]): number[] {
  return apportionKronor(Number(FULL_SHARE), amountsKr);
}

/**
 * The total and each party's part for every year from `fromYear` to `toYear`;
 * the costs as written are those of `baseYear`. Year y: base × (1 + bp/10000)^(y − baseYear),
 * exact, rounded half-up once; the parts are indexed alike and then adjusted by
 * largest remainder so they sum to the rounded total.
 * Throws if the contributions do not sum to the total or name a non-party:
 * validate with termsConsistencyProblems first.
 */
export function projectEconomics(
  economics: Economics,
  parties: readonly Party[],
  fromYear: number,
  toYear: number,
  baseYear: number,
): YearProjection[] {
  requireYear(fromYear, 'Första året');
  requireYear(toYear, 'Sista året');
  requireYear(baseYear, 'Basåret');
  if (fromYear < baseYear) throw new RangeError(`Kostnaderna räknas inte bakåt från basåret ${baseYear}: ${fromYear}`);

  const total = requireWholeKronor(economics.totalKr, 'Summan');
  const contributions = economics.contributions.map((c) => {
    const party = parties.find((p) => p.organisationId === c.organisationId);
    if (!party) throw new RangeError(`Bidraget kommer inte från en part: ${c.organisationId}`);
    return { ...c, name: party.name, base: requireWholeKronor(c.amountKr, 'Bidraget') };
  });
  const contributionSum = contributions.reduce((sum, c) => sum + c.base, 0n);
  if (contributions.length > 0 && contributionSum !== total) {
    throw new RangeError(`Parternas bidrag summerar till ${formatKronor(Number(contributionSum))} men summan är ${formatKronor(Number(total))}.`);
  }

  const years: YearProjection[] = [];
  for (let year = fromYear; year <= toYear; year += 1) {
    const { numerator, denominator } = indexFactor(economics.indexationBasisPoints, year - baseYear);
    const totalKr = roundHalfUp(total * numerator, denominator);
    const parts =
      contributions.length === 0
        ? []
        : largestRemainder(
            contributions.map((c) => c.base * numerator),
            denominator,
            totalKr,
          );
    years.push({
      year,
      totalKr: Number(totalKr),
      perParty: contributions.map((c, i) => ({
        organisationId: c.organisationId,
        name: c.name,
        amountKr: Number(parts[i]),
        shareBasisPoints: c.shareBasisPoints,
      })),
    });
  }
  return years;
}

/** projectEconomics for the calendar years a period touches; the base year defaults to the first. */
export function projectEconomicsBetween(
  economics: Economics,
  parties: readonly Party[],
  from: CalendarDate,
  to: CalendarDate,
  baseYear: number = yearOf(from),
): YearProjection[] {
  return projectEconomics(economics, parties, yearOf(from), yearOf(to), baseYear);
}

/** Economics as agreed from a calendar year on: the signed terms, then each amendment. */
export interface EconomicsVersion {
  version: number;
  effectiveFromYear: number;
  economics: Economics;
}

/** A projected year and the terms version it was computed from. */
export interface VersionedYearProjection extends YearProjection {
  termsVersion: number;
}

/** The economics versions of an agreement, oldest first: its terms versions, or its current terms before signing. */
export function economicsVersionsOf(context: Pick<AgreementContext, 'terms' | 'termsVersions'>): EconomicsVersion[] {
  const versions = context.termsVersions.filter((v) => v.economics !== null).map((v) => ({ version: v.version, effectiveFromYear: v.effectiveFromYear, economics: v.economics as Economics }));
  if (versions.length > 0) return versions;
  const start = context.terms.validity.startDate;
  return context.terms.economics && start ? [{ version: 1, effectiveFromYear: yearOf(start), economics: context.terms.economics }] : [];
}

/**
 * Every year from `fromYear` to `toYear` under the version in force that year: a version applies from its
 * year until the next version's, indexed from its own first year (an amendment states the costs of the
 * year it takes effect). Years before the first version are not projected.
 */
export function projectVersionedEconomics(versions: readonly EconomicsVersion[], parties: readonly Party[], fromYear: number, toYear: number): VersionedYearProjection[] {
  const ordered = [...versions].sort((a, b) => a.effectiveFromYear - b.effectiveFromYear);
  return ordered.flatMap((v, i) => {
    const first = Math.max(fromYear, v.effectiveFromYear);
    const last = Math.min(toYear, (ordered[i + 1]?.effectiveFromYear ?? toYear + 1) - 1);
    if (first > last) return [];
    return projectEconomics(v.economics, parties, first, last, v.effectiveFromYear).map((y) => ({ ...y, termsVersion: v.version }));
  });
}

/**
 * U+00A0 NO-BREAK SPACE: the thousands separator and the space before the unit.
 * Chosen over U+202F (which Intl's sv-SE uses) because every font and e-mail client has it,
 * and it keeps "2 368 800 kr" on one line.
 */
export const NBSP = '\u00a0';

/** 1234567 → "1 234 567" (U+00A0 between thousands). */
export function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, NBSP);
}

/** 2368800 → "2 368 800 kr" (U+00A0 spaces); negative amounts get a hyphen-minus. */
export function formatKronor(amountKr: number): string {
  if (!Number.isSafeInteger(amountKr)) throw new RangeError(`Beloppet måste vara hela kronor: ${amountKr}`);
  const sign = amountKr < 0 ? '-' : '';
  return `${sign}${groupThousands(String(Math.abs(amountKr)))}${NBSP}kr`;
}

/** 7000 → "70 %", 5287 → "52,87 %", 5250 → "52,5 %" (decimal comma, U+00A0 before %). */
export function formatBasisPoints(basisPoints: number): string {
  if (!Number.isSafeInteger(basisPoints)) throw new RangeError(`Andelen måste anges i hela hundradels procent: ${basisPoints}`);
  const sign = basisPoints < 0 ? '-' : '';
  const abs = Math.abs(basisPoints);
  const whole = groupThousands(String(Math.floor(abs / 100)));
  const fraction = String(abs % 100).padStart(2, '0').replace(/0+$/, '');
  return `${sign}${whole}${fraction ? `,${fraction}` : ''}${NBSP}%`;
}

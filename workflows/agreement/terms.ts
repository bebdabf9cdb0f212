import { daysInMonth, isAfter, isCalendarDate } from '../calendar/calendar';
import { formatBasisPoints, formatKronor, sharesInBasisPoints } from './economics';
import type { AgreementTerms, Contribution, Economics, FollowUpDuties } from './types';

/** One thing wrong with the terms: where (a field path the API and the forms share) and what, in Swedish. */
export interface TermsProblem {
  field: string;
  message: string;
}

const FULL_SHARE = 10_000;

const isWholeKronor = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

/** Checks that the terms are internally consistent, whatever is still missing. */
export function termsConsistencyProblems(terms: AgreementTerms): TermsProblem[] {
  const problems: TermsProblem[] = [];
  const { validity, extension, economics, parties } = terms;

  const ids = parties.map((p) => p.organisationId);
  if (new Set(ids).size !== ids.length) {
    problems.push({ field: 'parties', message: 'En organisation kan bara vara part en gång.' });
  }
  if (validity.startDate !== null && !isCalendarDate(validity.startDate)) {
    problems.push({ field: 'validity.startDate', message: 'Startdatum måste vara ett datum (ÅÅÅÅ-MM-DD).' });
  }
  if (validity.endDate !== null && !isCalendarDate(validity.endDate)) {
    problems.push({ field: 'validity.endDate', message: 'Slutdatum måste vara ett datum (ÅÅÅÅ-MM-DD).' });
  }
  if (
    isCalendarDate(validity.startDate) &&
    isCalendarDate(validity.endDate) &&
    !isAfter(validity.endDate, validity.startDate)
  ) {
    problems.push({ field: 'validity.endDate', message: 'Slutdatum måste vara efter startdatum.' });
  }
  if (extension) {
    if (!Number.isInteger(extension.periodMonths) || extension.periodMonths < 1) {
      problems.push({ field: 'extension.periodMonths', message: 'Förlängningsperioden måste vara minst en månad.' });
    }
    if (!Number.isInteger(extension.maxExtensions) || extension.maxExtensions < 0) {
      problems.push({ field: 'extension.maxExtensions', message: 'Antal förlängningar måste vara ett heltal, noll eller fler.' });
    }
    if (!Number.isInteger(extension.decisionNoticeMonths) || extension.decisionNoticeMonths < 0) {
      problems.push({ field: 'extension.decisionNoticeMonths', message: 'Beslutsfristen måste vara ett heltal antal månader.' });
    }
    if (!Number.isInteger(extension.decisionWindowMonths) || extension.decisionWindowMonths < 0) {
      problems.push({ field: 'extension.decisionWindowMonths', message: 'Beslutsfönstret måste vara ett heltal antal månader.' });
    }
  }
  if (economics) problems.push(...economicsProblems(economics, ids));
  if (terms.followUp) problems.push(...followUpProblems(terms.followUp));
  return problems;
}

/** Checks economics on their own: whole kronor, costs and contributions summing to the total, shares to 100 %. */
export function economicsProblems(economics: Economics, partyIds: readonly string[]): TermsProblem[] {
  const problems: TermsProblem[] = [];
  const ids = partyIds;
  const { costLines, contributions, totalKr } = economics;
  if (!isWholeKronor(totalKr)) {
    problems.push({ field: 'economics.totalKr', message: 'Summan måste vara hela kronor.' });
  }
  costLines.forEach((line, i) => {
    if (!isWholeKronor(line.amountKr)) {
      problems.push({ field: `economics.costLines.${i}.amountKr`, message: 'Kostnaden måste vara hela kronor.' });
    }
  });
  contributions.forEach((c, i) => {
    if (!isWholeKronor(c.amountKr)) {
      problems.push({ field: `economics.contributions.${i}.amountKr`, message: 'Bidraget måste vara hela kronor.' });
    }
    if (!ids.includes(c.organisationId)) {
      problems.push({ field: `economics.contributions.${i}.organisationId`, message: 'Bidraget måste komma från en part i överenskommelsen.' });
    }
  });
  if (costLines.length > 0) {
    const costSum = costLines.reduce((sum, l) => sum + l.amountKr, 0);
    if (costSum !== totalKr) {
      problems.push({ field: 'economics.costLines', message: `Kostnaderna summerar till ${kr(costSum)} men summan är ${kr(totalKr)}.` });
    }
  }
  if (contributions.length > 0) {
    const amountSum = contributions.reduce((sum, c) => sum + c.amountKr, 0);
    if (amountSum !== totalKr) {
      problems.push({ field: 'economics.contributions', message: `Parternas bidrag summerar till ${kr(amountSum)} men summan är ${kr(totalKr)}.` });
    }
    const shareSum = contributions.reduce((sum, c) => sum + c.shareBasisPoints, 0);
    if (shareSum !== FULL_SHARE) {
      problems.push({ field: 'economics.contributions', message: `Parternas andelar summerar till ${percent(shareSum)} men ska vara 100 %.` });
    }
    // Shares are weighed against amounts once both add up; until they do, that is the one thing to fix.
    if (amountSum === totalKr && shareSum === FULL_SHARE) problems.push(...shareProblems(contributions));
  }
  if (!Number.isInteger(economics.indexationBasisPoints)) {
    problems.push({ field: 'economics.indexationBasisPoints', message: 'Uppräkningen anges i hundradels procent som heltal.' });
  }
  return problems;
}

const kr = (amount: number): string => (Number.isSafeInteger(amount) ? formatKronor(amount) : `${amount} kr`);
const percent = (bp: number): string => (Number.isSafeInteger(bp) ? formatBasisPoints(bp) : `${bp / 100} %`);

/**
 * Each party's share must be its amount's part of all the contributions ("andel" follows "belopp"):
 * the exact part rounded down or up to a hundredth of a per cent, so 1 / 3 may be 33,33 % or 33,34 %,
 * but 70,5 % against 700 000 of 1 000 000 kr is refused. Nothing is said while the amounts are not
 * whole kronor or sum to nothing (other problems name those).
 */
export function shareProblems(contributions: readonly Contribution[]): TermsProblem[] {
  if (!contributions.every((c) => isWholeKronor(c.amountKr))) return [];
  const sum = contributions.reduce((s, c) => s + BigInt(c.amountKr), 0n);
  if (sum === 0n) return [];
  const problems: TermsProblem[] = [];
  contributions.forEach((c, i) => {
    const exact = BigInt(c.amountKr) * BigInt(FULL_SHARE);
    const floor = exact / sum;
    const ceil = exact % sum === 0n ? floor : floor + 1n;
    const share = Number.isSafeInteger(c.shareBasisPoints) ? BigInt(c.shareBasisPoints) : -1n;
    if (share < floor || share > ceil) {
      const expected = percent(sharesInBasisPoints(contributions.map((x) => x.amountKr))[i]);
      problems.push({
        field: `economics.contributions.${i}.shareBasisPoints`,
        message: `Andelen ${percent(c.shareBasisPoints)} stämmer inte med bidraget: ${kr(c.amountKr)} av ${kr(Number(sum))} är ${expected}.`,
      });
    }
  });
  return problems;
}

/** The shares the amounts give (largest remainder, summing to exactly 100 %), for terms that state only amounts. */
export function sharesFromAmounts(amountsKr: readonly number[]): number[] | null {
  if (amountsKr.length === 0 || !amountsKr.every(isWholeKronor) || amountsKr.every((a) => a === 0)) return null;
  return sharesInBasisPoints(amountsKr);
}

const isIntegerBetween = (value: unknown, min: number, max: number): boolean => Number.isInteger(value) && (value as number) >= min && (value as number) <= max;

/** Checks the follow-up duties: a sensible number of meetings, a report day that exists. */
export function followUpProblems(followUp: FollowUpDuties): TermsProblem[] {
  const problems: TermsProblem[] = [];
  if (!isIntegerBetween(followUp.meetingsPerYear, 0, 12)) {
    problems.push({ field: 'followUp.meetingsPerYear', message: 'Antal uppföljningsmöten per år ska vara ett heltal från 0 till 12.' });
  }
  const report = followUp.yearlyReport;
  if (report) {
    if (!isIntegerBetween(report.dueMonth, 1, 12)) {
      problems.push({ field: 'followUp.yearlyReport.dueMonth', message: 'Månaden för årsrapporten ska vara 1–12.' });
    } else if (!isIntegerBetween(report.dueDay, 1, daysInMonth(2001, report.dueMonth))) {
      // 2001 is no leap year: a report due on 29 February would not exist most years.
      problems.push({ field: 'followUp.yearlyReport.dueDay', message: 'Dagen för årsrapporten finns inte i den månaden (29 februari går inte).' });
    }
  }
  return problems;
}

/** Everything that must be in place before the parties can be asked to sign. */
export function termsCompletenessProblems(terms: AgreementTerms): TermsProblem[] {
  const problems = termsConsistencyProblems(terms);
  const { parties, validity, extension, economics } = terms;
  if (!parties.some((p) => p.kind === 'municipality')) {
    problems.push({ field: 'parties', message: 'Kommunen måste vara part.' });
  }
  if (!parties.some((p) => p.kind === 'civil_society')) {
    problems.push({ field: 'parties', message: 'Minst en idéburen organisation måste vara part.' });
  }
  if (validity.startDate === null) problems.push({ field: 'validity.startDate', message: 'Startdatum saknas.' });
  if (validity.endDate === null) problems.push({ field: 'validity.endDate', message: 'Slutdatum saknas.' });
  if (extension === null) problems.push({ field: 'extension', message: 'Villkor för förlängning saknas.' });
  if (economics === null) {
    problems.push({ field: 'economics', message: 'Ekonomi saknas.' });
  } else {
    problems.push(...economicsGaps(economics));
  }
  return problems;
}

/** What economics need beyond being consistent before anyone can agree to them. */
function economicsGaps(economics: Economics): TermsProblem[] {
  const problems: TermsProblem[] = [];
  if (economics.contributions.length === 0) {
    problems.push({ field: 'economics.contributions', message: 'Parternas bidrag saknas.' });
  }
  if (economics.totalKr <= 0) problems.push({ field: 'economics.totalKr', message: 'Summan måste vara större än noll.' });
  return problems;
}

/** New economics for an amendment: consistent with the parties, and complete. */
export function amendedEconomicsProblems(economics: Economics, partyIds: readonly string[]): TermsProblem[] {
  return [...economicsProblems(economics, partyIds), ...economicsGaps(economics)];
}

export const areTermsComplete = (terms: AgreementTerms): boolean => termsCompletenessProblems(terms).length === 0;

import { daysInMonth, isAfter, isCalendarDate } from '../calendar/calendar';
import type { AgreementTerms, Economics, FollowUpDuties } from './types';
import { formatBasisPoints, formatKronor } from './economics';

/** Amounts in messages as everywhere in the UI ("990 000 kr"); a value that is no whole krona as typed. */
const amountText = (kr: number): string => (Number.isSafeInteger(kr) ? formatKronor(kr) : `${kr} kr`);
const shareText = (bp: number): string => (Number.isSafeInteger(bp) ? formatBasisPoints(bp) : `${bp / 100} %`);

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
      problems.push({ field: 'economics.costLines', message: `Kostnaderna summerar till ${amountText(costSum)} men summan är ${amountText(totalKr)}.` });
    }
  }
  if (contributions.length > 0) {
    const amountSum = contributions.reduce((sum, c) => sum + c.amountKr, 0);
    if (amountSum !== totalKr) {
      problems.push({ field: 'economics.contributions', message: `Parternas bidrag summerar till ${amountText(amountSum)} men summan är ${amountText(totalKr)}.` });
    }
    const shareSum = contributions.reduce((sum, c) => sum + c.shareBasisPoints, 0);
    if (shareSum !== FULL_SHARE) {
      problems.push({ field: 'economics.contributions', message: `Parternas andelar summerar till ${shareText(shareSum)} men ska vara ${shareText(10_000)}.` });
    }
  }
  if (!Number.isInteger(economics.indexationBasisPoints)) {
    problems.push({ field: 'economics.indexationBasisPoints', message: 'Uppräkningen anges i hundradels procent som heltal.' });
  }
  return problems;
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

import { Injectable } from '@nestjs/common';
import { addMonths, calendarDateOf, yearOf, type CalendarDate } from '@workflows/calendar/calendar';
import { AgreementRepository, type AgreementVisibility } from '@app/agreements/agreement.repository';
import { BoundedWork } from '@app/common/bounded-work';
import { AgreementAccessService } from '@app/auth/agreement-access.service';
import type { Actor } from '@app/audit/actor';
import { AuditService } from '@app/audit/audit.service';
import { ClockService } from '@app/clock/clock.service';
import { DomainError } from '@app/common/domain-error';
import { agreementInYear } from './agreement-in-year';
import { requireCommitteeReader } from './committee-access';
import { FollowUpAccounts, type YearAccount, type YearFigure } from './follow-up-accounts';

/** What a refused request for a report is told to wait: about the time one takes at 100,000 agreements. */
const REPORT_RETRY_AFTER_SECONDS = 5;

/** One row of the committee's overview table, as it stood at the end of the year. */
export interface CommitteeReportRow {
  agreementId: string;
  name: string;
  committee: string | null;
  partners: string[];
  category: string | null;
  targetGroup: string;
  purpose: string;
  /** Helårsplatser, where the agreement gives them. */
  places: number | null;
  estimatedValuePerYearKr: number | null;
  committeeCostPerYearKr: number | null;
  validUntil: CalendarDate | null;
  extensionsLeft: number;
  /** When a decision on the next extension is due (only while one is possible and the agreement runs). */
  extensionDecisionDue: CalendarDate | null;
  terminatedOn: CalendarDate | null;
}

export interface CommitteeReportAccount {
  agreementId: string;
  name: string;
  /** Null when no yearly report for the year has been registered. */
  account: string | null;
  figures: YearFigure[];
}

export interface SummedFigure extends YearFigure {
  /** How many IOPs reported the figure. */
  reportedBy: number;
}

export interface EndingAgreement {
  agreementId: string;
  name: string;
  validUntil: CalendarDate;
  extensionsLeft: number;
  /** When the extension decision is due, if an extension is still possible ("senast tre månader före"). */
  decisionDue: CalendarDate | null;
}

/** The committee's yearly report on its IOPs (seed 002 is the one for 2021), as data. */
export interface CommitteeReport {
  year: number;
  /** The committee the agreements belong to, when they all name the same one. */
  committee: string | null;
  generatedOn: CalendarDate;
  rows: CommitteeReportRow[];
  totals: { estimatedValuePerYearKr: number; committeeCostPerYearKr: number };
  accounts: CommitteeReportAccount[];
  figures: SummedFigure[];
  /** Agreements whose validity ends in the year after the report's. */
  endingNextYear: EndingAgreement[];
}

export const FIRST_REPORT_YEAR = 2000;

/** The report's year from the path: four digits, from 2000 to this year (a year not yet begun has nothing to report). */
export function reportYearOf(text: string, today: CalendarDate): number {
  const thisYear = yearOf(today);
  // The message itself names the problem too: the page shows only the message, the API also the field.
  const problem = (message: string) => new DomainError('validation_failed', message, { problems: [{ field: 'year', message }] });
  if (!/^\d{4}$/.test(text)) throw problem('Året ska anges med fyra siffror, t.ex. 2021.');
  const year = Number(text);
  if (year < FIRST_REPORT_YEAR || year > thisYear) throw problem(`Årsrapporten kan tas fram för åren ${FIRST_REPORT_YEAR}–${thisYear}.`);
  return year;
}

function summed(accounts: readonly YearAccount[]): SummedFigure[] {
  const sums = new Map<string, SummedFigure>();
  for (const figure of accounts.flatMap((a) => a.figures)) {
    const sum = sums.get(figure.key) ?? { key: figure.key, label: figure.label, value: 0, reportedBy: 0 };
    sums.set(figure.key, { ...sum, value: sum.value + figure.value, reportedBy: sum.reportedBy + 1 });
  }
  return [...sums.values()];
}

/** Largest value first, as the committee's table lists them (seed 002), then by name. */
const byValue = (a: CommitteeReportRow, b: CommitteeReportRow): number =>
  (b.estimatedValuePerYearKr ?? -1) - (a.estimatedValuePerYearKr ?? -1) || a.name.localeCompare(b.name, 'sv');

/**
 * Builds the committee's yearly report for a year: every IOP in force during the year with its
 * figures and validity as they stood at the year's end (validity from the agreement's history, the
 * economics from the terms version in force that year, not today's row), each IOP's own account of
 * the year, the sums, and what runs out the year after.
 */
@Injectable()
export class CommitteeReportService {
  /** A year's report holds every agreement in force that year: a few at once, the rest wait or are told to come back. */
  private readonly builds = new BoundedWork({
    concurrency: 2,
    queueSize: 16,
    busyMessage: `Många årsrapporter tas fram just nu. Försök igen om ${REPORT_RETRY_AFTER_SECONDS} sekunder.`,
    retryAfterSeconds: REPORT_RETRY_AFTER_SECONDS,
  });

  constructor(
    private readonly tables: AgreementRepository,
    private readonly access: AgreementAccessService,
    private readonly audit: AuditService,
    private readonly followUp: FollowUpAccounts,
    private readonly clock: ClockService,
  ) {}

  async report(yearText: string, actor: Actor): Promise<CommitteeReport> {
    requireCommitteeReader(actor, 'ta fram nämndens årsrapport');
    const today = this.clock.today();
    const year = reportYearOf(yearText, today);
    const visibility = this.access.visibility(actor);
    // Everyone asking for the same year with the same view while it is being made gets that one report.
    return this.builds.run(() => this.build(year, today, visibility), JSON.stringify([year, today, visibility]));
  }

  private async build(year: number, today: CalendarDate, visibility: AgreementVisibility): Promise<CommitteeReport> {
    // Two reads for the whole year, however many agreements: the candidates with their terms, and their histories' steps.
    const candidates = await this.tables.reportCandidates(year, visibility);
    const history = await this.audit.appliedSteps(candidates.map((c) => c.id));
    const rows: CommitteeReportRow[] = [];
    for (const candidate of candidates) {
      const context = candidate.context;
      const steps = (history.get(candidate.id) ?? []).map((h) => ({ on: calendarDateOf(h.occurredAt.getTime()), fromState: h.fromState, toState: h.toState }));
      const extension = context.terms.extension ? { ...context.terms.extension, used: candidate.extensions_used } : null;
      // The row's end date already has every renewal in it; take them out again to get the agreed one.
      const used = extension?.used ?? 0;
      const originalEnd = candidate.end_date && extension ? addMonths(candidate.end_date, -used * extension.periodMonths) : candidate.end_date;
      const inYear = agreementInYear(year, steps, originalEnd, extension);
      if (!inYear.inForce) continue;
      const decisionDue =
        inYear.extensionsLeft > 0 && inYear.terminatedOn === null && inYear.validUntil && extension ? addMonths(inYear.validUntil, -extension.decisionNoticeMonths) : null;
      // The economics agreed for the year: an amendment (tillägg) applies from its year on; an
      // agreement signed in the year but starting the next one is shown with its signed terms.
      const versions = context.termsVersions ?? [];
      const version = versions.filter((v) => v.effectiveFromYear <= year).at(-1) ?? versions[0];
      const economics = version?.economics ?? context.terms.economics;
      const parties = context.terms.parties;
      const municipality = parties.filter((p) => p.kind === 'municipality').map((p) => p.organisationId);
      rows.push({
        agreementId: candidate.id,
        name: candidate.title,
        committee: candidate.committee,
        partners: parties.filter((p) => p.kind === 'civil_society').map((p) => p.name),
        category: candidate.place_category,
        targetGroup: candidate.target_group,
        purpose: candidate.purpose,
        places: candidate.places,
        estimatedValuePerYearKr: economics ? economics.totalKr : candidate.total_kr === null ? null : Number(candidate.total_kr),
        committeeCostPerYearKr: economics ? economics.contributions.filter((c) => municipality.includes(c.organisationId)).reduce((sum, c) => sum + c.amountKr, 0) : null,
        validUntil: inYear.validUntil,
        extensionsLeft: inYear.extensionsLeft,
        extensionDecisionDue: decisionDue,
        terminatedOn: inYear.terminatedOn,
      });
    }
    rows.sort(byValue);
    const accounts = await this.followUp.accountsFor(year, rows);
    const committees = [...new Set(rows.map((r) => r.committee))];
    return {
      year,
      committee: committees.length === 1 ? committees[0] : null,
      generatedOn: today,
      rows,
      totals: {
        estimatedValuePerYearKr: rows.reduce((sum, r) => sum + (r.estimatedValuePerYearKr ?? 0), 0),
        committeeCostPerYearKr: rows.reduce((sum, r) => sum + (r.committeeCostPerYearKr ?? 0), 0),
      },
      accounts: rows.map((r) => {
        const own = accounts.find((a) => a.agreementId === r.agreementId);
        return { agreementId: r.agreementId, name: r.name, account: own?.account ?? null, figures: own?.figures ?? [] };
      }),
      figures: summed(accounts.filter((a) => rows.some((r) => r.agreementId === a.agreementId))),
      endingNextYear: rows
        .filter((r): r is CommitteeReportRow & { validUntil: CalendarDate } => r.validUntil !== null && yearOf(r.validUntil) === year + 1 && r.terminatedOn === null)
        .map((r) => ({
          agreementId: r.agreementId,
          name: r.name,
          validUntil: r.validUntil,
          extensionsLeft: r.extensionsLeft,
          decisionDue: r.extensionDecisionDue,
        }))
        .sort((a, b) => a.validUntil.localeCompare(b.validUntil) || a.name.localeCompare(b.name, 'sv')),
    };
  }
}

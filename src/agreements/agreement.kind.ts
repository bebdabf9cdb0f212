import { agreementDefinition } from '@workflows/agreement/definition';
import type { Deadline } from '@workflows/agreement/deadlines';
import { stateCodeOf, type PersistedAgreement } from '@workflows/agreement/persistence';
import type { ReminderAudience, ReminderKind } from '@workflows/agreement/reminders';
import type { AgreementContext } from '@workflows/agreement/types';
import { calendarDateOf, startOfDayInstant, yearOf } from '@workflows/calendar/calendar';
import { economicsVersionsOf, projectVersionedEconomics } from '@workflows/agreement/economics';
import type { CaseDeadline, CaseKind, CaseRef, ProjectedColumn } from '@app/cases/case-kind';
import { ROLES_SEEING_ALL, ruledAgreementOf } from '@workflows/agreement/rules';
import { DEADLINE_LABELS } from '@workflows/agreement/labels';
import { recipientsFor } from '@app/notifications/reminder-recipients';
import { reminderMail } from '@app/notifications/reminder-mail';
import { writeAgreementNotices, type AgreementNoticeDeps } from '@app/notifications/agreement-notices';
import type { AgreementRecord, AgreementRepository } from './agreement.repository';

/** An agreement as the shared tables name it. */
export const agreementCase = (id: string): CaseRef => ({ type: agreementDefinition.type, id });

/** The agreement table's copies of its snapshot, for queries (besides the standard case columns). */
const COLUMNS: Record<string, ProjectedColumn> = {
  startDate: { column: 'start_date', read: 'start_date::text' },
  endDate: { column: 'end_date', read: 'end_date::text' },
  extensionsUsed: { column: 'extensions_used' },
  extensionPeriodMonths: { column: 'extension_period_months' },
  maxExtensions: { column: 'max_extensions' },
  decisionNoticeMonths: { column: 'decision_notice_months' },
  decisionWindowMonths: { column: 'decision_window_months' },
  totalKr: { column: 'total_kr', read: 'total_kr::float8' },
  indexationBasisPoints: { column: 'indexation_basis_points' },
  partnerNames: { column: 'partner_names', read: 'partner_names' },
  committeeCostKr: { column: 'committee_cost_kr', read: 'committee_cost_kr::float8' },
  economicsFromYear: { column: 'economics_from_year' },
  yearlyTotalKr: { column: 'yearly_total_kr', read: 'yearly_total_kr::float8[]' },
  yearlyCommitteeCostKr: { column: 'yearly_committee_cost_kr', read: 'yearly_committee_cost_kr::float8[]' },
  nextDeadlineAt: { column: 'next_deadline_at', read: `to_char(next_deadline_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')` },
  nextDeadlineKind: { column: 'next_deadline_kind' },
  nextDeadlineDate: { column: 'next_deadline_date', read: 'next_deadline_date::text' },
};

/** The municipality's yearly contributions under the current terms; null without economics. */
function committeeCostOf(context: AgreementContext): number | null {
  const economics = context.terms.economics;
  if (!economics) return null;
  const municipality = new Set(context.terms.parties.filter((p) => p.kind === 'municipality').map((p) => p.organisationId));
  return economics.contributions.filter((c) => municipality.has(c.organisationId)).reduce((sum, c) => sum + c.amountKr, 0);
}

/**
 * The total and the municipality's part for every calendar year from the first terms version's year
 * to the end date, indexed as /economics computes them (each version from its own year): the
 * overview reads this year's element. Nulls without economics or dates.
 */
export function yearlyEconomicsOf(context: AgreementContext, endDate: string | null): Pick<AgreementRecord, 'economicsFromYear' | 'yearlyTotalKr' | 'yearlyCommitteeCostKr'> {
  const none = { economicsFromYear: null, yearlyTotalKr: null, yearlyCommitteeCostKr: null };
  const versions = economicsVersionsOf(context);
  if (versions.length === 0 || !endDate) return none;
  const first = Math.min(...versions.map((v) => v.effectiveFromYear));
  const last = yearOf(endDate);
  if (last < first) return none;
  const municipality = new Set(context.terms.parties.filter((p) => p.kind === 'municipality').map((p) => p.organisationId));
  let years;
  try {
    years = projectVersionedEconomics(versions, context.terms.parties, first, last);
  } catch {
    // Terms the validator would refuse (contributions not summing to the total) have no yearly figures.
    return none;
  }
  return {
    economicsFromYear: first,
    yearlyTotalKr: years.map((y) => y.totalKr),
    yearlyCommitteeCostKr: years.map((y) => y.perParty.filter((p) => municipality.has(p.organisationId)).reduce((sum, p) => sum + p.amountKr, 0)),
  };
}

/** The values of those columns for a snapshot. */
export function agreementProjection(persisted: PersistedAgreement, deadlines: readonly Deadline[]): Partial<AgreementRecord> {
  const { context } = persisted;
  const next = deadlines[0] ?? null;
  const extension = context.terms.extension;
  return {
    startDate: context.terms.validity.startDate,
    endDate: context.endDate ?? context.terms.validity.endDate,
    extensionsUsed: context.extensionsUsed,
    extensionPeriodMonths: extension?.periodMonths ?? null,
    maxExtensions: extension?.maxExtensions ?? null,
    decisionNoticeMonths: extension?.decisionNoticeMonths ?? null,
    decisionWindowMonths: extension?.decisionWindowMonths ?? null,
    totalKr: context.terms.economics?.totalKr ?? null,
    indexationBasisPoints: context.terms.economics?.indexationBasisPoints ?? 0,
    partnerNames: context.terms.parties.filter((p) => p.kind === 'civil_society').map((p) => p.name),
    committeeCostKr: committeeCostOf(context),
    ...yearlyEconomicsOf(context, context.endDate ?? context.terms.validity.endDate),
    nextDeadlineAt: next ? new Date(next.firesAt) : null,
    nextDeadlineKind: next?.kind ?? null,
    nextDeadlineDate: next?.dueDate ?? null,
  };
}

const REMINDER_WORDS: Record<ReminderKind, string> = {
  decision_upcoming: 'beslut om förlängning närmar sig',
  decision_overdue: 'beslut om förlängning försenat',
  new_agreement_needed: 'ny överenskommelse behövs',
  signature_missing: 'signatur saknas',
  meeting_upcoming: 'uppföljningsmöte närmar sig',
  meeting_overdue: 'uppföljningsmöte försenat',
  report_upcoming: 'årsrapport närmar sig',
  report_overdue: 'årsrapport försenad',
};

/** The IOP agreement as the engine runs it: its table, its projections, its rules' view, its reminder mail; every query through its repository. */
/**
 * Once the extension decision is overdue no deadline names it (nothing fires), but it is what the
 * secretariat must chase: shown as overdue on its due date until the parties decide.
 */
function overdueDecisionOf(persisted: PersistedAgreement): CaseDeadline[] {
  const state = stateCodeOf(persisted.value);
  const decision = persisted.context.decision;
  if (state !== 'extensionDecision.overdue' || !decision) return [];
  return [{ kind: 'decision_due', cycle: decision.cycle, dueDate: decision.dueDate, firesAt: startOfDayInstant(decision.dueDate), event: null, scheduledIn: state, overdue: true }];
}

/** What the agreement's notices need beyond its tables: the preferences and the addresses (AgreementsModule gives them). */
export type AgreementNoticeSettings = Omit<AgreementNoticeDeps, 'contacts'>;

export const agreementKind = (tables: AgreementRepository, notices?: AgreementNoticeSettings): CaseKind => ({
  definition: agreementDefinition,
  table: tables.table,
  pagePath: (id) => `/overenskommelser/${id}`,
  async summary(manager, id) {
    // Title and diarienummer are the agreement's own columns (edited with the terms), not yet in its snapshot.
    const row = await tables.titleOf(id, manager);
    return { title: row.title, reference: row.diarienummer };
  },
  columns: COLUMNS,
  project: (persisted, deadlines) => agreementProjection(persisted as PersistedAgreement, deadlines as Deadline[]),
  projectTables: (manager, id, next, previous) => tables.projectTerms(id, next as PersistedAgreement, previous as PersistedAgreement | null, manager),
  insert: (manager, values) => tables.insert(values, manager),
  // Who the rules let sign for a party: the firmatecknare the agreement names, read in the same statement.
  lockedExtras: [tables.lockedSignatoryIds],
  // The same rule as maySee: the offices see every agreement, members and signatories their organisation's.
  async casesVisibleTo(manager, who) {
    if (who.roles.some((r) => (ROLES_SEEING_ALL as readonly string[]).includes(r))) return 'all';
    if (!who.organisationId || !who.roles.some((r) => r === 'member' || r === 'signatory')) return [];
    return tables.idsVisibleTo(who.organisationId, manager);
  },
  extraDeadlines: (persisted) => overdueDecisionOf(persisted as PersistedAgreement),
  // A follow-up duty past its date reads as its label (the lists mark it Försenat); the decision in its own words.
  overdueWords: { decision_due: 'beslut om förlängning är försenat', follow_up_meeting: DEADLINE_LABELS.follow_up_meeting, yearly_report: DEADLINE_LABELS.yearly_report },
  ruledOf: (locked) => ruledAgreementOf(locked.context as AgreementContext, (locked.signatory_ids as string[] | undefined) ?? []),
  reminderWords: REMINDER_WORDS,
  // The notices at each step: outbox rows in the step's own transaction.
  ...(notices
    ? {
        notify: async (manager, step, now) => {
          await writeAgreementNotices(manager, step, { ...notices, contacts: (m, id, role) => tables.contactsInRole(id, role, m) }, now);
        },
      }
    : {}),
  async reminderMessages(manager, reminder, { secretariatEmail, publicBaseUrl, now }) {
    const context = await tables.contextOf(reminder.caseId, manager);
    const recipients = await recipientsFor((role) => tables.contactsInRole(reminder.caseId, role, manager), reminder.audience as ReminderAudience, context, secretariatEmail);
    return recipients.map((recipient) => ({
      email: recipient.email,
      name: recipient.name,
      ...reminderMail({
        kind: reminder.kind as ReminderKind,
        cycle: reminder.cycle,
        deadlineDate: reminder.deadlineDate,
        sendOn: calendarDateOf(reminder.sendAt.getTime()),
        agreement: { id: reminder.caseId, title: reminder.title, diarienummer: reminder.reference, context },
        recipientName: recipient.name,
        copy: recipient.copy,
        toSecretariat: recipient.email === secretariatEmail.toLowerCase(),
        publicBaseUrl,
        stamp: now,
      }),
    }));
  },
});

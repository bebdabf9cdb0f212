import type { EntityManager } from 'typeorm';
import type { StateValue } from 'xstate';
import { FINAL_STATE_CODES, type AgreementStateCode, type PersistedAgreement } from '@workflows/agreement/persistence';
import type { AgreementContext } from '@workflows/agreement/types';
import type { CalendarDate } from '@workflows/calendar/calendar';
import type { CaseKind } from '@app/cases/case-kind';
import { storedCases, type StoredCase } from '@app/cases/stored-cases';

export interface WatchedAgreement {
  id: string;
  title: string;
  diarienummer: string | null;
  state: AgreementStateCode;
  persisted: PersistedAgreement;
  /** Timers past due that no sweep has fired yet (e.g. an agreement busy at the time). */
  overdueTimers: Array<{ kind: string; dueDate: CalendarDate }>;
}

interface Row {
  id: string;
  title: string;
  diarienummer: string | null;
  state: AgreementStateCode;
  machine_version: number;
  state_value: StateValue;
  context: AgreementContext;
  overdue_timers: Array<{ kind: string; dueDate: CalendarDate }> | null;
}

export interface WatchFilter {
  /** Only agreements this organisation is a party to. */
  partyOrganisationId?: string;
  /** Only agreements with a deadline up to this date, or something overdue at `now` (the next_deadline_* columns make this cheap). */
  deadlineUpTo?: CalendarDate;
  now: Date;
}

/** Agreements that are not final, with what the deadline views need; the one place these reads live. */
export async function watchedAgreements(manager: EntityManager, filter: WatchFilter): Promise<WatchedAgreement[]> {
  const params: unknown[] = [FINAL_STATE_CODES, filter.now];
  const where = ['a.state <> ALL($1::text[])'];
  if (filter.partyOrganisationId) {
    params.push(filter.partyOrganisationId);
    where.push(`EXISTS (SELECT 1 FROM agreement_party p WHERE p.agreement_id = a.id AND p.organisation_id = $${params.length})`);
  }
  if (filter.deadlineUpTo) {
    params.push(filter.deadlineUpTo);
    where.push(`(a.next_deadline_date <= $${params.length} OR a.state = 'extensionDecision.overdue'
                 OR EXISTS (SELECT 1 FROM case_timer t WHERE t.case_id = a.id AND t.fired_at IS NULL AND t.due_at <= $2))`);
  }
  const rows = await manager.query<Row[]>(
    `SELECT a.id, a.title, a.diarienummer, a.state, a.machine_version, a.state_value, a.context,
            (SELECT json_agg(json_build_object('kind', t.kind, 'dueDate', to_char(t.due_date, 'YYYY-MM-DD')) ORDER BY t.due_at)
               FROM case_timer t WHERE t.case_id = a.id AND t.fired_at IS NULL AND t.due_at <= $2) AS overdue_timers
       FROM agreement a
      WHERE ${where.join(' AND ')}
      ORDER BY a.title, a.id`,
    params,
  );
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    diarienummer: r.diarienummer,
    state: r.state,
    persisted: { machineVersion: r.machine_version, value: r.state_value, context: r.context },
    overdueTimers: r.overdue_timers ?? [],
  }));
}

/**
 * Open cases of the given kinds (every kind but the agreement, whose reads are above), each with its
 * unfired timers and its snapshot, for the digest and the calendar. Knows no kind: each is read from
 * the table its module registered.
 */
export async function watchedCases(manager: EntityManager, kinds: readonly CaseKind[]): Promise<StoredCase[]> {
  const all: StoredCase[] = [];
  for (const kind of kinds) all.push(...(await storedCases(manager, kind, { openOnly: true })));
  return all;
}

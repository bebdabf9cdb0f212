import type { EntityManager } from 'typeorm';
import type { CaseDeadline } from '@workflows/kernel/kernel';
import type { CalendarDate } from '@workflows/calendar/calendar';
import type { CaseKind, CaseRef } from './case-kind';
import type { PersistedCase } from '@workflows/kernel/kernel';

type Query = Pick<EntityManager, 'query'>;

/** Bump when what is projected changes shape: the projector then writes every case again. */
export const DEADLINE_PROJECTION_VERSION = 1;

/** A case's deadline as the shared views read it, with case_record's names. */
export interface DatedDeadline {
  caseType: string;
  caseId: string;
  title: string;
  reference: string | null;
  state: string;
  kind: string;
  cycle: number;
  dueDate: CalendarDate;
  /** Marked overdue by the case's own definition. */
  overdue: boolean;
  /** Its timer's instant has passed and no sweep has fired it yet. */
  late: boolean;
}

/** What case_deadline holds for a case: its definition's deadlines and the kind's extra dates. */
export function projectedDeadlines(kind: CaseKind, persisted: PersistedCase<unknown>, deadlines: readonly CaseDeadline[]): CaseDeadline[] {
  return [...deadlines, ...(kind.extraDeadlines?.(persisted) ?? [])];
}

/** The deadlines as stored: the same list in the same order compares equal, so an unchanged list writes nothing. */
export const deadlineKey = (deadlines: readonly CaseDeadline[]): string =>
  JSON.stringify(deadlines.map((d) => [d.kind, d.cycle, d.dueDate, d.overdue]).sort((a, b) => (`${a[0]}:${a[1]}` < `${b[0]}:${b[1]}` ? -1 : 1)));

/** Replaces a case's deadline rows and marks it projected (the caller holds the case's lock). */
export function replaceDeadlines(manager: Query, ref: CaseRef, deadlines: readonly CaseDeadline[]): Promise<void> {
  return replaceDeadlinesOfMany(manager, [{ ref, deadlines }]);
}

/**
 * Replaces the deadline rows of cases and marks them projected, in one statement however many: the
 * engine's one case, or a batch of the projector's catch-up. Upserts and deletes the rest (a DELETE
 * and an INSERT of the same key in one statement would collide). The one file that writes
 * case_deadline; the caller holds the cases' locks.
 */
export async function replaceDeadlinesOfMany(manager: Query, cases: ReadonlyArray<{ ref: CaseRef; deadlines: readonly CaseDeadline[] }>): Promise<void> {
  if (cases.length === 0) return;
  // One row per (kind, cycle): a definition listing one twice keeps the first.
  const rows = cases.flatMap(({ ref, deadlines }) =>
    [...new Map(deadlines.map((d) => [`${d.kind}:${d.cycle}`, d])).values()].map((d) => ({
      case_id: ref.id,
      case_type: ref.type,
      kind: d.kind,
      cycle: d.cycle,
      due_date: d.dueDate,
      overdue: d.overdue,
    })),
  );
  await manager.query(
    `WITH next AS (SELECT * FROM jsonb_to_recordset($2::jsonb) AS d (case_id uuid, case_type text, kind text, cycle integer, due_date date, overdue boolean)),
          cleared AS (DELETE FROM case_deadline o WHERE o.case_id = ANY($1::uuid[])
                        AND NOT EXISTS (SELECT 1 FROM next n WHERE n.case_id = o.case_id AND n.kind = o.kind AND n.cycle = o.cycle)),
          marked AS (UPDATE case_record SET deadlines_version = $3 WHERE id = ANY($1::uuid[]) AND deadlines_version IS DISTINCT FROM $3)
     INSERT INTO case_deadline (case_id, case_type, kind, cycle, due_date, overdue)
     SELECT n.case_id, n.case_type, n.kind, n.cycle, n.due_date, n.overdue FROM next n
     ON CONFLICT (case_id, kind, cycle) DO UPDATE SET due_date = EXCLUDED.due_date, overdue = EXCLUDED.overdue`,
    [cases.map((c) => c.ref.id), JSON.stringify(rows), DEADLINE_PROJECTION_VERSION],
  );
}

/** Marks a case whose snapshot this version cannot read: not projected, and not tried again by this version. */
export async function markUnprojectable(manager: Query, ref: CaseRef): Promise<void> {
  await manager.query(`UPDATE case_record SET deadlines_version = 0 WHERE id = $1 AND deadlines_version IS NULL`, [ref.id]);
}

/** Up to `limit` cases not projected yet, of the kinds given, locked for projecting (others skip them). */
export async function unprojectedCases(manager: Query, types: readonly string[], limit: number): Promise<CaseRef[]> {
  const rows = await manager.query<Array<{ id: string; case_type: string }>>(
    `SELECT id, case_type FROM case_record WHERE deadlines_version IS NULL AND case_type = ANY($1::text[]) ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED`,
    [types, limit],
  );
  return rows.map((r) => ({ type: r.case_type, id: r.id }));
}

/**
 * Whether any case waits to be projected: one look at the partial index (empty when all are).
 * Ordered by id so the index is the cheaper plan even when the statistics still count the rows as
 * unprojected (after a bulk update, before autovacuum); a bare EXISTS then became a sequential scan.
 */
export async function anyUnprojected(manager: Query): Promise<boolean> {
  const rows = await manager.query<Array<{ id: string }>>(`SELECT id FROM case_record WHERE deadlines_version IS NULL ORDER BY id LIMIT 1`);
  return rows.length > 0;
}

export interface DeadlineRange {
  /** Due on or after this day (inclusive). */
  from: CalendarDate;
  /** Due on or before this day (inclusive). */
  to: CalendarDate;
  /** Also those marked overdue, and those whose timer is past `now` but not fired, whatever their date. */
  overdueAt?: Date;
  /** Only cases of these kinds, or with these ids; undefined: every case. */
  visible?: { types: readonly string[]; ids: readonly string[] };
  /** Only cases in this state or a state under it ('extensionDecision' takes 'extensionDecision.pending'). */
  state?: string;
  /** At most this many, earliest first. */
  limit: number;
}

type DeadlineRow = Omit<DatedDeadline, 'dueDate'> & { due_date: string };

const DEADLINE_COLUMNS = `d.case_type AS "caseType", d.case_id AS "caseId", c.title, c.reference, c.state, d.kind, d.cycle,
            to_char(d.due_date, 'YYYY-MM-DD') AS due_date, d.overdue`;

/** A timer of the same deadline whose instant has passed and that no sweep has fired (`$1`: the instant). */
const LATE = `EXISTS (SELECT 1 FROM case_timer t WHERE t.case_id = d.case_id AND t.kind = d.kind AND t.cycle = d.cycle AND t.fired_at IS NULL AND t.due_at <= $1)`;

/**
 * How many late timers (past due, not fired) the overdue read looks at, the oldest first. The sweeper
 * fires them within its interval, so more than a handful means it has stopped; /health/ready says so.
 */
const LATE_TIMERS_READ = 1000;

/**
 * Deadlines in a date range, earliest first, with their case's names, and (with `overdueAt`) every
 * overdue one whatever its date. Each read on its own index, never a scan of every case: the range
 * in case_deadline_due_idx order with its LIMIT; those marked overdue (case_deadline_overdue_idx);
 * and those whose timer is past `overdueAt` unfired (case_timer_due_idx, each probing its deadline
 * and case by key). The last two are the small sets; one OR over both once walked the whole due index
 * (54 ms at 100,000 cases), when the statistics counted many timers as late.
 */
export async function deadlinesIn(manager: Query, range: DeadlineRange): Promise<DatedDeadline[]> {
  const visible = `($2::text[] IS NULL OR d.case_type = ANY($2::text[]) OR d.case_id = ANY($3::uuid[]))
        AND ($4::text IS NULL OR c.state = $4 OR c.state LIKE $4 || '.%')`;
  const common = [range.visible?.types ?? null, range.visible?.ids ?? [], range.state || null];
  const inRange = await manager.query<DeadlineRow[]>(
    `SELECT ${DEADLINE_COLUMNS}, ($1::timestamptz IS NOT NULL AND ${LATE}) AS late
       FROM case_deadline d JOIN case_record c ON c.id = d.case_id
      WHERE d.due_date BETWEEN $5 AND $6 AND ${visible}
      ORDER BY d.due_date, d.case_id, d.kind, d.cycle
      LIMIT $7`,
    [range.overdueAt ?? null, ...common, range.from, range.to, range.limit],
  );
  if (!range.overdueAt) return inRange.slice(0, range.limit).map(({ due_date, ...r }) => ({ ...r, dueDate: due_date }));
  const outside = [range.overdueAt, ...common, range.from, range.to, range.limit];
  const marked = await manager.query<DeadlineRow[]>(
    `SELECT ${DEADLINE_COLUMNS}, ${LATE} AS late
       FROM case_deadline d JOIN case_record c ON c.id = d.case_id
      WHERE d.overdue AND (d.due_date < $5 OR d.due_date > $6) AND ${visible}
      ORDER BY d.due_date, d.case_id, d.kind, d.cycle
      LIMIT $7`,
    outside,
  );
  // The late timers in due order from their partial index, at most LATE_TIMERS_READ: PostgreSQL
  // rates "unfired and due" as if the two were unrelated (tens of thousands at 100,000 cases, where
  // the sweeper leaves none) and scanned every timer. The LIMIT in the lateral reads keeps them
  // probes by key, never a join that reads a whole table.
  const late = await manager.query<DeadlineRow[]>(
    `WITH t AS MATERIALIZED (SELECT case_id, kind, cycle FROM case_timer WHERE fired_at IS NULL AND due_at <= $1 ORDER BY due_at LIMIT ${LATE_TIMERS_READ})
     SELECT ${DEADLINE_COLUMNS}, true AS late
       FROM t
       CROSS JOIN LATERAL (SELECT * FROM case_deadline x WHERE x.case_id = t.case_id AND x.kind = t.kind AND x.cycle = t.cycle LIMIT 1) d
       CROSS JOIN LATERAL (SELECT * FROM case_record r WHERE r.id = d.case_id LIMIT 1) c
      WHERE (d.due_date < $5 OR d.due_date > $6) AND ${visible}
      ORDER BY d.due_date, d.case_id, d.kind, d.cycle
      LIMIT $7`,
    outside,
  );
  // Both sets, once each (a deadline can be marked and late), in the queries' order.
  const byKey = new Map([...marked, ...late].map((r) => [`${r.caseId} ${r.kind} ${r.cycle}`, r]));
  const text = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  const overdue = [...byKey.values()].sort((a, b) => text(a.due_date, b.due_date) || text(a.caseId, b.caseId) || text(a.kind, b.kind) || a.cycle - b.cycle);
  // Overdue first (they are what must be chased), then the range, to the limit.
  return [...overdue, ...inRange].slice(0, range.limit).map(({ due_date, ...r }) => ({ ...r, dueDate: due_date }));
}

/** The deadlines of these cases (a list page's), earliest first per case, in one query. */
export async function deadlinesOfCases(manager: Query, ids: readonly string[]): Promise<Map<string, Array<{ kind: string; cycle: number; dueDate: CalendarDate; overdue: boolean }>>> {
  const byCase = new Map<string, Array<{ kind: string; cycle: number; dueDate: CalendarDate; overdue: boolean }>>();
  if (ids.length === 0) return byCase;
  const rows = await manager.query<Array<{ case_id: string; kind: string; cycle: number; due_date: string; overdue: boolean }>>(
    `SELECT case_id, kind, cycle, to_char(due_date, 'YYYY-MM-DD') AS due_date, overdue FROM case_deadline WHERE case_id = ANY($1::uuid[]) ORDER BY case_id, due_date, kind`,
    [ids],
  );
  for (const r of rows) {
    const list = byCase.get(r.case_id) ?? [];
    list.push({ kind: r.kind, cycle: r.cycle, dueDate: r.due_date, overdue: r.overdue });
    byCase.set(r.case_id, list);
  }
  return byCase;
}


import { keysetRows, PAGE_SIZE, type Page, type PageRequest, type SortKey } from '@app/common/paging';
import type { EntityManager } from 'typeorm';
import type { CaseRef } from '@app/cases/case-kind';

/** The kinds of background work whose rows can fail: each has its own table and retry columns. */
export type IncidentSource = 'timer' | 'reminder' | 'outbox';

export interface IncidentReport {
  source: IncidentSource;
  /** The id of the failing row in its own table (case_timer, case_reminder, outbox_message). */
  rowId: string;
  /** The case the row is about, if any. */
  case: CaseRef | null;
  /** What the row was for, in Swedish (e.g. "Beslutsfrist för förlängning, Bromodellen"). */
  summary: string;
  error: string;
  attempts: number;
  /** Outbox only: the SMTP server may have accepted the message before the connection was lost. */
  possiblyDelivered?: boolean;
}

export interface IncidentRow {
  id: string;
  source: IncidentSource;
  row_id: string;
  case_type: string | null;
  case_id: string | null;
  summary: string;
  error: string;
  attempts: number;
  possibly_delivered: boolean;
  opened_at: Date;
  last_seen_at: Date;
  reported_at: Date | null;
  resolved_at: Date | null;
  resolved_by_person_id: string | null;
  resolution: IncidentResolution | null;
}

export type IncidentResolution = 'retried' | 'dismissed';

/** An incident with what the lists show next to it: the case's title and who resolved it. */
export interface IncidentListRow extends IncidentRow {
  opened_at_key: string;
  case_title: string | null;
  case_reference: string | null;
  resolved_by_name: string | null;
}

/**
 * The one file that writes the incident table. Opens an incident for a row, or refreshes the
 * open one (error, attempts, last seen): a row that keeps failing has one open incident.
 * Returns the incident's id and whether it was newly opened (so the caller reports it once).
 */
export async function recordIncident(manager: EntityManager, incident: IncidentReport, now: Date): Promise<{ id: string; opened: boolean }> {
  // The outbox sends its own failure report, so its incidents count as reported when opened.
  const rows = await manager.query<Array<{ id: string; opened: boolean }>>(
    `INSERT INTO incident (source, row_id, case_id, summary, error, attempts, possibly_delivered, opened_at, last_seen_at, reported_at, case_type)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, CASE WHEN $1 = 'outbox' THEN $8::timestamptz END, $9)
     ON CONFLICT (source, row_id) WHERE resolved_at IS NULL
     DO UPDATE SET error = EXCLUDED.error, attempts = EXCLUDED.attempts, last_seen_at = EXCLUDED.last_seen_at,
                   possibly_delivered = incident.possibly_delivered OR EXCLUDED.possibly_delivered
     RETURNING id, (xmax = 0) AS opened`,
    [incident.source, incident.rowId, incident.case?.id ?? null, incident.summary, incident.error, incident.attempts, incident.possiblyDelivered ?? false, now, incident.case?.type ?? null],
  );
  return rows[0];
}

/** Open incidents (for /health, /metrics and the digest). */
export async function openIncidentCount(manager: Pick<EntityManager, 'query'>): Promise<number> {
  const rows = await manager.query<Array<{ n: string }>>(`SELECT count(*) AS n FROM incident WHERE resolved_at IS NULL`);
  return Number(rows[0].n);
}

/** The report e-mail for this incident is in the outbox. */
export async function markReported(manager: Pick<EntityManager, 'query'>, id: string, now: Date): Promise<void> {
  await manager.query(`UPDATE incident SET reported_at = $2 WHERE id = $1 AND reported_at IS NULL`, [id, now]);
}

const LIST_SELECT = `SELECT i.*, i.opened_at::text AS opened_at_key, c.title AS case_title, c.reference AS case_reference, p.name AS resolved_by_name
   FROM incident i LEFT JOIN case_record c ON c.id = i.case_id LEFT JOIN person p ON p.id = i.resolved_by_person_id`;

/** Open incidents first (newest first), then the resolved ones, newest first; the id breaks ties. */
const INCIDENT_ORDER: SortKey<IncidentListRow>[] = [
  { sql: '(CASE WHEN i.resolved_at IS NULL THEN 1 ELSE 0 END)', value: (i) => (i.resolved_at === null ? 1 : 0), descending: true },
  // As text, so the cursor keeps PostgreSQL's microseconds.
  { sql: 'i.opened_at', value: (i) => i.opened_at_key, descending: true },
  { sql: 'i.id', value: (i) => String(i.id), descending: true },
];

export async function listIncidents(manager: Pick<EntityManager, 'query'>, options: { openOnly?: boolean; page?: PageRequest } = {}): Promise<Page<IncidentListRow>> {
  const page = options.page ?? { limit: PAGE_SIZE.max, after: null };
  return keysetRows(INCIDENT_ORDER, page, 2, (keyset) =>
    manager.query<IncidentListRow[]>(
      `${LIST_SELECT} WHERE ${options.openOnly ? 'i.resolved_at IS NULL' : 'TRUE'} AND ${keyset.where}
        ORDER BY ${keyset.orderBy} LIMIT $1`,
      [keyset.limit, ...keyset.params],
    ),
  );
}

export async function countOpenIncidents(manager: Pick<EntityManager, 'query'>): Promise<number> {
  const [row] = await manager.query<Array<{ open: number }>>(`SELECT count(*)::int AS open FROM incident WHERE resolved_at IS NULL`);
  return row.open;
}

/** One incident, locked for resolving; undefined when there is none with this id. */
export async function lockIncident(manager: Pick<EntityManager, 'query'>, id: string): Promise<IncidentRow | undefined> {
  const rows = await manager.query<IncidentRow[]>(`SELECT * FROM incident WHERE id = $1 FOR UPDATE`, [id]);
  return rows[0];
}

export async function resolveIncident(manager: Pick<EntityManager, 'query'>, id: string, resolution: IncidentResolution, personId: string | null, now: Date): Promise<void> {
  await manager.query(`UPDATE incident SET resolved_at = $2, resolution = $3, resolved_by_person_id = $4 WHERE id = $1`, [id, now, resolution, personId]);
}

export async function findIncident(manager: Pick<EntityManager, 'query'>, id: string): Promise<IncidentListRow | undefined> {
  const rows = await manager.query<IncidentListRow[]>(`${LIST_SELECT} WHERE i.id = $1`, [id]);
  return rows[0];
}

/** The open incidents, oldest first, at most `limit` (incident_unresolved_idx read backwards). */
export async function openIncidentsOldestFirst(manager: Pick<EntityManager, 'query'>, limit: number): Promise<IncidentListRow[]> {
  return manager.query<IncidentListRow[]>(`${LIST_SELECT} WHERE i.resolved_at IS NULL ORDER BY i.opened_at, i.id LIMIT $1`, [limit]);
}

/** How many incidents are open, counted to at most `cap`. */
export async function countOpenIncidentsTo(manager: Pick<EntityManager, 'query'>, cap: number): Promise<number> {
  const [row] = await manager.query<Array<{ n: number }>>(`SELECT count(*)::int AS n FROM (SELECT 1 FROM incident WHERE resolved_at IS NULL LIMIT $1) i`, [cap]);
  return row.n;
}

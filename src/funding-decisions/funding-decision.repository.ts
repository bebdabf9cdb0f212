import { keysetRows, type Page, type PageRequest, type SortKey } from '@app/common/paging';
import type { EntityManager } from 'typeorm';
import type { FundingDecisionContext } from '@workflows/funding-decision/types';
import type { ProjectedColumn } from '@app/cases/case-kind';

type Query = Pick<EntityManager, 'query'>;

/** The table's copies of the snapshot that its lists filter and sort on. */
export const FUNDING_COLUMNS: Record<string, ProjectedColumn> = {
  committee: { column: 'committee' },
  amountKr: { column: 'amount_kr', read: 'amount_kr::float8' },
  periodStart: { column: 'period_start', read: 'period_start::text' },
  periodEnd: { column: 'period_end', read: 'period_end::text' },
  nextDeadlineDate: { column: 'next_deadline_date', read: 'next_deadline_date::text' },
};


/** Columns every insert names: the standard case columns and the projections. */
const INSERTED: Record<string, { column: string; json?: boolean }> = {
  id: { column: 'id' },
  machineVersion: { column: 'machine_version' },
  stateValue: { column: 'state_value', json: true },
  context: { column: 'context', json: true },
  state: { column: 'state' },
  rowVersion: { column: 'row_version' },
  ...FUNDING_COLUMNS,
};

/** The one file that queries funding_decision (the engine writes its snapshot columns through the kind). */
export async function insertFundingDecision(manager: Query, values: Record<string, unknown>): Promise<void> {
  const entries = Object.entries(INSERTED);
  await manager.query(
    `INSERT INTO funding_decision (${entries.map(([, c]) => c.column).join(', ')}) VALUES (${entries.map(([, c], i) => `$${i + 1}${c.json ? '::jsonb' : ''}`).join(', ')})`,
    entries.map(([property, c]) => (c.json ? JSON.stringify(values[property]) : values[property] ?? null)),
  );
}

export interface FundingDecisionRow {
  id: string;
  machine_version: number;
  state_value: unknown;
  context: FundingDecisionContext;
  state: string;
  row_version: number;
}

const SELECT = `SELECT id, machine_version, state_value, context, state, row_version FROM funding_decision`;

export async function findFundingDecision(manager: Query, id: string): Promise<FundingDecisionRow | undefined> {
  const rows = await manager.query<FundingDecisionRow[]>(`${SELECT} WHERE id = $1`, [id]);
  return rows[0];
}

export async function contextOf(manager: Query, id: string): Promise<FundingDecisionContext> {
  const row = await findFundingDecision(manager, id);
  if (!row) throw new Error(`Beslutet om medel ${id} finns inte`);
  return row.context;
}

/** Newest first, at most 200; the state filter runs in SQL. */
/** Newest first; created_at as text keeps PostgreSQL's microseconds in the cursor. */
const LIST_ORDER: SortKey<FundingDecisionRow & { created_key: string }>[] = [
  { sql: 'created_at', value: (r) => r.created_key, descending: true },
  { sql: 'id', value: (r) => r.id },
];

/**
 * `namedFor` narrows the list in SQL to the cases a person outside the secretariat may see (they
 * are a responsible official, or of the partner), so their pages are full pages.
 */
export async function listFundingDecisions(
  manager: Query,
  filter: { state?: string; namedFor?: { personId: string | null; organisationId: string | null } },
  page: PageRequest,
): Promise<Page<FundingDecisionRow>> {
  return keysetRows(LIST_ORDER, page, 6, (keyset) =>
    manager.query<Array<FundingDecisionRow & { created_key: string }>>(
    `SELECT id, machine_version, state_value, context, state, row_version, created_at::text AS created_key FROM funding_decision
      WHERE ($1::text IS NULL OR state = $1)
        AND (NOT $3 OR context->'proposal'->'partner'->>'organisationId' = $4
             OR context->'proposal'->'officials' @> jsonb_build_array(jsonb_build_object('personId', $5::text)))
        AND ${keyset.where}
      ORDER BY ${keyset.orderBy} LIMIT $2`,
      [filter.state ?? null, keyset.limit, filter.namedFor !== undefined, filter.namedFor?.organisationId ?? null, filter.namedFor?.personId ?? null, ...keyset.params],
    ),
  );
}

/** The cases a person is named in: as a responsible official, or (organisationId) of the partner. */
export async function idsNamedFor(manager: Query, who: { personId: string | null; organisationId: string | null }): Promise<string[]> {
  const rows = await manager.query<Array<{ id: string }>>(
    `SELECT id FROM funding_decision
      WHERE context->'proposal'->'partner'->>'organisationId' = $1
         OR context->'proposal'->'officials' @> jsonb_build_array(jsonb_build_object('personId', $2::text))`,
    [who.organisationId, who.personId],
  );
  return rows.map((r) => r.id);
}

export async function countFundingDecisions(manager: Query, filter: { state?: string }): Promise<number> {
  const [row] = await manager.query<Array<{ n: number }>>(`SELECT count(*)::int AS n FROM funding_decision WHERE ($1::text IS NULL OR state = $1)`, [filter.state ?? null]);
  return row.n;
}

/** Decisions not yet closed whose agenda or a follow-up is at the meeting. */
export async function casesAtMeeting(manager: EntityManager, meetingId: string): Promise<string[]> {
  const rows = await manager.query<Array<{ id: string }>>(
    `SELECT id FROM funding_decision
      WHERE state NOT IN ('withdrawn', 'closed', 'refused')
        AND (context->'agenda'->>'meetingId' = $1
             OR context->'proposal'->'followUps' @> jsonb_build_array(jsonb_build_object('meeting', jsonb_build_object('meetingId', $1::text))))
      ORDER BY id`,
    [meetingId],
  );
  return rows.map((r) => r.id);
}

/** The responsible officials who have an account and an address. */
export async function officialAddresses(manager: Query, context: FundingDecisionContext): Promise<Array<{ email: string; name: string }>> {
  const ids = context.proposal.officials.map((o) => o.personId).filter((id): id is string => !!id);
  if (ids.length === 0) return [];
  const rows = await manager.query<Array<{ email: string; name: string }>>(`SELECT lower(email) AS email, name FROM person WHERE id = ANY($1::uuid[]) ORDER BY email`, [ids]);
  return rows;
}

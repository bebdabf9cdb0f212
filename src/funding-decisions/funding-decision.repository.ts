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
export async function listFundingDecisions(manager: Query, filter: { state?: string }): Promise<FundingDecisionRow[]> {
  return manager.query<FundingDecisionRow[]>(`${SELECT} WHERE ($1::text IS NULL OR state = $1) ORDER BY created_at DESC, id LIMIT 200`, [filter.state ?? null]);
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

import type { EntityManager } from 'typeorm';
import type { AnyStateMachine, StateValue } from 'xstate';
import { stateCode, type CaseDefinition, type PersistedCase } from '@workflows/kernel/kernel';
import type { CaseKind } from './case-kind';

type Query = Pick<EntityManager, 'query'>;

/** A stored case of any kind as the shared views read it: case_record's names, the snapshot, and the case as its rules see it. */
export interface StoredCase {
  type: string;
  id: string;
  title: string;
  reference: string | null;
  state: string;
  persisted: PersistedCase<unknown>;
  ruled: unknown;
  /** Its timers the sweeper has not fired yet, earliest first. */
  unfiredTimers: Array<{ kind: string; cycle: number; dueDate: string; dueAt: string }>;
}

interface Row {
  id: string;
  title: string;
  reference: string | null;
  state: string;
  machine_version: number;
  state_value: StateValue;
  context: unknown;
  unfired_timers: StoredCase['unfiredTimers'] | null;
  [extra: string]: unknown;
}

/** The state codes of the machine's final states (xstate `type: 'final'`), in the kind's own codes. */
export function finalStateCodes(definition: CaseDefinition<AnyStateMachine>): string[] {
  const codeOf = definition.stateCode ?? stateCode;
  const codes: string[] = [];
  const walk = (node: { type: string; path: string[]; states: Record<string, unknown> }): void => {
    if (node.type === 'final' && node.path.length > 0) {
      const value = node.path.slice(0, -1).reduceRight<StateValue>((inner, key) => ({ [key]: inner }), node.path[node.path.length - 1]);
      codes.push(codeOf(value));
    }
    for (const child of Object.values(node.states)) walk(child as typeof node);
  };
  walk(definition.machine.root);
  return codes;
}

/**
 * Cases of one kind read from its table (the standard columns and the kind's extras for its rules),
 * joined with case_record and their unfired timers. Read only: the kind's module and the engine write them.
 * `ids` narrows to those cases; `openOnly` leaves out cases in a final state.
 */
export async function storedCases(manager: Query, kind: CaseKind, filter: { ids?: readonly string[]; openOnly?: boolean }): Promise<StoredCase[]> {
  const type = kind.definition.type;
  const params: unknown[] = [type];
  const where = ['c.case_type = $1'];
  if (filter.ids) {
    params.push(filter.ids);
    where.push(`k.id = ANY($${params.length}::uuid[])`);
  }
  if (filter.openOnly) {
    params.push(finalStateCodes(kind.definition));
    where.push(`c.state <> ALL($${params.length}::text[])`);
  }
  const extras = (kind.lockedExtras ?? []).map((e) => `, ${e}`).join('');
  // The table name comes from the registered kind (code), never from a request.
  const rows = await manager.query<Row[]>(
    `SELECT k.id, c.title, c.reference, c.state, k.machine_version, k.state_value, k.context${extras},
            (SELECT json_agg(json_build_object('kind', t.kind, 'cycle', t.cycle, 'dueDate', to_char(t.due_date, 'YYYY-MM-DD'), 'dueAt', t.due_at) ORDER BY t.due_at, t.id)
               FROM case_timer t WHERE t.case_type = c.case_type AND t.case_id = k.id AND t.fired_at IS NULL) AS unfired_timers
       FROM ${kind.table} k JOIN case_record c ON c.id = k.id
      WHERE ${where.join(' AND ')}
      ORDER BY c.title, k.id`,
    params,
  );
  return rows.map((r) => ({
    type,
    id: r.id,
    title: r.title,
    reference: r.reference,
    state: r.state,
    persisted: { machineVersion: r.machine_version, value: r.state_value, context: r.context },
    ruled: kind.ruledOf(r),
    unfiredTimers: (r.unfired_timers ?? []).map((t) => ({ ...t, dueAt: new Date(t.dueAt).toISOString() })),
  }));
}

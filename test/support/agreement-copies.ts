// Many agreements in little time: one signed through the API, the rest copied with SQL, hash chains kept valid.
// Shared by the multi-instance tests and the timer benchmark.
import { Client } from 'pg';
import type { StartedApp } from '@app/bootstrap';
import { GENESIS_HASH, canonicalJson, hashOf } from '@app/audit/audit-chain';
import type { AuditEvent } from '@app/audit/audit-event.entity';
import { chainedFieldsOf } from '@app/audit/audit.service';
import { DataSource } from 'typeorm';
import { AuditService } from '@app/audit/audit.service';
import { bromodellenBody, createBromodellenParties, sendEvent } from './factories';
import { clientsOf, type TestClients } from './test-app';

export interface SignedTemplate {
  id: string;
  /** The installation's administrator, who may read every agreement's history. */
  administratorId: string;
  /** Row version of the signed agreement (a START_DATE_REACHED must raise it by exactly one). */
  rowVersion: number;
  /** Audit rows of the template, in order (they are copied with the chain recomputed). */
  history: AuditEvent[];
  /** The template's one unfired timer (START_DATE_REACHED). */
  timer: { kind: string; cycle: number; dueDate: string; dueAt: Date; eventType: string; scheduledInState: string };
}

/**
 * Bromodellen created and signed by all three parties through HTTP on an in-process app whose
 * clock is frozen before the start date: state 'signed', one unfired START_DATE_REACHED timer.
 * The app must trust the x-person-id header (TRUST_ACTOR_HEADER=on).
 */
export async function createSignedTemplate(started: StartedApp, validity?: { startDate: string; endDate: string }, given?: TestClients): Promise<SignedTemplate> {
  // An app started by startTestApp already has its administrator: its clients are passed in.
  const clients = given ?? (await clientsOf(started));
  const p = await createBromodellenParties(clients);
  const body = bromodellenBody(p, validity ? { validity } : {});
  const id = (await clients.as(p.bildaSignatory.id).post('/agreements').send(body).expect(201)).body.id as string;
  const events = [{ type: 'ACCEPT_INITIATIVE' }, { type: 'SEND_FOR_SIGNING' }, ...[p.kommun, p.bilda, p.erikshjalpen].map((o) => ({ type: 'SIGN', organisationId: o.id }))];
  for (const event of events) await sendEvent(clients, p, id, event).expect(200);
  const ds = started.app.get(DataSource);
  const [row] = await ds.query<Array<{ state: string; row_version: number }>>(`SELECT state, row_version FROM agreement WHERE id = $1`, [id]);
  if (row.state !== 'signed') throw new Error(`Mallen är ${row.state}, inte signed`);
  const timers = await ds.query<Array<{ kind: string; cycle: number; due_date: string; due_at: Date; event_type: string; scheduled_in_state: string }>>(
    `SELECT kind, cycle, due_date::text AS due_date, due_at, event_type, scheduled_in_state FROM case_timer WHERE case_id = $1 AND fired_at IS NULL`,
    [id],
  );
  if (timers.length !== 1 || timers[0].event_type !== 'START_DATE_REACHED') throw new Error(`Mallen väntar på ${JSON.stringify(timers)}, inte bara START_DATE_REACHED`);
  const t = timers[0];
  const history = await started.app.get(AuditService).history(id);
  return {
    id,
    administratorId: clients.administratorId,
    rowVersion: row.row_version,
    history,
    timer: { kind: t.kind, cycle: t.cycle, dueDate: t.due_date, dueAt: new Date(t.due_at), eventType: t.event_type, scheduledInState: t.scheduled_in_state },
  };
}

async function columnsOf(db: Client, table: string): Promise<string[]> {
  const { rows } = await db.query<{ column_name: string }>(
    `SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position`,
    [table],
  );
  return rows.map((r) => r.column_name);
}

const ID_MARK = '@@AGREEMENT_ID@@';
const PREV_MARK = '@@PREV_HASH@@';

/**
 * The canonical JSON that src/audit/audit-chain.ts hashes, for one template audit row, split
 * around the agreement id and the previous hash: PostgreSQL then computes each copy's hash as
 * sha256(a || id || b || prev || c). Checked against hashOf() for the template itself. The read
 * benchmark's copies use it too.
 */
export function hashPieces(row: AuditEvent): [string, string, string] {
  if (JSON.stringify(row.payload).includes(row.caseId)) throw new Error('Mallens granskningsrad nämner dess id; kopiorna skulle bli fel');
  const idKey = row.chainVersion === 1 ? 'agreementId' : 'caseId';
  const json = canonicalJson({ ...chainedFieldsOf(row), [idKey]: ID_MARK, prevHash: PREV_MARK });
  const idToken = JSON.stringify(ID_MARK);
  const prevToken = JSON.stringify(PREV_MARK);
  const i = json.indexOf(idToken);
  const j = json.indexOf(prevToken);
  if (i < 0 || j < i || json.indexOf(idToken, i + 1) >= 0 || json.indexOf(prevToken, j + 1) >= 0) throw new Error('Kunde inte dela granskningsradens JSON');
  const pieces: [string, string, string] = [`${json.slice(0, i)}"`, `"${json.slice(i + idToken.length, j)}"`, `"${json.slice(j + prevToken.length)}`];
  if (pieces[0] + row.caseId + pieces[1] + row.prevHash + pieces[2] !== canonicalJson(chainedFieldsOf(row))) throw new Error('Delningen av granskningsradens JSON stämmer inte');
  return pieces;
}

export interface CloneOptions {
  /** How many copies. */
  count: number;
  /**
   * SQL for each copy's START_DATE_REACHED due_at, over `n.i` (1-based ordinal of the copy in this
   * call) and `d.due` (the template timer's due_at); null: copies get no timer (the caller inserts them).
   */
  timerDueAtSql: string | null;
  /** Copies per statement; default 20,000. */
  batch?: number;
  onProgress?: (done: number) => void;
}

/**
 * Copies a signed template `count` times with SQL only: agreement row (own id in the snapshot
 * context), parties, cost lines, members, reminders if any, the timer (see timerDueAtSql) and the
 * audit rows with each copy's hash chain computed by PostgreSQL. Returns the new ids in ordinal order.
 */
export async function cloneSignedAgreements(dbUrl: string, template: SignedTemplate, options: CloneOptions): Promise<string[]> {
  const db = new Client({ connectionString: dbUrl, application_name: 'timers-bench-clone' });
  await db.connect();
  const ids: string[] = [];
  try {
    const agreementCols = await columnsOf(db, 'agreement');
    const agreementSql = `INSERT INTO agreement (${agreementCols.map((c) => `"${c}"`).join(', ')})
      SELECT ${agreementCols
        .map((c) =>
          c === 'id' ? 'n.id' : c === 'context' ? `jsonb_set(a.context, '{agreementId}', to_jsonb(n.id::text))` : c === 'created_at' || c === 'updated_at' ? 'now()' : `a."${c}"`,
        )
        .join(', ')}
      FROM agreement a CROSS JOIN clone_ids n WHERE a.id = $1`;
    const recordSql = `INSERT INTO case_record (id, case_type, title, reference, state, created_at, updated_at)
      SELECT n.id, r.case_type, r.title, r.reference, r.state, now(), now() FROM case_record r CROSS JOIN clone_ids n WHERE r.id = $1`;
    const childSql: string[] = [];
    for (const table of ['agreement_party', 'agreement_cost_line', 'agreement_member', 'case_reminder']) {
      const cols = (await columnsOf(db, table)).filter((c) => c !== 'id');
      if (cols.length === 0) continue;
      const key = cols.includes('case_id') ? 'case_id' : 'agreement_id';
      childSql.push(`INSERT INTO ${table} (${cols.map((c) => `"${c}"`).join(', ')})
        SELECT ${cols.map((c) => (c === key ? 'n.id' : `t."${c}"`)).join(', ')}
        FROM ${table} t CROSS JOIN clone_ids n WHERE t.${key} = $1`);
    }
    // The timer comes from the template's in-memory copy: the template row itself may have moved on.
    const timerSql =
      options.timerDueAtSql === null
        ? null
        : `INSERT INTO case_timer (case_id, case_type, kind, cycle, due_date, due_at, event_type, scheduled_in_state)
           SELECT n.id, 'agreement', $1, $2::int, $3::date, ${options.timerDueAtSql}, $5, $6
           FROM clone_ids n CROSS JOIN (SELECT $4::timestamptz AS due) d`;
    const auditCols = (await columnsOf(db, 'audit_event')).filter((c) => c !== 'id');
    const auditSql = (seq: number): string => {
      const prev = seq === 1 ? `'${GENESIS_HASH}'` : 'p.hash';
      const computed: Record<string, string> = {
        case_id: 'n.id',
        prev_hash: prev,
        hash: `encode(sha256(convert_to($2 || n.id::text || $3 || ${prev} || $4, 'UTF8')), 'hex')`,
      };
      return `INSERT INTO audit_event (${auditCols.map((c) => `"${c}"`).join(', ')})
        SELECT ${auditCols.map((c) => computed[c] ?? `e."${c}"`).join(', ')}
        FROM clone_ids n
        JOIN audit_event e ON e.case_id = $1 AND e.seq = ${seq}
        ${seq === 1 ? '' : `JOIN audit_event p ON p.case_id = n.id AND p.seq = ${seq - 1}`}
        ORDER BY n.i`;
    };
    // The history's head on case_record, as the engine's append moves it (schemas from before it have none).
    const headOnRecord = (await columnsOf(db, 'case_record')).includes('audit_event_count');
    const headSql = `UPDATE case_record c SET audit_event_count = e.seq, audit_last_hash = e.hash, audit_updated_at = e.occurred_at
      FROM clone_ids n JOIN audit_event e ON e.case_id = n.id AND e.seq = $1 WHERE c.id = n.id`;
    const pieces = template.history.map(hashPieces);
    template.history.forEach((row, i) => {
      if (row.seq !== i + 1) throw new Error('Mallens historik har luckor');
    });

    await db.query(`CREATE TEMP TABLE clone_ids (i int PRIMARY KEY, id uuid NOT NULL)`);
    const batch = options.batch ?? 20_000;
    for (let start = 0; start < options.count; start += batch) {
      const size = Math.min(batch, options.count - start);
      await db.query('BEGIN');
      await db.query('TRUNCATE clone_ids');
      const { rows } = await db.query<{ id: string }>(`INSERT INTO clone_ids (i, id) SELECT g, gen_random_uuid() FROM generate_series($1::int, $2::int) g RETURNING id`, [
        start + 1,
        start + size,
      ]);
      // RETURNING order follows generate_series for a plain INSERT … SELECT; read back by ordinal to be sure.
      if (rows.length !== size) throw new Error('clone_ids');
      const ordered = await db.query<{ id: string }>(`SELECT id FROM clone_ids ORDER BY i`);
      for (const r of ordered.rows) ids.push(r.id);
      await db.query(recordSql, [template.id]);
      await db.query(agreementSql, [template.id]);
      for (const sql of childSql) await db.query(sql, [template.id]);
      if (timerSql) {
        const { kind, cycle, dueDate, dueAt, eventType, scheduledInState } = template.timer;
        await db.query(timerSql, [kind, cycle, dueDate, dueAt, eventType, scheduledInState]);
      }
      for (let seq = 1; seq <= template.history.length; seq++) {
        const [a, b, c] = pieces[seq - 1];
        await db.query(auditSql(seq), [template.id, a, b, c]);
      }
      if (headOnRecord) await db.query(headSql, [template.history.length]);
      await db.query('COMMIT');
      options.onProgress?.(start + size);
    }
    await db.query('DROP TABLE clone_ids');
    await db.query('ANALYZE agreement; ANALYZE case_timer; ANALYZE audit_event');
  } catch (error) {
    await db.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await db.end();
  }
  return ids;
}

/** Recomputes the hash chains of some agreements in JS (AuditService.verify reads every row). */
export async function verifyChains(dbUrl: string, agreementIds: string[]): Promise<{ checked: number; broken: string[] }> {
  const db = new Client({ connectionString: dbUrl });
  await db.connect();
  try {
    const { rows } = await db.query<{
      case_type: string;
      case_id: string;
      chain_version: number;
      seq: number;
      occurred_at: Date;
      actor_person_id: string | null;
      actor_name: string;
      actor_role: string;
      actor_organisation_id: string | null;
      actor_organisation_name: string | null;
      event_type: string;
      payload: unknown;
      from_state: string;
      to_state: string;
      reason: string | null;
      outcome: string;
      prev_hash: string;
      hash: string;
    }>(`SELECT * FROM audit_event WHERE case_id = ANY($1::uuid[]) ORDER BY case_id, seq`, [agreementIds]);
    const broken = new Set<string>();
    let current = '';
    let prev = GENESIS_HASH;
    let seq = 1;
    for (const r of rows) {
      if (r.case_id !== current) {
        current = r.case_id;
        prev = GENESIS_HASH;
        seq = 1;
      }
      const named = r.chain_version === 1 ? { agreementId: r.case_id } : { caseType: r.case_type, caseId: r.case_id };
      const hash = hashOf({
        ...named,
        seq: r.seq,
        occurredAt: r.occurred_at.toISOString(),
        actorPersonId: r.actor_person_id,
        actorName: r.actor_name,
        actorRole: r.actor_role,
        actorOrganisationId: r.actor_organisation_id,
        actorOrganisationName: r.actor_organisation_name,
        eventType: r.event_type,
        payload: r.payload,
        fromState: r.from_state,
        toState: r.to_state,
        reason: r.reason,
        outcome: r.outcome,
        prevHash: r.prev_hash,
      });
      if (r.seq !== seq || r.prev_hash !== prev || r.hash !== hash) broken.add(r.case_id);
      prev = r.hash;
      seq += 1;
    }
    return { checked: new Set(rows.map((r) => r.case_id)).size, broken: [...broken] };
  } finally {
    await db.end();
  }
}

import { keysetRows, type Page, type PageRequest } from '@app/common/paging';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Query } from 'pg';
import { DataSource, type EntityManager } from 'typeorm';
import type { Actor } from './actor';
import { AuditEvent, type AuditOutcome } from './audit-event.entity';
import { CHAIN_VERSION, GENESIS_HASH, hashOf, type ChainedFields } from './audit-chain';
import type { CaseRef } from '@app/cases/case-kind';
import { AppConfig } from '@app/config/app-config';

export interface AuditEntry {
  case: CaseRef;
  occurredAt: Date;
  actor: Actor;
  eventType: string;
  payload: Record<string, unknown>;
  fromState: string;
  toState: string;
  reason: string | null;
  outcome: AuditOutcome;
}

export interface ChainBreak {
  /** The case's id (of any kind; the name is the report's from before there were other kinds). */
  agreementId: string;
  caseType: string;
  seq: number;
  auditEventId: string;
  problem: 'hash_mismatch' | 'broken_link' | 'gap_in_sequence';
}

export interface VerificationReport {
  verifiedAt: string;
  agreementsChecked: number;
  eventsChecked: number;
  intact: boolean;
  /** The first altered row of each broken chain. */
  breaks: ChainBreak[];
}

/** The chain's head as case_record holds it (count 0 and no hash before the first row). */
export interface RecordedHead {
  count: number;
  lastHash: string | null;
}

/** What the engine keeps of a case on case_record, written with the history's row. */
export interface CaseSummaryColumns {
  title: string;
  reference: string | null;
  state: string;
}

/** A case's chain as last written: how many events and the hash of the last one. */
export interface ChainHead {
  /** The case's id (checkpoints signed before other kinds existed name it so). */
  agreementId: string;
  /** Absent in checkpoints (they sign id, count and hash; ids are unique across kinds). */
  caseType?: string;
  count: number;
  lastHash: string;
}

/**
 * One chain as the streamed check left it: never its rows, only what the comparisons with the
 * heads and the checkpoint need. Rows are added in seq order, one case at a time.
 */
export class ChainCheck {
  /** Rows read. */
  rows = 0;
  /**
   * The chain's length by position: the highest seq from 1 to the table's row count (the bound keeps
   * a tampered seq from counting as a long chain, as when every hash was kept by position).
   */
  length = 0;
  /** The first altered row, if any; the rest of the chain is then only counted. */
  break: ChainBreak | null = null;
  private readonly wanted = new Map<number, string | undefined>();
  private expectedPrev = GENESIS_HASH;
  private expectedSeq = 1;

  /** `positions`: the seqs whose hash is wanted afterwards (the counts of the chain's heads). */
  constructor(
    readonly caseId: string,
    readonly caseType: string,
    private readonly tableRows: number,
    positions: Iterable<number> = [],
  ) {
    for (const position of positions) this.wanted.set(position, undefined);
  }

  add(row: AuditEvent): void {
    this.rows += 1;
    if (row.seq >= 1 && row.seq <= this.tableRows) {
      if (row.seq > this.length) this.length = row.seq;
      if (this.wanted.has(row.seq)) this.wanted.set(row.seq, row.hash);
    }
    if (this.break !== null) return;
    const problem: ChainBreak['problem'] | null =
      row.seq !== this.expectedSeq
        ? 'gap_in_sequence'
        : row.prevHash !== this.expectedPrev
          ? 'broken_link'
          : hashOf(chainedFieldsOf(row)) !== row.hash
            ? 'hash_mismatch'
            : null;
    if (problem) {
      this.break = { agreementId: row.caseId, caseType: row.caseType, seq: row.seq, auditEventId: row.id, problem };
      return;
    }
    this.expectedPrev = row.hash;
    this.expectedSeq += 1;
  }

  /** The hash of the row at `seq` (one of the positions asked for), if the chain has it. */
  hashAt(seq: number): string | undefined {
    return this.wanted.get(seq);
  }
}

/** A row as the verifier reads it: the first of a chain (seq 1) with the chain's recorded head (else, or when there is none, null). */
export interface AuditEventWithHead extends AuditEvent {
  headCaseType: string | null;
  headCount: number | null;
  headHash: string | null;
}

/** The driver's handle on the transaction's connection, as far as streaming a query needs it. */
interface StreamingClient {
  query(query: Query): Query;
}

/** audit_event's columns under the entity's names: the driver's rows are AuditEvents as they come, nothing copied. */
function eventColumns(alias = 'audit_event'): string {
  const a = alias;
  return `${a}.id::text AS id, ${a}.case_type AS "caseType", ${a}.case_id AS "caseId", ${a}.chain_version AS "chainVersion", ${a}.seq,
    ${a}.occurred_at AS "occurredAt", ${a}.actor_person_id AS "actorPersonId", ${a}.actor_name AS "actorName", ${a}.actor_role AS "actorRole",
    ${a}.actor_organisation_id AS "actorOrganisationId", ${a}.actor_organisation_name AS "actorOrganisationName", ${a}.event_type AS "eventType",
    ${a}.payload, ${a}.from_state AS "fromState", ${a}.to_state AS "toState", ${a}.reason, ${a}.outcome, ${a}.prev_hash AS "prevHash", ${a}.hash`;
}

const EVENT_COLUMNS = eventColumns();

export function chainedFieldsOf(row: Omit<AuditEvent, 'id' | 'hash'>): ChainedFields {
  // Two literals rather than a spread of the name, each with its keys in canonical (sorted) order so
  // canonicalJson finds them sorted: this runs for every row the verifier reads.
  const occurredAt = row.occurredAt.toISOString();
  return row.chainVersion === 1
    ? {
        actorName: row.actorName,
        actorOrganisationId: row.actorOrganisationId,
        actorOrganisationName: row.actorOrganisationName,
        actorPersonId: row.actorPersonId,
        actorRole: row.actorRole,
        agreementId: row.caseId,
        eventType: row.eventType,
        fromState: row.fromState,
        occurredAt,
        outcome: row.outcome,
        payload: row.payload,
        prevHash: row.prevHash,
        reason: row.reason,
        seq: row.seq,
        toState: row.toState,
      }
    : {
        actorName: row.actorName,
        actorOrganisationId: row.actorOrganisationId,
        actorOrganisationName: row.actorOrganisationName,
        actorPersonId: row.actorPersonId,
        actorRole: row.actorRole,
        caseId: row.caseId,
        caseType: row.caseType,
        eventType: row.eventType,
        fromState: row.fromState,
        occurredAt,
        outcome: row.outcome,
        payload: row.payload,
        prevHash: row.prevHash,
        reason: row.reason,
        seq: row.seq,
        toState: row.toState,
      };
}

/**
 * The one file that writes audit_event and the chain's head on case_record. Appends only; the
 * caller holds the case's row lock. The head is moved in the same statement, so it never lags.
 */
@Injectable()
export class AuditService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  /** Rows per query for the verifier and the exports (AUDIT_READ_BATCH_ROWS). */
  get batchRows(): number {
    return this.config.auditReadBatchRows;
  }

  /**
   * Appends one row after `head` (the chain as case_record holds it, read under the caller's lock on
   * that row) and moves the head in the same statement. `summary`, when given, is written to
   * case_record in that UPDATE too (the engine's title, reference and state), so a transition
   * touches the row once.
   */
  async append(manager: EntityManager, entry: AuditEntry, head: RecordedHead, summary?: CaseSummaryColumns): Promise<AuditEvent> {
    const row = manager.getRepository(AuditEvent).create({
      caseType: entry.case.type,
      caseId: entry.case.id,
      chainVersion: CHAIN_VERSION,
      seq: head.count + 1,
      occurredAt: entry.occurredAt,
      actorPersonId: entry.actor.personId,
      actorName: entry.actor.name,
      actorRole: entry.actor.role,
      actorOrganisationId: entry.actor.organisationId,
      actorOrganisationName: entry.actor.organisationName,
      eventType: entry.eventType,
      // Round-trip so the hash sees exactly what jsonb will return.
      payload: JSON.parse(JSON.stringify(entry.payload)) as Record<string, unknown>,
      fromState: entry.fromState,
      toState: entry.toState,
      reason: entry.reason,
      outcome: entry.outcome,
      prevHash: head.lastHash ?? GENESIS_HASH,
      hash: '',
    });
    row.hash = hashOf(chainedFieldsOf(row));
    const values: unknown[] = [row.caseId, row.seq, row.occurredAt, row.actorPersonId, row.actorName, row.actorRole, row.actorOrganisationId, row.actorOrganisationName,
      row.eventType, JSON.stringify(row.payload), row.fromState, row.toState, row.reason, row.outcome, row.prevHash, row.hash, row.caseType, row.chainVersion];
    // The summary's columns, and updated_at only when one of them changes (it dates the case, not its history).
    let summarySet = '';
    if (summary) {
      values.push(summary.title, summary.reference, summary.state);
      summarySet = `, title = $19, reference = $20, state = $21,
        updated_at = CASE WHEN (c.title, coalesce(c.reference, ''), c.state) IS DISTINCT FROM ($19, coalesce($20, ''), $21) THEN $3 ELSE c.updated_at END`;
    }
    const [inserted] = await manager.query<Array<{ id: string; moved: boolean }>>(
      `WITH appended AS (
         INSERT INTO audit_event (case_id, seq, occurred_at, actor_person_id, actor_name, actor_role, actor_organisation_id, actor_organisation_name,
                                  event_type, payload, from_state, to_state, reason, outcome, prev_hash, hash, case_type, chain_version)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, $11, $12, $13, $14, $15, $16, $17, $18) RETURNING id
       ), head AS (
         UPDATE case_record c SET audit_event_count = $2, audit_last_hash = $16, audit_updated_at = $3${summarySet}
          WHERE c.id = $1 AND c.audit_event_count = $2 - 1 RETURNING c.id
       )
       SELECT appended.id, EXISTS (SELECT 1 FROM head) AS moved FROM appended`,
      values,
    );
    // The head is read under the row lock: a head that moved meanwhile means the caller held none.
    if (!inserted.moved) throw new Error(`Historikens huvud för ${row.caseType} ${row.caseId} var inte ${head.count} (ärendet var inte låst)`);
    row.id = inserted.id;
    return row;
  }

  /** A case's history, oldest first; ids are unique across kinds, so the id alone names it. */
  history(caseId: string): Promise<AuditEvent[]> {
    return this.dataSource.getRepository(AuditEvent).find({ where: { caseId }, order: { seq: 'ASC' } });
  }

  /** A page of a case's history, oldest first, by its sequence number. */
  async historyPage(caseId: string, page: PageRequest, caseType?: string): Promise<Page<AuditEvent>> {
    return keysetRows<AuditEvent>([{ sql: 'seq', value: (e) => e.seq }], page, 4, (keyset) =>
      this.dataSource.query(
        `SELECT ${EVENT_COLUMNS} FROM audit_event WHERE case_id = $1 AND ($2::text IS NULL OR case_type = $2) AND ${keyset.where} ORDER BY ${keyset.orderBy} LIMIT $3`,
        [caseId, caseType ?? null, keyset.limit, ...keyset.params],
      ),
    );
  }

  /** The applied steps of many cases in one read (the committee's report): when, from which state to which, in order. */
  async appliedSteps(caseIds: readonly string[]): Promise<Map<string, Array<{ occurredAt: Date; fromState: string; toState: string }>>> {
    const steps = new Map<string, Array<{ occurredAt: Date; fromState: string; toState: string }>>();
    if (caseIds.length === 0) return steps;
    const rows = await this.dataSource.query<Array<{ case_id: string; occurred_at: Date; from_state: string; to_state: string }>>(
      `SELECT case_id, occurred_at, from_state, to_state FROM audit_event WHERE case_id = ANY($1::uuid[]) AND outcome = 'applied' ORDER BY case_id, seq`,
      [caseIds],
    );
    for (const r of rows) {
      const list = steps.get(r.case_id) ?? [];
      list.push({ occurredAt: r.occurred_at, fromState: r.from_state, toState: r.to_state });
      steps.set(r.case_id, list);
    }
    return steps;
  }

  /** Each chain's head as recorded with the last append, sorted by case id (what a checkpoint signs). */
  async heads(manager: EntityManager = this.dataSource.manager): Promise<ChainHead[]> {
    const rows = await manager.query<Array<{ case_type: string; case_id: string; event_count: number; last_hash: string }>>(
      `SELECT case_type, id AS case_id, audit_event_count AS event_count, audit_last_hash AS last_hash FROM case_record WHERE audit_event_count > 0 ORDER BY id`,
    );
    return rows.map((row) => ({ agreementId: row.case_id, caseType: row.case_type, count: row.event_count, lastHash: row.last_hash }));
  }

  /**
   * Every row of audit_event in (case_id, seq) order with its chain's recorded head, handed to
   * `onRow` as it arrives from the server and kept by no one: keyset batches of `batchRows` on the
   * unique index (case_id, seq), never OFFSET, each streamed row by row, so memory holds one row
   * (and what `onRow` keeps) however long the table is. `manager` must be a transaction's.
   * `afterBatch` is awaited after each batch with the rows read so far (a stored run's progress).
   */
  async forEachRow(manager: EntityManager, batchRows: number, onRow: (row: AuditEventWithHead) => void, afterBatch?: (rowsSoFar: number) => Promise<void>): Promise<number> {
    if (manager.queryRunner === undefined) throw new Error('forEachRow läser i en transaktion');
    const client = (await manager.queryRunner.connect()) as StreamingClient;
    // The head only with a chain's first row (seq 1): a chain that starts anywhere else is broken there, and its head is
    // then never compared. Subqueries rather than a join, so the head index is probed once a chain, not scanned along.
    const head = (column: string) => `CASE WHEN e.seq = 1 THEN (SELECT h.${column} FROM case_record h WHERE h.id = e.case_id AND h.audit_event_count > 0) END`;
    const select = `SELECT ${eventColumns('e')}, ${head('case_type')} AS "headCaseType", ${head('audit_event_count')} AS "headCount", ${head('audit_last_hash')} AS "headHash"
      FROM audit_event e`;
    let last: { caseId: string; seq: number } | null = null;
    let total = 0;
    for (;;) {
      const rows: number = await new Promise<number>((resolve, reject) => {
        const query =
          last === null
            ? new Query(`${select} ORDER BY e.case_id, e.seq LIMIT $1`, [batchRows])
            : new Query(`${select} WHERE (e.case_id, e.seq) > ($1::uuid, $2::integer) ORDER BY e.case_id, e.seq LIMIT $3`, [last.caseId, last.seq, batchRows]);
        let count = 0;
        let failure: unknown = null;
        // A 'row' listener and no callback: the driver hands each row over and does not collect them.
        query.on('row', (row: AuditEventWithHead) => {
          count += 1;
          last = { caseId: row.caseId, seq: row.seq };
          if (failure !== null) return;
          try {
            onRow(row);
          } catch (error) {
            failure = error;
          }
        });
        query.on('error', reject);
        query.on('end', () => (failure === null ? resolve(count) : reject(failure as Error)));
        client.query(query);
      });
      total += rows;
      await afterBatch?.(total);
      if (rows < batchRows) return total;
    }
  }

  /**
   * One case's history oldest first, `batchRows` a query (keyset on seq over the unique index
   * (case_id, seq)): for exports of any length. `caseType` keeps only rows of that kind.
   */
  async *historyBatches(caseId: string, options: { caseType?: string; batchRows?: number } = {}): AsyncGenerator<AuditEvent[]> {
    const batchRows = options.batchRows ?? this.batchRows;
    let after: number | null = null;
    for (;;) {
      const rows: AuditEvent[] = await this.dataSource.query<AuditEvent[]>(
        `SELECT ${EVENT_COLUMNS} FROM audit_event WHERE case_id = $1 AND ($3::text IS NULL OR case_type = $3) ${after === null ? '' : 'AND seq > $4'} ORDER BY seq LIMIT $2`,
        after === null ? [caseId, batchRows, options.caseType ?? null] : [caseId, batchRows, options.caseType ?? null, after],
      );
      if (rows.length === 0) return;
      yield rows;
      if (rows.length < batchRows) return;
      after = rows[rows.length - 1].seq;
    }
  }

  /** How many rows the table has (what a tampered seq is bounded by, see ChainCheck.length). */
  async eventCount(manager: EntityManager): Promise<number> {
    const [row] = await manager.query<Array<{ n: string }>>(`SELECT count(*)::text AS n FROM audit_event`);
    return Number(row.n);
  }

  /** The recorded heads of chains without a single row left, in case id order (none unless rows were removed). */
  async headsWithoutRows(manager: EntityManager): Promise<Array<Required<ChainHead>>> {
    const rows = await manager.query<Array<{ case_type: string; case_id: string; event_count: number; last_hash: string }>>(
      `SELECT h.case_type, h.id AS case_id, h.audit_event_count AS event_count, h.audit_last_hash AS last_hash FROM case_record h
        WHERE h.audit_event_count > 0 AND NOT EXISTS (SELECT 1 FROM audit_event e WHERE e.case_id = h.id) ORDER BY h.id`,
    );
    return rows.map((row) => ({ agreementId: row.case_id, caseType: row.case_type, count: row.event_count, lastHash: row.last_hash }));
  }

  /**
   * Runs `work` in one read-only REPEATABLE READ transaction: every batch, the heads and the
   * checkpoint are read from the same snapshot, so appends made meanwhile are not half seen.
   */
  snapshot<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction('REPEATABLE READ', async (manager) => {
      await manager.query(`SET TRANSACTION READ ONLY`);
      return work(manager);
    });
  }

  /** Re-computes every chain, in batches of `batchRows`, and names the first altered row of each broken one. */
  async verify(now: Date, batchRows = this.batchRows): Promise<VerificationReport> {
    return this.snapshot(async (manager) => {
      const tableRows = await this.eventCount(manager);
      const breaks: ChainBreak[] = [];
      let chains = 0;
      let chain: ChainCheck | null = null;
      const finish = () => {
        if (chain?.break) breaks.push(chain.break);
      };
      const events = await this.forEachRow(manager, batchRows, (row) => {
        if (row.caseId !== chain?.caseId) {
          finish();
          chain = new ChainCheck(row.caseId, row.caseType, tableRows);
          chains += 1;
        }
        chain.add(row);
      });
      finish();
      return { verifiedAt: now.toISOString(), agreementsChecked: chains, eventsChecked: events, intact: breaks.length === 0, breaks };
    });
  }
}

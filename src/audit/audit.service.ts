import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { Actor } from './actor';
import { AuditEvent, type AuditOutcome } from './audit-event.entity';
import { CHAIN_VERSION, GENESIS_HASH, hashOf, type ChainedFields } from './audit-chain';
import type { CaseRef } from '@app/cases/case-kind';

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

/** A case's chain as last written: how many events and the hash of the last one. */
export interface ChainHead {
  /** The case's id (checkpoints signed before other kinds existed name it so). */
  agreementId: string;
  /** Absent in checkpoints (they sign id, count and hash; ids are unique across kinds). */
  caseType?: string;
  count: number;
  lastHash: string;
}

/** Every chain as found: each row's hash by position (seq - 1), and its first break if any. */
export interface ChainInspection {
  verifiedAt: string;
  eventsChecked: number;
  chains: Map<string, { caseType: string; hashes: string[]; break: ChainBreak | null }>;
  breaks: ChainBreak[];
}

export function chainedFieldsOf(row: AuditEvent): ChainedFields {
  const named = row.chainVersion === 1 ? { agreementId: row.caseId } : { caseType: row.caseType, caseId: row.caseId };
  return {
    ...named,
    seq: row.seq,
    occurredAt: row.occurredAt.toISOString(),
    actorPersonId: row.actorPersonId,
    actorName: row.actorName,
    actorRole: row.actorRole,
    actorOrganisationId: row.actorOrganisationId,
    actorOrganisationName: row.actorOrganisationName,
    eventType: row.eventType,
    payload: row.payload,
    fromState: row.fromState,
    toState: row.toState,
    reason: row.reason,
    outcome: row.outcome,
    prevHash: row.prevHash,
  };
}

/**
 * The one file that writes audit_event and audit_chain_head. Appends only; the caller holds the
 * agreement's row lock. The head row is written in the same statement, so it never lags.
 */
@Injectable()
export class AuditService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async append(manager: EntityManager, entry: AuditEntry): Promise<AuditEvent> {
    // Only the head of the chain is needed; the caller's row lock on the case keeps it the head.
    const [head] = await manager.query<Array<{ seq: number; hash: string }>>(
      `SELECT seq, hash FROM audit_event WHERE case_id = $1 ORDER BY seq DESC LIMIT 1`,
      [entry.case.id],
    );
    const row = manager.getRepository(AuditEvent).create({
      caseType: entry.case.type,
      caseId: entry.case.id,
      chainVersion: CHAIN_VERSION,
      seq: (head?.seq ?? 0) + 1,
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
      prevHash: head?.hash ?? GENESIS_HASH,
      hash: '',
    });
    row.hash = hashOf(chainedFieldsOf(row));
    const [inserted] = await manager.query<Array<{ id: string }>>(
      `WITH appended AS (
         INSERT INTO audit_event (case_id, seq, occurred_at, actor_person_id, actor_name, actor_role, actor_organisation_id, actor_organisation_name,
                                  event_type, payload, from_state, to_state, reason, outcome, prev_hash, hash, case_type, chain_version)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, $11, $12, $13, $14, $15, $16, $17, $18) RETURNING id, case_type, case_id, seq, hash, occurred_at
       ), head AS (
         INSERT INTO audit_chain_head (case_type, case_id, event_count, last_hash, updated_at)
         SELECT case_type, case_id, seq, hash, occurred_at FROM appended
         ON CONFLICT (case_id) DO UPDATE SET event_count = EXCLUDED.event_count, last_hash = EXCLUDED.last_hash, updated_at = EXCLUDED.updated_at
       )
       SELECT id FROM appended`,
      [row.caseId, row.seq, row.occurredAt, row.actorPersonId, row.actorName, row.actorRole, row.actorOrganisationId, row.actorOrganisationName,
       row.eventType, JSON.stringify(row.payload), row.fromState, row.toState, row.reason, row.outcome, row.prevHash, row.hash, row.caseType, row.chainVersion],
    );
    row.id = inserted.id;
    return row;
  }

  /** A case's history, oldest first; ids are unique across kinds, so the id alone names it. */
  history(caseId: string): Promise<AuditEvent[]> {
    return this.dataSource.getRepository(AuditEvent).find({ where: { caseId }, order: { seq: 'ASC' } });
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
      `SELECT case_type, case_id, event_count, last_hash FROM audit_chain_head ORDER BY case_id`,
    );
    return rows.map((row) => ({ agreementId: row.case_id, caseType: row.case_type, count: row.event_count, lastHash: row.last_hash }));
  }

  /** Re-computes every chain and names the first altered row of each broken one. */
  async verify(now: Date): Promise<VerificationReport> {
    const inspection = await this.inspect(now);
    return {
      verifiedAt: inspection.verifiedAt,
      agreementsChecked: inspection.chains.size,
      eventsChecked: inspection.eventsChecked,
      intact: inspection.breaks.length === 0,
      breaks: inspection.breaks,
    };
  }

  /** Every chain re-computed, keeping each row's hash for the comparison with heads and checkpoints. */
  async inspect(now: Date): Promise<ChainInspection> {
    const rows = await this.dataSource.getRepository(AuditEvent).find({ order: { caseId: 'ASC', seq: 'ASC' } });
    const breaks: ChainBreak[] = [];
    const chains: ChainInspection['chains'] = new Map();
    let current = '';
    let chain: { caseType: string; hashes: string[]; break: ChainBreak | null } = { caseType: '', hashes: [], break: null };
    let expectedPrev = GENESIS_HASH;
    let expectedSeq = 1;
    let broken = false;
    for (const row of rows) {
      if (row.caseId !== current) {
        current = row.caseId;
        chain = { caseType: row.caseType, hashes: [], break: null };
        chains.set(current, chain);
        expectedPrev = GENESIS_HASH;
        expectedSeq = 1;
        broken = false;
      }
      if (row.seq >= 1 && row.seq <= rows.length) chain.hashes[row.seq - 1] = row.hash;
      if (broken) continue;
      const problem: ChainBreak['problem'] | null =
        row.seq !== expectedSeq
          ? 'gap_in_sequence'
          : row.prevHash !== expectedPrev
            ? 'broken_link'
            : hashOf(chainedFieldsOf(row)) !== row.hash
              ? 'hash_mismatch'
              : null;
      if (problem) {
        chain.break = { agreementId: row.caseId, caseType: row.caseType, seq: row.seq, auditEventId: row.id, problem };
        breaks.push(chain.break);
        broken = true;
        continue;
      }
      expectedPrev = row.hash;
      expectedSeq += 1;
    }
    return { verifiedAt: now.toISOString(), eventsChecked: rows.length, chains, breaks };
  }
}

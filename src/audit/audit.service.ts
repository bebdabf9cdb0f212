import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { Actor } from './actor';
import { AuditEvent, type AuditOutcome } from './audit-event.entity';
import { GENESIS_HASH, hashOf, type ChainedFields } from './audit-chain';

export interface AuditEntry {
  agreementId: string;
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
  agreementId: string;
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

/** An agreement's chain as last written: how many events and the hash of the last one. */
export interface ChainHead {
  agreementId: string;
  count: number;
  lastHash: string;
}

/** Every chain as found: each row's hash by position (seq - 1), and its first break if any. */
export interface ChainInspection {
  verifiedAt: string;
  eventsChecked: number;
  chains: Map<string, { hashes: string[]; break: ChainBreak | null }>;
  breaks: ChainBreak[];
}

export function chainedFieldsOf(row: AuditEvent): ChainedFields {
  return {
    agreementId: row.agreementId,
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
    // Only the head of the chain is needed; the caller's row lock on the agreement keeps it the head.
    const [head] = await manager.query<Array<{ seq: number; hash: string }>>(
      `SELECT seq, hash FROM audit_event WHERE agreement_id = $1 ORDER BY seq DESC LIMIT 1`,
      [entry.agreementId],
    );
    const row = manager.getRepository(AuditEvent).create({
      agreementId: entry.agreementId,
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
         INSERT INTO audit_event (agreement_id, seq, occurred_at, actor_person_id, actor_name, actor_role, actor_organisation_id, actor_organisation_name,
                                  event_type, payload, from_state, to_state, reason, outcome, prev_hash, hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, $11, $12, $13, $14, $15, $16) RETURNING id, agreement_id, seq, hash, occurred_at
       ), head AS (
         INSERT INTO audit_chain_head (agreement_id, event_count, last_hash, updated_at)
         SELECT agreement_id, seq, hash, occurred_at FROM appended
         ON CONFLICT (agreement_id) DO UPDATE SET event_count = EXCLUDED.event_count, last_hash = EXCLUDED.last_hash, updated_at = EXCLUDED.updated_at
       )
       SELECT id FROM appended`,
      [row.agreementId, row.seq, row.occurredAt, row.actorPersonId, row.actorName, row.actorRole, row.actorOrganisationId, row.actorOrganisationName,
       row.eventType, JSON.stringify(row.payload), row.fromState, row.toState, row.reason, row.outcome, row.prevHash, row.hash],
    );
    row.id = inserted.id;
    return row;
  }

  history(agreementId: string): Promise<AuditEvent[]> {
    return this.dataSource.getRepository(AuditEvent).find({ where: { agreementId }, order: { seq: 'ASC' } });
  }

  /** Each chain's head as recorded with the last append, sorted by agreement id (what a checkpoint signs). */
  async heads(manager: EntityManager = this.dataSource.manager): Promise<ChainHead[]> {
    const rows = await manager.query<Array<{ agreement_id: string; event_count: number; last_hash: string }>>(
      `SELECT agreement_id, event_count, last_hash FROM audit_chain_head ORDER BY agreement_id`,
    );
    return rows.map((row) => ({ agreementId: row.agreement_id, count: row.event_count, lastHash: row.last_hash }));
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
    const rows = await this.dataSource.getRepository(AuditEvent).find({ order: { agreementId: 'ASC', seq: 'ASC' } });
    const breaks: ChainBreak[] = [];
    const chains: ChainInspection['chains'] = new Map();
    let current = '';
    let chain: { hashes: string[]; break: ChainBreak | null } = { hashes: [], break: null };
    let expectedPrev = GENESIS_HASH;
    let expectedSeq = 1;
    let broken = false;
    for (const row of rows) {
      if (row.agreementId !== current) {
        current = row.agreementId;
        chain = { hashes: [], break: null };
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
        chain.break = { agreementId: row.agreementId, seq: row.seq, auditEventId: row.id, problem };
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

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

/** The one file that writes and reads audit_event. Appends only; the caller holds the agreement's row lock. */
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
      `INSERT INTO audit_event (agreement_id, seq, occurred_at, actor_person_id, actor_name, actor_role, actor_organisation_id, actor_organisation_name,
                                event_type, payload, from_state, to_state, reason, outcome, prev_hash, hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, $11, $12, $13, $14, $15, $16) RETURNING id`,
      [row.agreementId, row.seq, row.occurredAt, row.actorPersonId, row.actorName, row.actorRole, row.actorOrganisationId, row.actorOrganisationName,
       row.eventType, JSON.stringify(row.payload), row.fromState, row.toState, row.reason, row.outcome, row.prevHash, row.hash],
    );
    row.id = inserted.id;
    return row;
  }

  history(agreementId: string): Promise<AuditEvent[]> {
    return this.dataSource.getRepository(AuditEvent).find({ where: { agreementId }, order: { seq: 'ASC' } });
  }

  /** Re-computes every chain and names the first altered row of each broken one. */
  async verify(now: Date): Promise<VerificationReport> {
    const rows = await this.dataSource.getRepository(AuditEvent).find({ order: { agreementId: 'ASC', seq: 'ASC' } });
    const breaks: ChainBreak[] = [];
    const agreements = new Set<string>();
    let current = '';
    let expectedPrev = GENESIS_HASH;
    let expectedSeq = 1;
    let broken = false;
    for (const row of rows) {
      if (row.agreementId !== current) {
        current = row.agreementId;
        agreements.add(current);
        expectedPrev = GENESIS_HASH;
        expectedSeq = 1;
        broken = false;
      }
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
        breaks.push({ agreementId: row.agreementId, seq: row.seq, auditEventId: row.id, problem });
        broken = true;
        continue;
      }
      expectedPrev = row.hash;
      expectedSeq += 1;
    }
    return { verifiedAt: now.toISOString(), agreementsChecked: agreements.size, eventsChecked: rows.length, intact: breaks.length === 0, breaks };
  }
}

import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** applied: the event changed the agreement; refused: the machine said no; forbidden: the rules said no; skipped: a stale timer. */
export type AuditOutcome = 'applied' | 'refused' | 'forbidden' | 'skipped';

/**
 * One step in a case's history. Append-only: the database refuses
 * UPDATE, DELETE and TRUNCATE, and each row carries the hash of the one before.
 */
@Entity('audit_event')
export class AuditEvent {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id!: string;

  @Column('text', { name: 'case_type' })
  caseType!: string;

  @Column('uuid', { name: 'case_id' })
  caseId!: string;

  /** How the row was hashed: 1 = as an agreement's (`agreementId`), 2 = as a case's (`caseType`, `caseId`). */
  @Column('smallint', { name: 'chain_version' })
  chainVersion!: number;

  /** 1, 2, 3 … per case: the chain's order. */
  @Column('integer')
  seq!: number;

  @Column('timestamptz', { name: 'occurred_at' })
  occurredAt!: Date;

  @Column('uuid', { name: 'actor_person_id', nullable: true })
  actorPersonId!: string | null;

  @Column('text', { name: 'actor_name' })
  actorName!: string;

  @Column('text', { name: 'actor_role' })
  actorRole!: string;

  @Column('uuid', { name: 'actor_organisation_id', nullable: true })
  actorOrganisationId!: string | null;

  @Column('text', { name: 'actor_organisation_name', nullable: true })
  actorOrganisationName!: string | null;

  @Column('text', { name: 'event_type' })
  eventType!: string;

  @Column('jsonb')
  payload!: Record<string, unknown>;

  @Column('text', { name: 'from_state' })
  fromState!: string;

  @Column('text', { name: 'to_state' })
  toState!: string;

  @Column('text', { nullable: true })
  reason!: string | null;

  @Column('text')
  outcome!: AuditOutcome;

  @Column('text', { name: 'prev_hash' })
  prevHash!: string;

  @Column('text')
  hash!: string;
}

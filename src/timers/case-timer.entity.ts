import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A deadline the clock must fire: derived from the case's machine, replaced on every transition. */
@Entity('case_timer')
export class CaseTimer {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id!: string;

  @Column('text', { name: 'case_type' })
  caseType!: string;

  @Column('uuid', { name: 'case_id' })
  caseId!: string;

  @Column('text')
  kind!: string;

  @Column('integer')
  cycle!: number;

  @Column('date', { name: 'due_date' })
  dueDate!: string;

  @Column('timestamptz', { name: 'due_at' })
  dueAt!: Date;

  @Column('text', { name: 'event_type' })
  eventType!: string;

  @Column('text', { name: 'scheduled_in_state' })
  scheduledInState!: string;

  @Column('timestamptz', { name: 'fired_at', nullable: true })
  firedAt!: Date | null;

  /** applied, or skipped when the agreement had moved on. */
  @Column('text', { nullable: true })
  outcome!: string | null;
}

import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A deadline the clock must fire: derived from the machine, replaced on every transition. */
@Entity('agreement_timer')
export class AgreementTimer {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id!: string;

  @Column('uuid', { name: 'agreement_id' })
  agreementId!: string;

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

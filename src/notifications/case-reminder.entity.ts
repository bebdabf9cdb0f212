import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A reminder the pure schedule planned; decided (written to the outbox, or skipped) when due. */
@Entity('case_reminder')
export class CaseReminder {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id!: string;

  @Column('text', { name: 'case_type' })
  caseType!: string;

  @Column('uuid', { name: 'case_id' })
  caseId!: string;

  @Column('text')
  kind!: string;

  @Column('text', { name: 'reminder_key' })
  reminderKey!: string;

  @Column('integer')
  cycle!: number;

  @Column('text')
  audience!: string;

  @Column('timestamptz', { name: 'send_at' })
  sendAt!: Date;

  @Column('date', { name: 'deadline_date' })
  deadlineDate!: string;

  @Column('text', { name: 'scheduled_in_state' })
  scheduledInState!: string;

  @Column('timestamptz', { name: 'decided_at', nullable: true })
  decidedAt!: Date | null;

  /** queued, skipped (state moved on) or superseded (a later reminder of the same deadline was also due). */
  @Column('text', { nullable: true })
  outcome!: string | null;
}

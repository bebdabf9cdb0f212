import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Every case of every kind: what the shared views (Bevakning, the digest, the history) name it by. The engine writes it. */
@Entity('case_record')
export class CaseRecord {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('text', { name: 'case_type' })
  caseType!: string;

  @Column('text')
  title!: string;

  /** The diarienummer, when the case has one. */
  @Column('text', { nullable: true })
  reference!: string | null;

  @Column('text')
  state!: string;

  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;

  @Column('timestamptz', { name: 'updated_at' })
  updatedAt!: Date;
}

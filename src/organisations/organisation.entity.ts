import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { PartyKind } from '@workflows/agreement/types';

@Entity('organisation')
export class Organisation {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('text')
  name!: string;

  /** Organisationsnummer, NNNNNN-NNNN, check digit verified on input. */
  @Column('text', { name: 'organisation_number', unique: true })
  organisationNumber!: string;

  @Column('text')
  kind!: PartyKind;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import type { PartyKind } from '@workflows/agreement/types';
import { kronorTransformer } from '@app/common/kronor.transformer';
import { Organisation } from '@app/organisations/organisation.entity';
import { Agreement } from './agreement.entity';

/** A party to an agreement and its yearly contribution (base year). */
@Entity('agreement_party')
export class AgreementParty {
  @PrimaryColumn('uuid', { name: 'agreement_id' })
  agreementId!: string;

  @PrimaryColumn('uuid', { name: 'organisation_id' })
  organisationId!: string;

  @Column('text')
  kind!: PartyKind;

  @Column('integer')
  position!: number;

  @Column('bigint', { name: 'contribution_kr', nullable: true, transformer: kronorTransformer })
  contributionKr!: number | null;

  @Column('integer', { name: 'share_basis_points', nullable: true })
  shareBasisPoints!: number | null;

  @ManyToOne(() => Agreement, (a) => a.parties, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'agreement_id' })
  agreement?: Agreement;

  @ManyToOne(() => Organisation, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'organisation_id' })
  organisation?: Organisation;
}

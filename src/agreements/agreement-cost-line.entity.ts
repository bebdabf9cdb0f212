import { Column, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { kronorTransformer } from '@app/common/kronor.transformer';
import { Agreement } from './agreement.entity';

/** A cost per calendar year in the base year, e.g. "lokaler 372 000 kr". */
@Entity('agreement_cost_line')
export class AgreementCostLine {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'agreement_id' })
  agreementId!: string;

  @Column('integer')
  position!: number;

  @Column('text')
  label!: string;

  @Column('bigint', { name: 'amount_kr', transformer: kronorTransformer })
  amountKr!: number;

  /** The party that bears the cost, when the agreement says so. */
  @Column('uuid', { name: 'organisation_id', nullable: true })
  organisationId!: string | null;

  @ManyToOne(() => Agreement, (a) => a.costLines, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'agreement_id' })
  agreement?: Agreement;
}

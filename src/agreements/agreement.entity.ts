import { Column, CreateDateColumn, Entity, OneToMany, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { StateValue } from 'xstate';
import type { AgreementContext } from '@workflows/agreement/types';
import type { AgreementStateCode } from '@workflows/agreement/persistence';
import type { ReminderPolicy } from '@workflows/agreement/reminders';
import type { DocumentTexts } from '@workflows/agreement/document';
import { kronorArrayTransformer, kronorTransformer } from '@app/common/kronor.transformer';
import { AgreementParty } from './agreement-party.entity';
import { AgreementCostLine } from './agreement-cost-line.entity';
import { AgreementMember } from './agreement-member.entity';

export interface Invoicing {
  gln: string | null;
  organisationNumber: string | null;
  peppolId: string | null;
  reference: string | null;
  marking: string | null;
  address: string | null;
}

/**
 * One IOP agreement: its text and terms as columns, its lifecycle as the
 * persisted machine snapshot. `state`, dates and the next deadline are copies
 * of the snapshot kept for queries; only the engine writes them.
 */
@Entity('agreement')
export class Agreement {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('text')
  title!: string;

  @Column('text', { nullable: true })
  diarienummer!: string | null;

  /** The committee responsible, e.g. arbetsmarknadsnämnden. */
  @Column('text', { nullable: true })
  committee!: string | null;

  @Column('text', { default: '' })
  purpose!: string;

  @Column('text', { name: 'target_group', default: '' })
  targetGroup!: string;

  @Column('text', { default: '' })
  activities!: string;

  /** The document's other free-text sections (bakgrund, värdegrund …): workflows/agreement/document.ts. */
  @Column('jsonb', { name: 'document_text', default: () => "'{}'::jsonb" })
  documentText!: DocumentTexts;

  @Column('integer', { nullable: true })
  places!: number | null;

  @Column('text', { name: 'place_category', nullable: true })
  placeCategory!: string | null;

  @Column('uuid', { name: 'proposed_by_organisation_id' })
  proposedByOrganisationId!: string;

  @Column('date', { name: 'start_date', nullable: true })
  startDate!: string | null;

  /** The current agreed end date (inclusive); moves on renewal. */
  @Column('date', { name: 'end_date', nullable: true })
  endDate!: string | null;

  @Column('integer', { name: 'extension_period_months', nullable: true })
  extensionPeriodMonths!: number | null;

  @Column('integer', { name: 'max_extensions', nullable: true })
  maxExtensions!: number | null;

  @Column('integer', { name: 'decision_notice_months', nullable: true })
  decisionNoticeMonths!: number | null;

  @Column('integer', { name: 'decision_window_months', nullable: true })
  decisionWindowMonths!: number | null;

  @Column('integer', { name: 'extensions_used', default: 0 })
  extensionsUsed!: number;

  @Column('bigint', { name: 'total_kr', nullable: true, transformer: kronorTransformer })
  totalKr!: number | null;

  @Column('integer', { name: 'indexation_basis_points', default: 0 })
  indexationBasisPoints!: number;

  @Column('jsonb', { default: () => "'{}'::jsonb" })
  invoicing!: Invoicing;

  /** The civil-society parties' names, in the terms' order: projected for the committee's overview. */
  @Column('text', { name: 'partner_names', array: true, default: () => "'{}'" })
  partnerNames!: string[];

  /** The municipality's contributions per year under the terms (null without economics): projected for the overview. */
  @Column('bigint', { name: 'committee_cost_kr', nullable: true, transformer: kronorTransformer })
  committeeCostKr!: number | null;

  /** The first calendar year of the yearly figures below (null without economics or dates). */
  @Column('integer', { name: 'economics_from_year', nullable: true })
  economicsFromYear!: number | null;

  /** The total per calendar year with indexation, from economicsFromYear to the end date: projected for the overview. */
  @Column('bigint', { name: 'yearly_total_kr', array: true, nullable: true, transformer: kronorArrayTransformer })
  yearlyTotalKr!: number[] | null;

  /** The municipality's part per calendar year with indexation, as yearlyTotalKr. */
  @Column('bigint', { name: 'yearly_committee_cost_kr', array: true, nullable: true, transformer: kronorArrayTransformer })
  yearlyCommitteeCostKr!: number[] | null;

  /** Per-agreement overrides of the reminder policy (workflows/agreement/reminders.ts); null = defaults. */
  @Column('jsonb', { name: 'reminder_policy', nullable: true })
  reminderPolicy!: Partial<ReminderPolicy> | null;

  @Column('integer', { name: 'machine_version' })
  machineVersion!: number;

  @Column('jsonb', { name: 'state_value' })
  stateValue!: StateValue;

  @Column('jsonb')
  context!: AgreementContext;

  @Column('text')
  state!: AgreementStateCode;

  /** Optimistic concurrency: a client may send the version it saw. */
  @Column('integer', { name: 'row_version', default: 1 })
  rowVersion!: number;

  @Column('timestamptz', { name: 'next_deadline_at', nullable: true })
  nextDeadlineAt!: Date | null;

  @Column('text', { name: 'next_deadline_kind', nullable: true })
  nextDeadlineKind!: string | null;

  @Column('date', { name: 'next_deadline_date', nullable: true })
  nextDeadlineDate!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  @OneToMany(() => AgreementParty, (p) => p.agreement)
  parties?: AgreementParty[];

  @OneToMany(() => AgreementCostLine, (c) => c.agreement)
  costLines?: AgreementCostLine[];

  @OneToMany(() => AgreementMember, (m) => m.agreement)
  members?: AgreementMember[];
}

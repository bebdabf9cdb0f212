import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Person } from '@app/organisations/person.entity';
import { Agreement } from './agreement.entity';

export type AgreementMemberRole = 'signatory' | 'samverkansgrupp';

/** A person's part in one agreement: firmatecknare, or member of the samverkansgrupp. */
@Entity('agreement_member')
export class AgreementMember {
  @PrimaryColumn('uuid', { name: 'agreement_id' })
  agreementId!: string;

  @PrimaryColumn('uuid', { name: 'person_id' })
  personId!: string;

  @PrimaryColumn('text')
  role!: AgreementMemberRole;

  @Column('uuid', { name: 'organisation_id' })
  organisationId!: string;

  @ManyToOne(() => Agreement, (a) => a.members, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'agreement_id' })
  agreement?: Agreement;

  @ManyToOne(() => Person, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'person_id' })
  person?: Person;
}

import { DateTime, Nested, OneOf, Str, Uuid } from '@app/common/view-properties';

export class OrganisationView {
  @Uuid() id!: string;
  @Str() name!: string;
  @Str({ example: '802000-0000' }) organisationNumber!: string;
  @OneOf(['municipality', 'civil_society']) kind!: 'municipality' | 'civil_society';
  @DateTime() createdAt!: string;
}

export class PersonView {
  @Uuid() id!: string;
  @Str() name!: string;
  @Str({ format: 'email' }) email!: string;
  @Str({ nullable: true }) title!: string | null;
  @Uuid() organisationId!: string;
  @Nested(() => OrganisationView, { required: false, description: 'Med när den hämtats.' }) organisation?: OrganisationView;
  @DateTime() createdAt!: string;
}

import { PERSON_ROLES } from '@workflows/agreement/rules';
import { Bool, DateTime, Nested, OneOf, Str, Uuid } from '@app/common/view-properties';

const roles = { type: 'string', enum: [...PERSON_ROLES], isArray: true } as const;

export class ProfilePersonView {
  @Uuid() id!: string;
  @Str() name!: string;
  @Str({ format: 'email' }) email!: string;
  @Str({ nullable: true }) title!: string | null;
}

export class AccountOrganisationView {
  @Uuid() id!: string;
  @Str() name!: string;
  @Str({ example: 'municipality' }) kind!: string;
}

/** Who is signed in: person, organisation and roles. */
export class AccountProfileView {
  @Nested(() => ProfilePersonView) person!: ProfilePersonView;
  @Nested(() => AccountOrganisationView, { nullable: true }) organisation!: AccountOrganisationView | null;
  @Str(roles) roles!: string[];
}

export class SignedInView extends AccountProfileView {
  @DateTime({ description: 'När sessionen slutar gälla.' }) expiresAt!: string;
}

export class ApiTokenView {
  @Uuid() id!: string;
  @Str() name!: string;
  @DateTime() createdAt!: string;
  @DateTime({ nullable: true }) lastUsedAt!: string | null;
  @DateTime({ nullable: true }) revokedAt!: string | null;
  @DateTime() expiresAt!: string;
}

export class IssuedApiTokenView extends ApiTokenView {
  @Str({ description: 'Visas bara nu; skickas som Authorization: Bearer <token>.' }) token!: string;
}

export class AccountPersonView {
  @Uuid() id!: string;
  @Str() name!: string;
  @Str({ format: 'email' }) email!: string;
}

/** An account in the administration: roles and status. */
export class AccountView {
  @Nested(() => AccountPersonView) person!: AccountPersonView;
  @Nested(() => AccountOrganisationView) organisation!: AccountOrganisationView;
  @Str(roles) roles!: string[];
  @Bool() hasPassword!: boolean;
  @Bool({ description: 'Loggar in via OIDC.' }) signsInWithProvider!: boolean;
  @DateTime({ nullable: true }) disabledAt!: string | null;
}

export class AccountChangeView {
  @DateTime() occurredAt!: string;
  @OneOf(['roles_set', 'password_set', 'disabled', 'enabled']) change!: string;
  @Str(roles) roles!: string[];
  @Str({ description: 'Vem som ändrade.' }) by!: string;
}


import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The service role named by iop.service_role, quoted; null when none is named (see LeastPrivilege). */
async function serviceRoleOf(q: QueryRunner): Promise<string | null> {
  const [row] = (await q.query(`SELECT nullif(current_setting('iop.service_role', true), '') AS role`)) as Array<{ role: string | null }>;
  return row?.role ? `"${row.role.replace(/"/g, '""')}"` : null;
}

/**
 * Account invitations: an administrator adds a person and the service e-mails a one-time link to
 * choose a password. Only the SHA-256 of the link's token is kept; a row is used once (used_at) and
 * ends at expires_at, or when a newer invitation replaces it (revoked_at). Owned by
 * src/auth/invitations.service.ts. The service role reads, adds and marks rows; it never deletes
 * them (a person's rows go with the person, as the table's owner does it).
 */
export class AccountInvitations1766010000000 implements MigrationInterface {
  name = 'AccountInvitations1766010000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE account_invitation (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        person_id uuid NOT NULL REFERENCES account(person_id) ON DELETE CASCADE,
        token_hash bytea NOT NULL UNIQUE,
        created_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        revoked_at timestamptz,
        invited_by_person_id uuid REFERENCES person(id) ON DELETE SET NULL,
        invited_by_name text NOT NULL,
        CHECK (expires_at > created_at),
        CHECK (used_at IS NULL OR revoked_at IS NULL)
      )`);
    await q.query(`CREATE INDEX account_invitation_open_idx ON account_invitation (person_id) WHERE used_at IS NULL AND revoked_at IS NULL`);
    const app = await serviceRoleOf(q);
    if (app !== null) await q.query(`REVOKE DELETE, TRUNCATE ON account_invitation FROM ${app}`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE account_invitation`);
  }
}

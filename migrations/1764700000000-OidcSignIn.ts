import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sign-in through the municipality's identity provider (OpenID Connect):
 * - an account may have no password (it signs in only through the provider);
 * - the provider's `sub` is recorded on the account at its first sign-in, and a later sign-in with
 *   the same e-mail but another `sub` is refused (one provider per installation, hence plain UNIQUE);
 * - oidc_login holds each started sign-in until the provider sends the browser back: consumed once
 *   (DELETE … RETURNING), so every instance refuses a replayed state. Only the SHA-256 of the state
 *   is stored; the nonce and PKCE verifier are worthless without the code, which only the browser sees.
 */
export class OidcSignIn1764700000000 implements MigrationInterface {
  name = 'OidcSignIn1764700000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE account ALTER COLUMN password_hash DROP NOT NULL`);
    await q.query(`ALTER TABLE account ADD COLUMN oidc_subject text UNIQUE CHECK (oidc_subject <> '')`);
    await q.query(`
      CREATE TABLE oidc_login (
        state_hash text PRIMARY KEY CHECK (state_hash ~ '^[0-9a-f]{64}$'),
        nonce text NOT NULL,
        code_verifier text NOT NULL,
        return_to text NOT NULL CHECK (return_to LIKE '/%'),
        created_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX oidc_login_expires_idx ON oidc_login (expires_at)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE oidc_login`);
    await q.query(`ALTER TABLE account DROP COLUMN oidc_subject`);
    // Accounts without a password keep existing but stay unable to use one: '!' is no Argon2 hash,
    // and verifyPassword() answers a malformed hash with "no match".
    await q.query(`UPDATE account SET password_hash = '!' WHERE password_hash IS NULL`);
    await q.query(`ALTER TABLE account ALTER COLUMN password_hash SET NOT NULL`);
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The service role named by iop.service_role, quoted; null when none is named (see LeastPrivilege). */
async function serviceRoleOf(q: QueryRunner): Promise<string | null> {
  const [row] = (await q.query(`SELECT nullif(current_setting('iop.service_role', true), '') AS role`)) as Array<{ role: string | null }>;
  return row?.role ? `"${row.role.replace(/"/g, '""')}"` : null;
}

/**
 * Issue 16: the agreement as a document. agreement.document_text holds the free-text sections beside
 * the terms (bakgrund, värdegrund, organisation och samverkan, kunskapsinhämtning, uppsägning och
 * hävning); agreement_document keeps every rendered PDF, content-addressed by its SHA-256 and
 * append-only like audit_checkpoint: the service role may only add and read.
 */
export class AgreementDocuments1765990000000 implements MigrationInterface {
  name = 'AgreementDocuments1765990000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE agreement ADD COLUMN document_text jsonb NOT NULL DEFAULT '{}'::jsonb`);
    // How a session's person signed in, for the signature page of a signed agreement.
    await q.query(`ALTER TABLE session ADD COLUMN signed_in_with text`);
    await q.query(`
      CREATE TABLE agreement_document (
        hash text PRIMARY KEY CHECK (hash ~ '^[0-9a-f]{64}$'),
        bytes bytea NOT NULL,
        agreement_id uuid NOT NULL REFERENCES agreement(id) ON DELETE RESTRICT,
        signing_round integer NOT NULL,
        terms_row_version integer NOT NULL,
        kind text NOT NULL CHECK (kind IN ('draft', 'signed', 'amendment')),
        created_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX agreement_document_agreement ON agreement_document (agreement_id, signing_round, created_at)`);
    await q.query(`
      CREATE FUNCTION agreement_document_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '% är oföränderlig: % är inte tillåtet', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`CREATE TRIGGER agreement_document_no_update_delete BEFORE UPDATE OR DELETE ON agreement_document FOR EACH ROW EXECUTE FUNCTION agreement_document_is_append_only()`);
    await q.query(`CREATE TRIGGER agreement_document_no_truncate BEFORE TRUNCATE ON agreement_document FOR EACH STATEMENT EXECUTE FUNCTION agreement_document_is_append_only()`);
    await q.query(`REVOKE UPDATE, DELETE, TRUNCATE ON agreement_document FROM PUBLIC`);
    // The municipality's standard wording for the fixed sections: each change is the next version.
    await q.query(`
      CREATE TABLE document_template (
        section text NOT NULL CHECK (section IN ('values', 'termination')),
        version integer NOT NULL CHECK (version > 0),
        text text NOT NULL,
        created_by_person_id uuid REFERENCES person(id) ON DELETE RESTRICT,
        created_by_name text NOT NULL,
        created_at timestamptz NOT NULL,
        PRIMARY KEY (section, version)
      )`);
    await q.query(`CREATE TRIGGER document_template_no_update_delete BEFORE UPDATE OR DELETE ON document_template FOR EACH ROW EXECUTE FUNCTION agreement_document_is_append_only()`);
    await q.query(`REVOKE UPDATE, DELETE, TRUNCATE ON document_template FROM PUBLIC`);
    const app = await serviceRoleOf(q);
    if (app !== null) await q.query(`REVOKE UPDATE, DELETE, TRUNCATE ON agreement_document FROM ${app}`);
    if (app !== null) await q.query(`REVOKE UPDATE, DELETE, TRUNCATE ON document_template FROM ${app}`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE document_template`);
    await q.query(`DROP TABLE agreement_document`);
    await q.query(`DROP FUNCTION agreement_document_is_append_only()`);
    await q.query(`ALTER TABLE session DROP COLUMN signed_in_with`);
    await q.query(`ALTER TABLE agreement DROP COLUMN document_text`);
  }
}

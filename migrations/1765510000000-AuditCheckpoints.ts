import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The service role named by iop.service_role, quoted; null when none is named (see LeastPrivilege). */
async function serviceRoleOf(q: QueryRunner): Promise<string | null> {
  const [row] = (await q.query(`SELECT nullif(current_setting('iop.service_role', true), '') AS role`)) as Array<{ role: string | null }>;
  return row?.role ? `"${row.role.replace(/"/g, '""')}"` : null;
}

/**
 * Issue 12: tamper evidence that does not rest on the database alone.
 * audit_chain_head: each agreement's chain length and last hash, written with every append, so a
 * removed tail shows. audit_checkpoint: signed (Ed25519, key outside the database) snapshots of
 * every head, append-only like audit_event; each is also mailed out and downloadable.
 */
export class AuditCheckpoints1765510000000 implements MigrationInterface {
  name = 'AuditCheckpoints1765510000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE audit_chain_head (
        agreement_id uuid PRIMARY KEY REFERENCES agreement(id) ON DELETE RESTRICT,
        event_count integer NOT NULL CHECK (event_count > 0),
        last_hash text NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await q.query(`
      INSERT INTO audit_chain_head (agreement_id, event_count, last_hash, updated_at)
      SELECT DISTINCT ON (agreement_id) agreement_id, seq, hash, occurred_at FROM audit_event ORDER BY agreement_id, seq DESC`);
    await q.query(`
      CREATE TABLE audit_checkpoint (
        id bigserial PRIMARY KEY,
        created_at timestamptz NOT NULL,
        chain_count integer NOT NULL,
        event_count bigint NOT NULL,
        heads_digest text NOT NULL,
        -- [{agreementId, count, lastHash}] sorted by agreementId: what the signature covers, chain by chain.
        heads jsonb NOT NULL,
        previous_checkpoint_id bigint REFERENCES audit_checkpoint(id),
        previous_signature text,
        requested_by text NOT NULL,
        key_id text NOT NULL,
        signature text NOT NULL
      )`);
    await q.query(`
      CREATE FUNCTION audit_checkpoint_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_checkpoint är oföränderlig: % är inte tillåtet', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`CREATE TRIGGER audit_checkpoint_no_update_delete BEFORE UPDATE OR DELETE ON audit_checkpoint FOR EACH ROW EXECUTE FUNCTION audit_checkpoint_is_append_only()`);
    await q.query(`CREATE TRIGGER audit_checkpoint_no_truncate BEFORE TRUNCATE ON audit_checkpoint FOR EACH STATEMENT EXECUTE FUNCTION audit_checkpoint_is_append_only()`);
    await q.query(`REVOKE UPDATE, DELETE, TRUNCATE ON audit_checkpoint FROM PUBLIC`);
    const app = await serviceRoleOf(q);
    // Default privileges granted the service role everything ordinary; here it may only add and read.
    if (app !== null) await q.query(`REVOKE UPDATE, DELETE, TRUNCATE ON audit_checkpoint FROM ${app}`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit_checkpoint`);
    await q.query(`DROP FUNCTION audit_checkpoint_is_append_only()`);
    await q.query(`DROP TABLE audit_chain_head`);
  }
}

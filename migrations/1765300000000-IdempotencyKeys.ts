import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Idempotency-Key (API) and one-time form tokens (web): the first answer to a create, kept 24 h
 * per person and key so a retried or resubmitted request gets it again instead of creating twice.
 * `resource_*` is written in the create's own transaction, so a committed create is always found.
 */
export class IdempotencyKeys1765300000000 implements MigrationInterface {
  name = 'IdempotencyKeys1765300000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE idempotency_key (
        id bigserial PRIMARY KEY,
        person_key text NOT NULL,
        key text NOT NULL CHECK (length(key) BETWEEN 1 AND 200),
        fingerprint text NOT NULL,
        method text NOT NULL,
        path text NOT NULL,
        claim_token uuid NOT NULL,
        claimed_until timestamptz NOT NULL,
        resource_type text,
        resource_id text,
        status_code integer,
        response_body text,
        created_at timestamptz NOT NULL DEFAULT now(),
        completed_at timestamptz,
        CONSTRAINT idempotency_key_person_key_uq UNIQUE (person_key, key)
      )`);
    await q.query(`CREATE INDEX idempotency_key_created_idx ON idempotency_key (created_at)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE idempotency_key`);
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The notices a person has turned off (e-mail at a step of the workflow); every notice is on until
 * a row here says otherwise. Reminders about deadlines are not notices and cannot be turned off.
 * The service role gets SELECT, INSERT, UPDATE and DELETE through the default privileges the
 * least-privilege migration set up for every new table.
 */
export class NoticePreferences1766020000000 implements MigrationInterface {
  name = 'NoticePreferences1766020000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE notice_opt_out (
        person_id uuid NOT NULL REFERENCES person(id) ON DELETE CASCADE,
        kind text NOT NULL CHECK (kind ~ '^[a-z_]{1,64}$'),
        created_at timestamptz NOT NULL,
        PRIMARY KEY (person_id, kind)
      )`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE notice_opt_out`);
  }
}

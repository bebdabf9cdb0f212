import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Deadlines fall on midnights, so thousands of timers share one due instant.
 * The sweeper claims them in (due_at, id) order; with only due_at indexed each
 * claim re-sorted every timer of that instant.
 */
export class TimerClaimOrder1764300000000 implements MigrationInterface {
  name = 'TimerClaimOrder1764300000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX agreement_timer_due_idx`);
    await q.query(`CREATE INDEX agreement_timer_due_idx ON agreement_timer (due_at, id) WHERE fired_at IS NULL`);
    await q.query(`DROP INDEX agreement_reminder_due_idx`);
    await q.query(`CREATE INDEX agreement_reminder_due_idx ON agreement_reminder (send_at, id) WHERE decided_at IS NULL`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX agreement_reminder_due_idx`);
    await q.query(`CREATE INDEX agreement_reminder_due_idx ON agreement_reminder (send_at) WHERE decided_at IS NULL`);
    await q.query(`DROP INDEX agreement_timer_due_idx`);
    await q.query(`CREATE INDEX agreement_timer_due_idx ON agreement_timer (due_at) WHERE fired_at IS NULL`);
  }
}

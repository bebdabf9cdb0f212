/**
 * Issue 11: two instances started at the same moment on an empty database. Migrations run under a
 * PostgreSQL advisory lock, so one instance applies them and the other waits, then finds none pending.
 */
import { Client } from 'pg';
import { createTestDatabase, type TestDatabase } from '@test/support/database';
import { startServiceProcess, type ServiceProcess } from '@test/support/service-process';

jest.setTimeout(120_000);

describe('two instances starting together on an empty database', () => {
  let db: TestDatabase;
  const processes: ServiceProcess[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await Promise.all(processes.map((p) => p.kill('SIGKILL').catch(() => undefined)));
    await db?.drop();
  });

  it('both become healthy, each migration ran once, and neither logged an error', async () => {
    // allSettled: a failed start must not leave the other process running past afterAll.
    const results = await Promise.allSettled(
      ['instans A', 'instans B'].map((name) => startServiceProcess({ databaseUrl: db.appUrl, migrationDatabaseUrl: db.ownerUrl, name, logLevel: 'info', timerSweepIntervalMs: 0, startTimeoutMs: 110_000 })),
    );
    for (const r of results) if (r.status === 'fulfilled') processes.push(r.value);
    for (const r of results) if (r.status === 'rejected') throw r.reason;
    const started = processes.slice();
    for (const p of started) expect((await fetch(`${p.url}/health`)).status).toBe(200);

    const sql = new Client({ connectionString: db.url });
    await sql.connect();
    try {
      const duplicates = await sql.query(`SELECT name, count(*)::int AS n FROM migrations GROUP BY name HAVING count(*) > 1`);
      expect(duplicates.rows).toEqual([]);
      const total = (await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM migrations`)).rows[0].n;
      expect(total).toBeGreaterThan(0);

      // One instance ran them all; the other found nothing pending once it had the lock.
      const ranBy = started.map((p) =>
        p
          .logEntries()
          .filter((e) => e.msg === 'Migreringar körda')
          .flatMap((e) => (Array.isArray(e.migrations) ? e.migrations : [])),
      );
      expect(ranBy.map((names) => names.length).sort((a, b) => a - b)).toEqual([0, total]);
    } finally {
      await sql.end();
    }

    for (const p of started) {
      const errors = p.logEntries().filter((e) => e.level === 'error' || e.level === 'fatal');
      expect({ name: p.name, errors }).toEqual({ name: p.name, errors: [] });
      expect({ name: p.name, stderr: p.stderr() }).toEqual({ name: p.name, stderr: '' });
    }
    for (const p of started) {
      const exit = await p.kill('SIGTERM');
      expect(exit.code === 0 || exit.signal === 'SIGTERM').toBe(true);
    }
  });
});

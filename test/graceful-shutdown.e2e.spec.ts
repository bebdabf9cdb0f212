/**
 * A shutdown (SIGTERM: main.ts's shutdown hooks call app.close()) lets the deadline sweep and the
 * outbox send in progress finish against the database before the pool closes, and starts no new one.
 */
import { ShutdownState } from '@app/health/shutdown-state';
import { OutboxSenderService } from '@app/notifications/outbox-sender.service';
import { TimerScheduleService } from '@app/timers/timer-schedule.service';
import { TimerSweeperService } from '@app/timers/timer-sweeper.service';
import { createTestDatabase } from '@test/support/database';
import { startServiceProcess } from '@test/support/service-process';
import { startTestApp, type TestApp } from '@test/support/test-app';

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await delay(10);
  }
}

describe('graceful shutdown', () => {
  let t: TestApp;

  afterAll(async () => {
    await t?.db.drop();
  });

  it('finishes the sweep and the send in flight, then closes', async () => {
    // The outbox on a short interval; the deadline loop is driven by hand below.
    t = await startTestApp({ env: { OUTBOX_SEND_INTERVAL_MS: '20' } });
    const events: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));

    const sweeper = t.started.app.get(TimerSweeperService);
    const sweep = sweeper.fireDue.bind(sweeper);
    jest.spyOn(sweeper, 'fireDue').mockImplementation(async (...args) => {
      events.push('sweep started');
      await gate;
      const result = await sweep(...args); // real queries, while the app is closing
      events.push('sweep finished');
      return result;
    });
    const sender = t.started.app.get(OutboxSenderService);
    const send = sender.deliverDue.bind(sender);
    let sends = 0;
    jest.spyOn(sender, 'deliverDue').mockImplementation(async (...args) => {
      sends += 1;
      if (sends > 1) return send(...args);
      events.push('send started');
      await gate;
      const result = await send(...args);
      events.push('send finished');
      return result;
    });

    // What main.ts does first on SIGTERM: the probes say so, while requests are still answered.
    t.started.app.get(ShutdownState).begin();
    expect((await t.http().get('/health').expect(503)).body).toMatchObject({ status: 'fel', database: 'ok', reason: expect.stringMatching(/^Tjänsten stängs/) });
    expect((await t.http().get('/health/ready').expect(503)).body.reasons).toContain('Tjänsten stängs: skicka inga fler begäranden hit.');
    await t.admin().get('/accounts').expect(200);

    const round = t.started.app.get(TimerScheduleService).timers.tick();
    await until(() => events.includes('sweep started') && events.includes('send started'));
    const closing = t.started.app.close().then(() => events.push('closed'));
    await delay(300);
    expect(events).not.toContain('closed');

    release();
    await closing;
    await round;
    expect(events.indexOf('closed')).toBe(events.length - 1);
    expect(events.slice(0, -1).sort()).toEqual(['send finished', 'send started', 'sweep finished', 'sweep started']);
    // Nothing new started once closing began.
    expect(sends).toBe(1);
    await t.started.app.get(TimerScheduleService).timers.tick();
    expect(events.filter((event) => event === 'sweep started')).toHaveLength(1);
  });
});

describe('SIGTERM to the service process', () => {
  it('answers 503 on /health for SHUTDOWN_DRAIN_MS, then exits', async () => {
    const db = await createTestDatabase();
    try {
      const service = await startServiceProcess({ databaseUrl: db.appUrl, migrationDatabaseUrl: db.ownerUrl, env: { SHUTDOWN_DRAIN_MS: '1500' } });
      const signalled = Date.now();
      const exit = service.kill('SIGTERM');
      await delay(300);
      expect((await fetch(`${service.url}/health`)).status).toBe(503);
      expect(service.exited).toBe(false);
      const result = await exit;
      expect(Date.now() - signalled).toBeGreaterThanOrEqual(1500);
      expect(result.code === 0 || result.signal === 'SIGTERM').toBe(true);
    } finally {
      await db.drop();
    }
  });
});

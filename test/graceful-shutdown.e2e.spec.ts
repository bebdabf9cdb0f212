/**
 * A shutdown (SIGTERM: main.ts's shutdown hooks call app.close()) lets the deadline sweep and the
 * outbox send in progress finish against the database before the pool closes, and starts no new one.
 */
import { OutboxSenderService } from '@app/notifications/outbox-sender.service';
import { TimerScheduleService } from '@app/timers/timer-schedule.service';
import { TimerSweeperService } from '@app/timers/timer-sweeper.service';
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

import { ShutdownState } from '@app/health/shutdown-state';
import { WorkLoop } from './work-loop';

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('WorkLoop', () => {
  it('runs one round at a time, and stop() waits for the round in progress', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const events: string[] = [];
    const loop = new WorkLoop(async () => {
      events.push('start');
      await gate;
      events.push('end');
    });
    const first = loop.tick();
    await loop.tick(); // while the first runs: not started twice
    expect(events).toEqual(['start']);
    const stopped = loop.stop().then(() => events.push('stopped'));
    await delay(10);
    expect(events).toEqual(['start']);
    release();
    await Promise.all([first, stopped]);
    expect(events).toEqual(['start', 'end', 'stopped']);
    await loop.tick();
    expect(events).toEqual(['start', 'end', 'stopped']);
  });

  it('is halted, with every other registered loop, when the app begins closing', async () => {
    const shutdown = new ShutdownState();
    const rounds = { a: 0, b: 0 };
    const a = new WorkLoop(async () => void (rounds.a += 1));
    const b = new WorkLoop(async () => void (rounds.b += 1));
    shutdown.register(a, b);
    a.start(5);
    b.start(5);
    await delay(30);
    expect(rounds.a).toBeGreaterThan(0);
    expect(rounds.b).toBeGreaterThan(0);
    // Draining (a signal arrived) lets the loops go on; closing stops them all at once.
    shutdown.begin();
    const before = { ...rounds };
    await delay(30);
    expect(rounds.a).toBeGreaterThan(before.a);
    shutdown.closing();
    const halted = { ...rounds };
    await delay(30);
    await a.tick();
    await b.tick();
    expect(rounds).toEqual(halted);
  });
});

import { BoundedWork } from './bounded-work';

/** A piece of work that finishes when told to. */
function gate(): { promise: Promise<string>; open: (value: string) => void } {
  let open!: (value: string) => void;
  const promise = new Promise<string>((resolve) => (open = resolve));
  return { promise, open };
}

const options = { concurrency: 2, queueSize: 1, busyMessage: 'Upptaget, försök igen.', retryAfterSeconds: 7 };

describe('BoundedWork', () => {
  it('runs at most `concurrency` at once, queues `queueSize` more and refuses the next with 503 words and Retry-After', async () => {
    const work = new BoundedWork(options);
    const gates = [gate(), gate(), gate()];
    let started = 0;
    const results = gates.map((g) => work.run(() => ((started += 1), g.promise)));
    await Promise.resolve();
    expect(started).toBe(2);
    expect(work.load).toEqual({ running: 2, waiting: 1 });
    await expect(work.run(() => Promise.resolve('för många'))).rejects.toMatchObject({ code: 'busy', message: 'Upptaget, försök igen.', details: { retryAfterSeconds: 7 } });
    gates[0].open('ett');
    await expect(results[0]).resolves.toBe('ett');
    // The freed slot went to the one waiting.
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toBe(3);
    gates[1].open('två');
    gates[2].open('tre');
    await expect(Promise.all(results)).resolves.toEqual(['ett', 'två', 'tre']);
    expect(work.load).toEqual({ running: 0, waiting: 0 });
  });

  it('shares one piece of work between requests for the same key while it runs, and makes it again afterwards', async () => {
    const work = new BoundedWork(options);
    const g = gate();
    let made = 0;
    const make = () => ((made += 1), g.promise);
    const first = work.run(make, '2021');
    const second = work.run(make, '2021');
    expect(second).toBe(first);
    g.open('rapport');
    await expect(second).resolves.toBe('rapport');
    await new Promise((resolve) => setImmediate(resolve));
    await work.run(() => ((made += 1), Promise.resolve('ny')), '2021');
    expect(made).toBe(2);
  });

  it('frees the slot when the work fails, and every sharer sees the failure', async () => {
    const work = new BoundedWork({ ...options, concurrency: 1, queueSize: 0 });
    const failing = work.run(() => Promise.reject(new Error('trasig')), 'x');
    const sharer = work.run(() => Promise.resolve('aldrig'), 'x');
    await expect(failing).rejects.toThrow('trasig');
    await expect(sharer).rejects.toThrow('trasig');
    await expect(work.run(() => Promise.resolve('sedan'))).resolves.toBe('sedan');
  });
});

/**
 * Closed-loop load driver shared by the main thread (engine, raw) and the HTTP worker.
 * Only Node built-ins here: the worker loads this file without the Nest app.
 */
import { performance } from 'node:perf_hooks';

export interface DriveResult {
  /** Latency (ms) of each transition that completed inside the measured window. */
  latencies: Float64Array;
  /** Length of the measured window (ms). */
  windowMs: number;
}

/** Client c owns agreements [from, to) of the shared index space, so no two clients ever race on a row. */
export type Slice = [from: number, to: number];

export function slicesFor(count: number, concurrency: number): Slice[] {
  return Array.from({ length: concurrency }, (_, c): Slice => [Math.floor((c * count) / concurrency), Math.floor(((c + 1) * count) / concurrency)]);
}

/**
 * `concurrency` clients, each issuing one transition after the other on a random agreement of its
 * own slice, for warm-up + measured time. A transition counts if it completes inside the measured
 * window. `op` gets the agreement's index and must flip its state on success.
 */
export async function drive(slices: Slice[], warmupMs: number, measureMs: number, op: (index: number) => Promise<void>): Promise<DriveResult> {
  let latencies = new Float64Array(1 << 16);
  let n = 0;
  const start = performance.now();
  const measureFrom = start + warmupMs;
  const stopAt = measureFrom + measureMs;
  const client = async ([from, to]: Slice): Promise<void> => {
    if (to <= from) throw new Error('Tom del: fler klienter än överenskommelser');
    while (performance.now() < stopAt) {
      const index = from + Math.floor(Math.random() * (to - from));
      const t0 = performance.now();
      await op(index);
      const t1 = performance.now();
      if (t1 >= measureFrom && t1 <= stopAt) {
        if (n === latencies.length) {
          const grown = new Float64Array(latencies.length * 2);
          grown.set(latencies);
          latencies = grown;
        }
        latencies[n++] = t1 - t0;
      }
    }
  };
  await Promise.all(slices.map(client));
  return { latencies: latencies.slice(0, n), windowMs: measureMs };
}

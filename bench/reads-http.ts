/**
 * GET requests for the read benchmark: keep-alive, a timeout per request, the body counted and
 * dropped (a 100,000-row list must not be held by the load generator), and every outcome kept as
 * a status: the HTTP code, 'timeout', or the socket error's code. Only Node built-ins here.
 */
import * as http from 'node:http';
import { performance } from 'node:perf_hooks';

export interface Outcome {
  /** HTTP status, or 'timeout', or an error code such as ECONNRESET. */
  status: number | string;
  ms: number;
  bytes: number;
  headers: http.IncomingHttpHeaders;
  /** The first 300 characters of the body, for error messages. */
  head: string;
}

export interface Target {
  baseUrl: string;
  path: string;
  headers: Record<string, string>;
}

export function get(agent: http.Agent, target: Target, timeoutMs: number): Promise<Outcome> {
  const url = new URL(target.path, target.baseUrl);
  const t0 = performance.now();
  return new Promise((resolve) => {
    let settled = false;
    let bytes = 0;
    let head = '';
    const done = (status: number | string, headers: http.IncomingHttpHeaders = {}): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ status, ms: performance.now() - t0, bytes, headers, head });
    };
    const req = http.request({ agent, host: url.hostname, port: url.port, method: 'GET', path: `${url.pathname}${url.search}`, headers: target.headers }, (res) => {
      res.on('data', (chunk: Buffer) => {
        if (head.length < 300) head += chunk.toString('utf8', 0, Math.min(chunk.length, 300 - head.length));
        bytes += chunk.length;
      });
      res.on('end', () => done(res.statusCode ?? 0, res.headers));
      res.on('error', (error: NodeJS.ErrnoException) => done(error.code ?? 'error'));
    });
    const timer = setTimeout(() => {
      done('timeout');
      req.destroy();
    }, timeoutMs);
    req.on('error', (error: NodeJS.ErrnoException) => done(error.code ?? 'error'));
    req.end();
  });
}

export interface LevelResult {
  clients: number;
  /** Latency of every request that finished in the window (a timeout counts as its timeout). */
  latencies: number[];
  statuses: Map<string, number>;
  /** Requests that did not give the expected status (timeouts included). */
  errors: number;
  bytes: number;
  windowMs: number;
  firstError: string | null;
}

/**
 * `clients` closed-loop clients, each issuing one request after the other for `windowMs`; each
 * issues at least `minPerClient` (so a slow endpoint still gives a sample per client), and no more
 * than `maxRequests` are issued in all.
 */
export async function runLevel(
  agent: http.Agent,
  target: Target,
  options: { clients: number; windowMs: number; minPerClient: number; maxRequests: number; timeoutMs: number; expect: number[] },
): Promise<LevelResult> {
  const result: LevelResult = { clients: options.clients, latencies: [], statuses: new Map(), errors: 0, bytes: 0, windowMs: 0, firstError: null };
  const start = performance.now();
  const stopAt = start + options.windowMs;
  let issued = 0;
  const client = async (): Promise<void> => {
    for (let mine = 0; (performance.now() < stopAt || mine < options.minPerClient) && issued < options.maxRequests; mine++) {
      issued++;
      const o = await get(agent, target, options.timeoutMs);
      result.latencies.push(o.status === 'timeout' ? Number.POSITIVE_INFINITY : o.ms);
      const key = String(o.status);
      result.statuses.set(key, (result.statuses.get(key) ?? 0) + 1);
      result.bytes += o.bytes;
      if (typeof o.status !== 'number' || !options.expect.includes(o.status)) {
        result.errors++;
        result.firstError ??= `${o.status}: ${o.head.replace(/\s+/g, ' ').slice(0, 200)}`;
      }
    }
  };
  await Promise.all(Array.from({ length: options.clients }, client));
  result.windowMs = performance.now() - start;
  return result;
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

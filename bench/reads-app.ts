/**
 * The service under the read benchmark: built with tsc into a fresh directory under dist/ and run
 * as its own Node process (`node -r tsconfig-paths/register …/src/main.js`, as `npm run start:prod`),
 * so its RSS is the service's alone: no ts-node, no load generator, no seeding app in it.
 * Only Node built-ins and pg here.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { freePort } from '@test/support/service-process';

const ROOT = path.resolve(__dirname, '..');
const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** tsc -p tsconfig.build.json into dist/bench-reads-<random> (inside the repository, so node_modules resolve). */
export async function buildService(): Promise<{ dir: string; ms: number; remove(): Promise<void> }> {
  const dir = path.join(ROOT, 'dist', `bench-reads-${randomBytes(4).toString('hex')}`);
  const t0 = performance.now();
  await promisify(execFile)(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--outDir', dir, '--sourceMap', 'false'], { cwd: ROOT, maxBuffer: 16 * 2 ** 20 });
  return { dir, ms: performance.now() - t0, remove: () => fs.rm(dir, { recursive: true, force: true }) };
}

export interface ProcMemory {
  rssMb: number;
  hwmMb: number;
}

export async function procMemory(pid: number): Promise<ProcMemory | null> {
  try {
    const status = await fs.readFile(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string): number => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
    return { rssMb: kb('VmRSS') / 1024, hwmMb: kb('VmHWM') / 1024 };
  } catch {
    return null;
  }
}

/** CPU seconds (user + system) of one process, from /proc; NaN once it is gone. */
export async function procCpuSeconds(pid: number): Promise<number> {
  try {
    const stat = await fs.readFile(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

export interface RssWindow {
  peakMb: number;
  startMb: number;
}

export interface ServiceHandle {
  pid: number;
  url: string;
  exited: { code: number | null; signal: NodeJS.Signals | null } | null;
  stderrTail(): string;
  /** Peak RSS sampled every 100 ms over the process's life, and the kernel's VmHWM at the last sample. */
  peakMb(): number;
  /** A window over the samples (e.g. one endpoint); close it with endWindow. */
  beginWindow(): RssWindow;
  endWindow(window: RssWindow): void;
  /** Waits until the service is idle: no active statement of its own and < 5 % CPU over 500 ms. */
  quiet(maxMs: number, dbUrl: string): Promise<boolean>;
  stop(): Promise<void>;
}

export interface ServiceOptions {
  distDir: string;
  databaseUrl: string;
  env?: Record<string, string>;
}

export async function startService(options: ServiceOptions): Promise<ServiceHandle> {
  const port = await freePort();
  const inherited: Record<string, string> = {};
  for (const key of ['PATH', 'HOME', 'TMPDIR', 'TZ', 'LANG']) {
    const value = process.env[key];
    if (value !== undefined) inherited[key] = value;
  }
  const env: NodeJS.ProcessEnv = {
    ...inherited,
    TS_NODE_PROJECT: path.join(ROOT, 'tsconfig.json'),
    TS_NODE_BASEURL: options.distDir,
    DATABASE_URL: options.databaseUrl,
    MIGRATION_DATABASE_URL: options.databaseUrl,
    // The benchmark's throwaway database is owned by a superuser; the role check is not what it measures.
    ALLOW_PRIVILEGED_DATABASE_ROLE: 'on',
    PORT: String(port),
    LOG_LEVEL: 'error',
    TIMER_SWEEP_INTERVAL_MS: '0',
    OUTBOX_SEND_INTERVAL_MS: '0',
    AUDIT_CHECKPOINT_INTERVAL_HOURS: '0',
    AUDIT_VERIFY_HOUR: 'off',
    RETENTION_INTERVAL_MS: '0',
    DEMO_DATA: 'off',
    TRUST_ACTOR_HEADER: 'on',
    NODE_ENV: 'production',
    ...(options.env ?? {}),
  };
  const child: ChildProcess = spawn(process.execPath, ['-r', 'tsconfig-paths/register', path.join(options.distDir, 'src', 'main.js')], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
  if (child.pid === undefined) throw new Error('Tjänsten startade inte');
  const pid = child.pid;
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-20_000);
  });
  let exited: ServiceHandle['exited'] = null;
  const exitedPromise = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exited = { code, signal };
      resolve();
    }),
  );

  let peak = 0;
  const windows = new Set<RssWindow>();
  let last: ProcMemory | null = null;
  const sample = async (): Promise<void> => {
    const m = await procMemory(pid);
    if (!m) return;
    last = m;
    peak = Math.max(peak, m.rssMb, Number.isNaN(m.hwmMb) ? 0 : m.hwmMb);
    for (const w of windows) w.peakMb = Math.max(w.peakMb, m.rssMb);
  };
  const sampler = setInterval(() => void sample(), 100);
  sampler.unref();

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (exited) throw new Error(`Tjänsten avslutades under starten (${JSON.stringify(exited)}):\n${stderr.slice(-4000)}`);
    try {
      const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2000) });
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`Tjänsten svarade inte på /health inom 90 s:\n${stderr.slice(-4000)}`);
    }
    await delay(100);
  }

  const handle: ServiceHandle = {
    pid,
    url,
    get exited() {
      return exited;
    },
    stderrTail: () => stderr.slice(-2000),
    peakMb: () => peak,
    beginWindow() {
      const w: RssWindow = { peakMb: last?.rssMb ?? 0, startMb: last?.rssMb ?? 0 };
      windows.add(w);
      return w;
    },
    endWindow(w) {
      windows.delete(w);
    },
    async quiet(maxMs, dbUrl) {
      const until = performance.now() + maxMs;
      const db = new Client({ connectionString: dbUrl, application_name: 'reads-bench-watch' });
      await db.connect();
      try {
        for (;;) {
          if (exited) return true;
          const c0 = await procCpuSeconds(pid);
          await delay(500);
          const c1 = await procCpuSeconds(pid);
          const { rows } = await db.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'iop-lifecycle-engine' AND state <> 'idle'`,
          );
          if (rows[0].n === 0 && c1 - c0 < 0.025) return true;
          if (performance.now() > until) return false;
        }
      } finally {
        await db.end();
      }
    },
    async stop() {
      await sample();
      clearInterval(sampler);
      if (exited) return;
      child.kill('SIGTERM');
      const timedOut = await Promise.race([exitedPromise.then(() => false), delay(15_000).then(() => true)]);
      if (timedOut) {
        child.kill('SIGKILL');
        await exitedPromise;
      }
    },
  };
  return handle;
}

/**
 * The real service as a separate OS process (`src/main.ts` under ts-node, transpile only), for
 * tests where several instances share one database or one is killed mid-work. An empty database
 * is fine: instances starting together take turns at the migrations (an advisory lock, see
 * src/database/data-source.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as net from 'node:net';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
/** Node's own output limit for what we keep of a process's stdout/stderr (the tail is what matters). */
const KEEP_OUTPUT_CHARS = 200_000;

export interface ServiceProcessOptions {
  /** postgres:// URL of the database (migrated or empty). */
  databaseUrl: string;
  /** The owner role for migrations (MIGRATION_DATABASE_URL); default databaseUrl. */
  migrationDatabaseUrl?: string;
  /** Default: a free port picked just before the start. */
  port?: number;
  /** Default 'warn'. 'info' makes the sweeper log what each round fired. */
  logLevel?: 'error' | 'warn' | 'info' | 'debug';
  /** Default 50. */
  timerSweepIntervalMs?: number;
  /** Default: now. Only honoured by the service together with demo data (see src/demo/demo-seeder.service.ts). */
  clockStart?: string;
  /** Extra environment (e.g. OUTBOX_SEND_INTERVAL_MS). */
  env?: Record<string, string>;
  /** Bound on the wait for /health; default 60 s. */
  startTimeoutMs?: number;
  /** A label for error messages and log attribution. */
  name?: string;
}

export interface ServiceProcess {
  readonly name: string;
  readonly pid: number;
  readonly port: number;
  /** http://127.0.0.1:<port> */
  readonly url: string;
  /** stdout so far (JSON lines from src/logging/json-logger.ts). */
  stdout(): string;
  stderr(): string;
  /** stdout lines parsed as JSON (other lines skipped). */
  logEntries(): Array<Record<string, unknown>>;
  /** True once the process has exited. */
  readonly exited: boolean;
  /** Sends a signal; resolves when the process has exited (bounded; SIGKILL after timeoutMs). */
  kill(signal?: NodeJS.Signals, timeoutMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** A port nothing listens on right now (the service's PORT must be 1–65535, so 0 is not an option). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Starts `src/main.ts` in its own process and resolves once GET /health answers 200. */
export async function startServiceProcess(options: ServiceProcessOptions): Promise<ServiceProcess> {
  const port = options.port ?? (await freePort());
  const name = options.name ?? `service:${port}`;
  // Only what node needs from the parent; the service reads everything else from what we pass.
  const inherited: Record<string, string> = {};
  for (const key of ['PATH', 'HOME', 'TMPDIR', 'TZ', 'LANG']) {
    const value = process.env[key];
    if (value !== undefined) inherited[key] = value;
  }
  const env: NodeJS.ProcessEnv = {
    ...inherited,
    TS_NODE_TRANSPILE_ONLY: '1',
    TS_NODE_PROJECT: path.join(ROOT, 'tsconfig.json'),
    DATABASE_URL: options.databaseUrl,
    MIGRATION_DATABASE_URL: options.migrationDatabaseUrl ?? options.databaseUrl,
    AUDIT_CHECKPOINT_INTERVAL_HOURS: '0',
    AUDIT_VERIFY_HOUR: 'off',
    PORT: String(port),
    LOG_LEVEL: options.logLevel ?? 'warn',
    TIMER_SWEEP_INTERVAL_MS: String(options.timerSweepIntervalMs ?? 50),
    OUTBOX_SEND_INTERVAL_MS: '0',
    CLOCK_START: options.clockStart ?? new Date().toISOString(),
    DEMO_DATA: 'off',
    // Tests act as named people through x-person-id, as in the in-process test app.
    TRUST_ACTOR_HEADER: 'on',
    ...(options.env ?? {}),
  };
  const child: ChildProcess = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'src/main.ts'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error(`${name}: kunde inte starta node`);
  const pid = child.pid;

  let out = '';
  let err = '';
  const keep = (s: string, chunk: Buffer): string => {
    const next = s + chunk.toString('utf8');
    return next.length > KEEP_OUTPUT_CHARS ? next.slice(next.length - KEEP_OUTPUT_CHARS) : next;
  };
  child.stdout?.on('data', (chunk: Buffer) => {
    out = keep(out, chunk);
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    err = keep(err, chunk);
  });
  let exitInfo: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      exitInfo = { code, signal };
      resolve(exitInfo);
    });
  });

  const url = `http://127.0.0.1:${port}`;
  const handle: ServiceProcess = {
    name,
    pid,
    port,
    url,
    stdout: () => out,
    stderr: () => err,
    logEntries: () =>
      out
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .flatMap((line) => {
          try {
            return [JSON.parse(line) as Record<string, unknown>];
          } catch {
            return [];
          }
        }),
    get exited() {
      return exitInfo !== null;
    },
    async kill(signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 15_000) {
      if (exitInfo) return exitInfo;
      child.kill(signal);
      const timer = delay(timeoutMs).then(() => null);
      const result = await Promise.race([exited, timer]);
      if (result) return result;
      child.kill('SIGKILL');
      return exited;
    },
  };

  const deadline = Date.now() + (options.startTimeoutMs ?? 60_000);
  for (;;) {
    if (exitInfo) {
      throw new Error(`${name} avslutades under starten (${JSON.stringify(exitInfo)}):\n${err.slice(-4000)}\n${out.slice(-4000)}`);
    }
    try {
      const response = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2000) });
      if (response.status === 200) return handle;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await handle.kill('SIGKILL');
      throw new Error(`${name} svarade inte på /health inom ${options.startTimeoutMs ?? 60_000} ms:\n${err.slice(-4000)}\n${out.slice(-4000)}`);
    }
    await delay(100);
  }
}

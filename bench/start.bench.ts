/**
 * Start-up time (issue 14: "warm start < 2 s with compiled JavaScript"): from spawning the
 * service's process to its first 200 on GET /health, against a database of its own on
 * DATABASE_URL's server (or an embedded one).
 *
 * - compiled, cold: the first start on an empty database (it runs every migration);
 * - compiled, warm: BENCH_START_RUNS (5) more starts on that database (nothing to migrate), as a
 *   restarted or added instance starts; `npm run start:prod`'s command line;
 * - ts-node, warm: the same with `npm start`'s command line (TypeScript compiled at start), for comparison.
 *
 * The service's RSS just after /health answered is recorded with each start. No demo data, no sweeps.
 * Results: bench/RESULTS.md, section "## Start".
 */
import { spawn } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { freePort } from '@test/support/service-process';
import { cpuMark, otherCpus } from './cpu';
import { openDatabase } from './engine.bench';
import { buildService, procMemory } from './reads-app';
import { benchLog, f0, writeResultsSection } from './report';

const ROOT = path.resolve(__dirname, '..');
const RUNS = Number(process.env.BENCH_START_RUNS ?? 5);
const RESULTS = process.env.BENCH_RESULTS ?? path.join(__dirname, 'RESULTS.md');
const TARGET_MS = 2000;
const log = benchLog('start');

interface StartRun {
  ms: number;
  rssMb: number;
}

/** Spawns the service, polls /health every 20 ms, stops it once it answered 200. */
async function timeStart(args: string[], env: NodeJS.ProcessEnv): Promise<StartRun> {
  const port = await freePort();
  const t0 = performance.now();
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...env, PORT: String(port) }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString('utf8')).slice(-8000)));
  let exited = false;
  const gone = new Promise<void>((resolve) => child.once('exit', () => ((exited = true), resolve())));
  try {
    for (;;) {
      if (exited) throw new Error(`Tjänsten avslutades under starten:\n${stderr}`);
      if (performance.now() - t0 > 120_000) throw new Error(`Ingen /health inom 120 s:\n${stderr}`);
      const ok = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(1000) }).then(
        (r) => r.status === 200,
        () => false,
      );
      if (ok) {
        const ms = performance.now() - t0;
        const memory = child.pid ? await procMemory(child.pid) : null;
        return { ms, rssMb: memory?.rssMb ?? Number.NaN };
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  } finally {
    child.kill('SIGTERM');
    await Promise.race([gone, new Promise((resolve) => setTimeout(resolve, 10_000))]);
    if (!exited) child.kill('SIGKILL');
  }
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const startedAt = new Date();
  const db = await openDatabase();
  const build = await buildService();
  log(`byggd på ${f0(build.ms)} ms`);
  try {
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      TS_NODE_PROJECT: path.join(ROOT, 'tsconfig.json'),
      DATABASE_URL: db.url,
      MIGRATION_DATABASE_URL: db.url,
      ALLOW_PRIVILEGED_DATABASE_ROLE: 'on',
      LOG_LEVEL: 'error',
      TIMER_SWEEP_INTERVAL_MS: '0',
      OUTBOX_SEND_INTERVAL_MS: '0',
      AUDIT_CHECKPOINT_INTERVAL_HOURS: '0',
      RETENTION_INTERVAL_MS: '0',
      DEMO_DATA: 'off',
      NODE_ENV: 'production',
    };
    const compiled = ['-r', 'tsconfig-paths/register', path.join(build.dir, 'src', 'main.js')];
    const compiledEnv = { ...env, TS_NODE_BASEURL: build.dir };
    const tsNode = ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', path.join(ROOT, 'src', 'main.ts')];
    const before = await cpuMark();
    const load0 = os.loadavg()[0];
    const cold = await timeStart(compiled, compiledEnv);
    log(`kall start (migreringar): ${f0(cold.ms)} ms`);
    const warm: StartRun[] = [];
    for (let i = 0; i < RUNS; i++) warm.push(await timeStart(compiled, compiledEnv));
    log(`varm start, kompilerad: ${warm.map((r) => f0(r.ms)).join(', ')} ms`);
    const ts: StartRun[] = [];
    for (let i = 0; i < Math.min(3, RUNS); i++) ts.push(await timeStart(tsNode, env));
    log(`varm start, ts-node: ${ts.map((r) => f0(r.ms)).join(', ')} ms`);
    const after = await cpuMark();
    const load1 = os.loadavg()[0];
    const warmMedian = median(warm.map((r) => r.ms));
    const warmMax = Math.max(...warm.map((r) => r.ms));
    const row = (name: string, runs: StartRun[]) =>
      `| ${name} | ${runs.length} | ${f0(median(runs.map((r) => r.ms)))} ms | ${f0(Math.max(...runs.map((r) => r.ms)))} ms | ${runs.map((r) => f0(r.ms)).join(', ')} | ${f0(median(runs.map((r) => r.rssMb)))} MB |`;
    const section = `## Start

Written by \`bench/start.bench.ts\` (\`npm run bench:start\`) on ${startedAt.toISOString()} (issue 14). Command: \`DATABASE_URL=… npm run bench:start\`.
Node ${process.version}; the service built with tsc (${f0(build.ms)} ms, not counted); time from spawning the process to its first 200 on \`GET /health\` (polled every 20 ms), its RSS then. No demo data, no sweeps; a database of its own.
Other load: 1-minute load average ${load0.toFixed(2)} → ${load1.toFixed(2)}; other processes used ${otherCpus(before, after).toFixed(2)} of 2 CPUs during the starts.

| start | runs | median | max | each | RSS after start |
|---|---:|---:|---:|---|---:|
${row('compiled, cold (empty database: every migration)', [cold])}
${row('compiled, warm (`npm run start:prod`)', warm)}
${row('ts-node, warm (`npm start`)', ts)}

Target: warm start < ${f0(TARGET_MS)} ms with compiled JavaScript — median ${f0(warmMedian)} ms, max ${f0(warmMax)} ms: **${warmMax < TARGET_MS ? 'met' : 'not met'}**.
`;
    process.stdout.write(section);
    if (await writeResultsSection(RESULTS, '## Start', section)) log(`skrev ${RESULTS}`);
  } finally {
    await build.remove();
    await db.drop();
    await db.embedded?.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});

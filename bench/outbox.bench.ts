/**
 * Outbox delivery benchmark (not a jest test): `npm run bench:outbox`.
 *
 * N messages (default 2,000, with text, HTML and a deadline.ics each) are delivered to a local
 * SMTP sink (smtp-server in a worker thread, so it does not take the sender's main thread) two ways,
 * taking turns for several rounds:
 *   outbox  rows written with enqueueMessage, then OutboxSenderService.deliverDue(): claim small
 *           batches (FOR UPDATE SKIP LOCKED, committed at once, rows 'sending' under a lease), send
 *           each batch concurrently over the pooled transport, record each outcome in its own
 *           short transaction
 *   direct  nodemailer's own pooled transport (same options and pool size, built by the same
 *           smtpPoolOptions()), Promise.all over sendMail for the same messages — the ceiling
 * Prints messages/s for both and the ratio (target ≥ 0.8), and writes the section
 * "## Outbox delivery" of bench/RESULTS.md (replacing its own earlier section, keeping the rest).
 *
 * Environment: DATABASE_URL (else an embedded PostgreSQL in a temp dir), BENCH_OUTBOX_MESSAGES
 * (2000), BENCH_OUTBOX_ROUNDS (3), BENCH_OUTBOX_POOL (5, SMTP connections for both paths),
 * BENCH_OUTBOX_LANES (outbox batches in flight; default the service's), BENCH_OUTBOX_BATCH (rows
 * per batch; default the service's), BENCH_RESULTS (bench/RESULTS.md; "-" to not write).
 */
import 'reflect-metadata';
import { execSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import nodemailer, { type Transporter } from 'nodemailer';
import type { StartedApp } from '@app/bootstrap';
import { AppConfig } from '@app/config/app-config';
import { ICS_CONTENT_TYPE, ICS_FILENAME, senderDomain, smtpPoolOptions } from '@app/notifications/mail.transport';
import { BATCH_PER_CONNECTION, DEFAULT_LANES, OutboxSenderService } from '@app/notifications/outbox-sender.service';
import { enqueueMessage, messageIdFor, type OutgoingMessage } from '@app/notifications/outbox.repository';
import type SMTPPool from 'nodemailer/lib/smtp-pool';
import { DataSource } from 'typeorm';
import { openDatabase } from './engine.bench';
import { benchLog, f0, f2, writeResultsSection } from './report';
import { startQuietApp } from './app';

const num = (name: string, fallback: number): number => {
  const raw = process.env[name];
  const value = raw === undefined || raw.trim() === '' ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} ska vara ett positivt heltal, fick ${raw}`);
  return value;
};

const MESSAGES = num('BENCH_OUTBOX_MESSAGES', 2000);
const ROUNDS = num('BENCH_OUTBOX_ROUNDS', 3);
const POOL = num('BENCH_OUTBOX_POOL', 5);
const LANES = num('BENCH_OUTBOX_LANES', DEFAULT_LANES);
const BATCH = num('BENCH_OUTBOX_BATCH', BATCH_PER_CONNECTION * POOL);
const WARMUP = 200;
const RESULTS_FILE = process.env.BENCH_RESULTS ?? path.join(__dirname, 'RESULTS.md');
const HEADING = '## Outbox delivery';

const log = benchLog('bench:outbox');

// --- SMTP sink in a worker thread ---------------------------------------------------------------

interface SinkStats {
  messages: number;
  bytes: number;
  /** Message-IDs seen more than once. */
  duplicates: number;
}

const SINK_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { SMTPServer } = require(workerData.smtpServer);
const seen = new Set();
let messages = 0, bytes = 0, duplicates = 0;
const server = new SMTPServer({
  authOptional: true, disabledCommands: ['STARTTLS'], logger: false, closeTimeout: 100, maxClients: 1000,
  onData(stream, session, callback) {
    let head = '';
    stream.on('data', (chunk) => { bytes += chunk.length; if (head.length < 4096) head += chunk.toString('latin1'); });
    stream.on('end', () => {
      const id = /^Message-ID:\\s*(\\S+)/im.exec(head);
      if (id) { if (seen.has(id[1])) duplicates++; else seen.add(id[1]); }
      messages++;
      callback();
    });
  },
});
// Replies without waiting for Nagle (as the sender's sockets do), so the sink is not the bottleneck.
server.server.prependListener('connection', (socket) => socket.setNoDelay(true));
server.listen(0, '127.0.0.1', () => parentPort.postMessage({ type: 'listening', port: server.server.address().port }));
parentPort.on('message', (m) => {
  if (m === 'stats') parentPort.postMessage({ type: 'stats', messages, bytes, duplicates });
  if (m === 'close') server.close(() => parentPort.postMessage({ type: 'closed' }));
});
`;

interface Sink {
  port: number;
  stats(): Promise<SinkStats>;
  close(): Promise<void>;
}

async function startSink(): Promise<Sink> {
  const worker = new Worker(SINK_SOURCE, { eval: true, workerData: { smtpServer: require.resolve('smtp-server') } });
  const next = (type: string): Promise<Record<string, number>> =>
    new Promise((resolve, reject) => {
      const onMessage = (m: { type: string } & Record<string, number>): void => {
        if (m.type !== type) return;
        worker.off('message', onMessage);
        worker.off('error', reject);
        resolve(m);
      };
      worker.on('message', onMessage);
      worker.once('error', reject);
    });
  const { port } = await next('listening');
  return {
    port,
    async stats() {
      const reply = next('stats');
      worker.postMessage('stats');
      const { messages, bytes, duplicates } = await reply;
      return { messages, bytes, duplicates };
    },
    async close() {
      const reply = next('closed');
      worker.postMessage('close');
      await reply;
      await worker.terminate();
    },
  };
}

// --- the messages -------------------------------------------------------------------------------

const ICS = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//IOP-motorn//SV', 'METHOD:PUBLISH', 'BEGIN:VEVENT', 'DTSTAMP:20261123T080000Z', 'DTSTART;VALUE=DATE:20270930', 'SUMMARY:Beslut om förlängning: Bromodellen', 'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n');

function messageFor(run: string, i: number): OutgoingMessage {
  const text = `Hej!\n\nNämnden ska besluta om förlängning av Bromodellen senast 2027-09-30.\n${'Överenskommelsen gäller 2026-01-01–2027-12-31. '.repeat(8)}\n\nMed vänlig hälsning\nIOP-motorn\n`;
  return {
    idempotencyKey: `bench:${run}:${i}`,
    case: null,
    kind: 'decision_upcoming',
    recipient: `mottagare${i % 500}@example.se`,
    recipientName: `Mottagare ${i % 500}`,
    subject: `Påminnelse: beslut om förlängning senast 2027-09-30 (${i})`,
    text,
    html: `<p>${text.replace(/\n/g, '<br>')}</p>`,
    ics: ICS,
  };
}

async function enqueueAll(dataSource: DataSource, run: string, count: number, domain: string): Promise<void> {
  const now = new Date();
  await dataSource.transaction(async (manager) => {
    for (let i = 0; i < count; i += 1) await enqueueMessage(manager, messageFor(run, i), now, domain);
  });
}

// --- the two paths ------------------------------------------------------------------------------

async function outboxRound(sender: OutboxSenderService, dataSource: DataSource, run: string, count: number, domain: string): Promise<number> {
  await enqueueAll(dataSource, run, count, domain);
  const started = performance.now();
  const result = await sender.deliverDue({ lanes: LANES, batchSize: BATCH });
  const ms = performance.now() - started;
  if (result.sent !== count || result.retried + result.failed > 0) throw new Error(`outbox ${run}: ${JSON.stringify(result)}, väntade ${count} skickade`);
  return ms;
}

type DirectTransport = Transporter<SMTPPool.SentMessageInfo, SMTPPool.Options>;

/** Like the outbox's transport, the direct one is created once and kept warm across rounds. */
async function directRound(transport: DirectTransport, config: AppConfig, run: string, count: number, domain: string): Promise<number> {
  const messages = Array.from({ length: count }, (_, i) => messageFor(run, i));
  const date = new Date();
  const started = performance.now();
  await Promise.all(
    messages.map((m) =>
      transport.sendMail({
        from: config.mailFrom,
        to: { name: m.recipientName ?? '', address: m.recipient },
        subject: m.subject,
        text: m.text,
        html: m.html,
        messageId: messageIdFor(m.idempotencyKey, domain),
        date,
        attachments: m.ics ? [{ filename: ICS_FILENAME, content: m.ics, contentType: ICS_CONTENT_TYPE }] : [],
      }),
    ),
  );
  return performance.now() - started;
}

// --- main ---------------------------------------------------------------------------------------

interface Round {
  path: 'outbox' | 'direct';
  ms: number;
}

function commitLabel(): string {
  try {
    const head = execSync('git rev-parse --short HEAD', { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
    const dirty = execSync('git status --porcelain src migrations', { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim() !== '';
    return dirty ? `${head} + uncommitted changes in src/ or migrations/` : head;
  } catch {
    return 'unknown';
  }
}

async function main(): Promise<void> {
  const wallStart = performance.now();
  const loadAtStart = os.loadavg()[0];
  const db = await openDatabase();
  const sink = await startSink();
  const smtpUrl = `smtp://127.0.0.1:${sink.port}`;
  let started: StartedApp | undefined;
  const directTransport = nodemailer.createTransport(smtpPoolOptions(smtpUrl, POOL));
  try {
    started = await startQuietApp(db.url, { SMTP_URL: smtpUrl, SMTP_MAX_CONNECTIONS: String(POOL) });
    const sender = started.app.get(OutboxSenderService);
    const dataSource = started.app.get(DataSource);
    const config = started.config;
    const domain = senderDomain(config.mailFrom);

    log(`uppvärmning (${WARMUP} meddelanden per väg)`);
    await outboxRound(sender, dataSource, 'warmup-outbox', WARMUP, domain);
    await directRound(directTransport, config, 'warmup-direct', WARMUP, domain);

    const rounds: Round[] = [];
    for (let r = 0; r < ROUNDS; r += 1) {
      // Alternate which path goes first, so drift on a shared machine hits both alike.
      const order: Array<Round['path']> = r % 2 === 0 ? ['outbox', 'direct'] : ['direct', 'outbox'];
      for (const p of order) {
        const ms = p === 'outbox' ? await outboxRound(sender, dataSource, `r${r}-outbox`, MESSAGES, domain) : await directRound(directTransport, config, `r${r}-direct`, MESSAGES, domain);
        rounds.push({ path: p, ms });
        log(`runda ${r + 1}/${ROUNDS} ${p}: ${f0(MESSAGES / (ms / 1000))} meddelanden/s (${f0(ms)} ms)`);
      }
    }

    const stats = await sink.stats();
    const expected = 2 * WARMUP + 2 * ROUNDS * MESSAGES;
    if (stats.messages !== expected || stats.duplicates !== 0) throw new Error(`sänkan tog emot ${stats.messages} (väntade ${expected}), ${stats.duplicates} dubbletter`);
    const [{ pending, sent }] = await dataSource.query<Array<{ pending: number; sent: number }>>(
      `SELECT count(*) FILTER (WHERE state <> 'sent')::int AS pending, count(*) FILTER (WHERE state = 'sent')::int AS sent FROM outbox_message`,
    );
    if (pending !== 0 || sent !== WARMUP + ROUNDS * MESSAGES) throw new Error(`outbox: ${sent} skickade, ${pending} inte skickade`);

    const rate = (p: Round['path']): number => {
      const mine = rounds.filter((r) => r.path === p);
      return (mine.length * MESSAGES) / (mine.reduce((sum, r) => sum + r.ms, 0) / 1000);
    };
    const perRound = (p: Round['path']): string =>
      rounds
        .filter((r) => r.path === p)
        .map((r) => f0(MESSAGES / (r.ms / 1000)))
        .join(', ');
    const outbox = rate('outbox');
    const direct = rate('direct');
    const ratio = outbox / direct;
    const section = [
      HEADING,
      '',
      `Written by \`bench/outbox.bench.ts\` (\`npm run bench:outbox\`) on ${new Date().toISOString()}; commit ${commitLabel()}.`,
      `Node ${process.version}, ${os.availableParallelism()} CPU(s); ${db.embedded ? 'embedded PostgreSQL (fsync off)' : 'PostgreSQL from DATABASE_URL'}; SMTP sink: \`smtp-server\` on 127.0.0.1 in a worker thread with TCP_NODELAY, accepting everything.`,
      '',
      '| path | messages/s | per round | vs direct |',
      '|------|-----------:|-----------|----------:|',
      `| outbox (\`deliverDue\`, ${LANES} lane(s) × batches of ${BATCH}) | ${f0(outbox)} | ${perRound('outbox')} | ${f2(ratio)} |`,
      `| direct (nodemailer pool, \`Promise.all\`) | ${f0(direct)} | ${perRound('direct')} | 1.00 |`,
      '',
      `- Target outbox ≥ 0.8 × direct: **${ratio >= 0.8 ? 'met' : 'not met'}** (${f2(ratio)}).`,
      `- Workload: ${f0(MESSAGES)} messages per round, ${ROUNDS} rounds per path taking turns (after ${WARMUP} warm-up messages each), each message ~${f0(stats.bytes / stats.messages)} bytes on the wire (text, HTML, deadline.ics). Both paths use the same pooled transport options (\`smtpPoolOptions\`, ${POOL} connections). The outbox rows are written before the clock starts; measured is \`deliverDue()\` alone: claim a batch with \`FOR UPDATE SKIP LOCKED\` and commit, send it concurrently, record outcomes in short transactions (sent ones group-committed); no transaction open during SMTP.`,
      `- Other load: 1-minute load average ${f2(loadAtStart)} at start, ${f2(os.loadavg()[0])} at the end, on ${os.availableParallelism()} CPU(s) shared by PostgreSQL, the sink and the sender${os.loadavg()[0] > 1 || loadAtStart > 1 ? ' — **the machine was busy; the ratio is noisy**' : ''}.`,
      `- Checked afterwards: the sink received ${f0(stats.messages)} messages, no Message-ID twice; every outbox row is \`sent\`.`,
      '',
    ].join('\n');
    process.stdout.write(`\n${section}\n`);
    await writeSection(section);
  } finally {
    directTransport.close();
    if (started) await started.app.close().catch((error: unknown) => log(`app.close: ${String(error)}`));
    await sink.close().catch((error: unknown) => log(`sink.close: ${String(error)}`));
    await db.drop().catch((error: unknown) => log(`DROP DATABASE: ${String(error)}`));
    if (db.embedded) await db.embedded.stop();
    if (db.tempDir) await fs.rm(db.tempDir, { recursive: true, force: true });
    log(`klart på ${f2((performance.now() - wallStart) / 1000)} s`);
  }
}

async function writeSection(section: string): Promise<void> {
  if (await writeResultsSection(RESULTS_FILE, HEADING, section)) log(`skrev ${path.relative(process.cwd(), RESULTS_FILE)}`);
}

if (require.main === module) {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`[bench:outbox] misslyckades: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}

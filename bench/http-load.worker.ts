/**
 * HTTP load generator, run in a worker thread so the client's own work (serialising, parsing,
 * sockets) does not share the event loop with the server it measures.
 * Loaded by engine.bench.ts through ts-node; only Node built-ins and ./load.
 */
import * as http from 'node:http';
import { parentPort } from 'node:worker_threads';
import { drive, type Slice } from './load';

export interface HttpRunRequest {
  type: 'run';
  baseUrl: string;
  personId: string;
  organisationId: string;
  reason: string;
  ids: string[];
  /** One byte per agreement: 0 = draft, 1 = signing. Shared with the main thread. */
  states: SharedArrayBuffer;
  slices: Slice[];
  warmupMs: number;
  measureMs: number;
}

/** `busy`: answers 503 (the agreement document's print queue was full) that the client waited out and sent again. */
export type HttpRunReply = { type: 'done'; latencies: Float64Array; windowMs: number; busy: number } | { type: 'error'; message: string };

/** A 503 with Retry-After: the service asks the client to come back (a full PDF queue), as a browser would. */
class Busy extends Error {
  constructor(readonly retryAfterMs: number) {
    super('503');
  }
}

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function post(agent: http.Agent, url: URL, path: string, body: string, personId: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        method: 'POST',
        path,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-person-id': personId },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          if (res.statusCode === 200) resolve();
          else if (res.statusCode === 503 && res.headers['retry-after']) reject(new Busy(Number(res.headers['retry-after']) * 1000));
          else reject(new Error(`POST ${path} gav ${res.statusCode}: ${Buffer.concat(chunks).toString('utf8').slice(0, 500)}`));
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function run(msg: HttpRunRequest): Promise<HttpRunReply> {
  const url = new URL(msg.baseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: msg.slices.length });
  const states = new Uint8Array(msg.states);
  const toSigning = JSON.stringify({ type: 'SEND_FOR_SIGNING' });
  const toDraft = JSON.stringify({ type: 'RETURN_TO_DRAFT', organisationId: msg.organisationId, reason: msg.reason });
  let busy = 0;
  try {
    const result = await drive(msg.slices, msg.warmupMs, msg.measureMs, async (index) => {
      const signing = states[index] === 1;
      // A send renders the agreement's PDF (at most two at once in the service); a full queue says when to come back.
      for (;;) {
        try {
          await post(agent, url, `/agreements/${msg.ids[index]}/events`, signing ? toDraft : toSigning, msg.personId);
          break;
        } catch (error) {
          if (!(error instanceof Busy)) throw error;
          busy += 1;
          await delay(error.retryAfterMs);
        }
      }
      states[index] = signing ? 0 : 1;
    });
    return { type: 'done', ...result, busy };
  } finally {
    agent.destroy();
  }
}

const port = parentPort;
if (port) {
  port.on('message', (msg: HttpRunRequest) => {
    run(msg).then(
      (reply) => port.postMessage(reply, reply.type === 'done' ? [reply.latencies.buffer as ArrayBuffer] : []),
      (error: unknown) => port.postMessage({ type: 'error', message: error instanceof Error ? error.message : String(error) } satisfies HttpRunReply),
    );
  });
}

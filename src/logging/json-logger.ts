import type { LoggerService, LogLevel } from '@nestjs/common';
import type { AppLogLevel } from '../config/app-config';
import { currentRequestContext } from './request-context';
import { redact } from './redact';

const SEVERITY: Record<AppLogLevel, number> = { fatal: 0, error: 1, warn: 2, info: 3, debug: 4, verbose: 5 };
const STACK_TRACE = /\n\s+at .+/;

export type LogSink = (line: string) => void;

const stdoutSink: LogSink = (line) => {
  process.stdout.write(`${line}\n`);
};

/**
 * One JSON object per line on stdout, for Nest's own logs and ours alike.
 * A plain-object message is merged into the line, so `logger.log({ msg: 'x', id: 1 })` stays flat.
 * A line written while a request is handled carries its `requestId` and, once known, its `personId`.
 * Secrets are redacted from every line (see redact.ts): passwords, tokens, cookies, authorization.
 */
export class JsonLogger implements LoggerService {
  constructor(
    private level: AppLogLevel = 'info',
    private readonly sink: LogSink = stdoutSink,
  ) {}

  isEnabled(level: AppLogLevel): boolean {
    return SEVERITY[level] <= SEVERITY[this.level];
  }

  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }
  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }
  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }
  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }
  verbose(message: unknown, ...params: unknown[]): void {
    this.write('verbose', message, params);
  }
  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  /** Nest passes a list of enabled levels; keep the most verbose one. */
  setLogLevels(levels: LogLevel[]): void {
    const mapped = levels.map((l): AppLogLevel => (l === 'log' ? 'info' : l));
    if (mapped.length > 0) this.level = mapped.reduce((a, b) => (SEVERITY[a] >= SEVERITY[b] ? a : b));
  }

  private write(level: AppLogLevel, message: unknown, params: unknown[]): void {
    if (!this.isEnabled(level)) return;
    const entry: Record<string, unknown> = { time: new Date().toISOString(), level };
    const rest = [...params];
    // Nest's convention: the last string parameter is the context, unless it is a stack trace.
    const last = rest[rest.length - 1];
    if (typeof last === 'string' && !STACK_TRACE.test(last)) {
      entry.context = last;
      rest.pop();
    }
    if (message instanceof Error) {
      entry.msg = message.message;
      entry.stack = message.stack;
    } else if (message !== null && typeof message === 'object' && !Array.isArray(message)) {
      Object.assign(entry, message);
    } else {
      entry.msg = typeof message === 'string' ? message : safeJson(message);
    }
    if (typeof rest[0] === 'string' && STACK_TRACE.test(rest[0])) entry.stack = rest.shift();
    if (rest.length > 0) entry.details = rest;
    const context = currentRequestContext();
    if (context !== undefined && entry.requestId === undefined) entry.requestId = context.requestId;
    if (context?.personId !== undefined && entry.personId === undefined) entry.personId = context.personId;
    this.sink(safeJson(redact(entry)));
  }
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value, (_key, v: unknown) => (v instanceof Error ? { name: v.name, message: v.message } : v)) ?? String(value);
  } catch {
    return String(value);
  }
}

import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type { FieldProblem } from './domain-error';

export interface InputLimits {
  /** Largest JSON body, in bytes (after decompression). */
  jsonBodyLimitBytes: number;
  /** Largest urlencoded form body, in bytes (after decompression). */
  formBodyLimitBytes: number;
  /** Deepest nesting of objects and lists in a body. */
  maxDepth: number;
}

/** How a refusal looks to a browser (the web's page); API clients get the JSON answer. */
export type RefusalPage = (status: number, title: string, message: string) => string;

interface Refusal {
  status: number;
  error: string;
  message: string;
  problems?: FieldProblem[];
}

/** Body-parser's own failures, by its error type, in Swedish. */
const PARSER_REFUSALS: Record<string, Omit<Refusal, 'status'>> = {
  'entity.too.large': { error: 'payload_too_large', message: 'Innehållet är för stort.' },
  'charset.unsupported': { error: 'unsupported_media_type', message: 'Teckenkodningen stöds inte: skicka utf-8.' },
  'encoding.unsupported': { error: 'unsupported_media_type', message: 'Komprimeringen stöds inte: skicka okomprimerat, gzip eller deflate.' },
  'entity.parse.failed': { error: 'validation_failed', message: 'Innehållet kunde inte läsas: det är inte giltig JSON.' },
};

const ENCODINGS = new Set(['identity', 'gzip', 'deflate']);

function refuse(req: Request, res: Response, page: RefusalPage | undefined, refusal: Refusal): void {
  if (res.headersSent) return;
  // The body may be unread (too large, refused encoding): do not keep the connection for it.
  res.setHeader('Connection', 'close');
  res.setHeader('Cache-Control', 'no-store');
  if (page && req.method !== 'HEAD' && req.accepts(['json', 'html']) === 'html') {
    res.status(refusal.status).type('html').send(page(refusal.status, 'Det gick inte att genomföra', refusal.message));
    return;
  }
  const { status, ...body } = refusal;
  res.status(status).json(body);
}

/** Charset and Content-Encoding checked before any byte is parsed: only utf-8, and only what we can inflate. */
function mediaProblem(req: Request): Refusal | null {
  const encodings = (req.headers['content-encoding'] ?? 'identity').toLowerCase().split(',').map((s) => s.trim());
  if (encodings.length > 1 || !ENCODINGS.has(encodings[0] ?? '')) return { status: 415, ...PARSER_REFUSALS['encoding.unsupported'] };
  const charset = /;\s*charset\s*=\s*"?([^";\s]*)/i.exec(req.headers['content-type'] ?? '')?.[1]?.toLowerCase();
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') return { status: 415, ...PARSER_REFUSALS['charset.unsupported'] };
  return null;
}

/** A lone UTF-16 surrogate or a NUL: PostgreSQL refuses both, so they are refused here, naming the field. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const badText = (s: string): boolean => s.includes('\u0000') || LONE_SURROGATE.test(s);

/**
 * Walks a parsed body or query without recursion (a hostile body may be deep): the first field with
 * NUL or a lone surrogate, in its key or value, or nesting deeper than `maxDepth`.
 */
export function textProblem(value: unknown, root: string, maxDepth: number): FieldProblem | null {
  const stack: Array<[unknown, string, number]> = [[value, '', 0]];
  while (stack.length > 0) {
    const [v, path, depth] = stack.pop()!;
    const field = path || root;
    if (typeof v === 'string') {
      if (badText(v)) return { field, message: `${field} innehåller otillåtna tecken (NUL eller ett ensamt surrogattecken)` };
      continue;
    }
    if (v === null || typeof v !== 'object') continue;
    if (depth >= maxDepth) return { field, message: `${field} är för djupt nästlat (högst ${maxDepth} nivåer)` };
    for (const [key, child] of Object.entries(v as Record<string, unknown>)) {
      const childPath = path ? `${path}.${key}` : key;
      if (badText(key)) return { field: path || root, message: `${path || root} har ett fältnamn med otillåtna tecken` };
      stack.push([child, childPath, depth + 1]);
    }
  }
  return null;
}

/**
 * The request body and query as the app accepts them: JSON and flat urlencoded forms (`extended: false`,
 * so `reason[a]=b` stays the field "reason[a]" and is refused by name) within size limits, utf-8 only,
 * identity/gzip/deflate only, bounded depth, no NUL or lone surrogates. Replaces Nest's own body parsers.
 */
export function inputLimits(limits: InputLimits, page?: RefusalPage): RequestHandler[] {
  const parsers = [
    express.json({ limit: limits.jsonBodyLimitBytes, strict: true }),
    express.urlencoded({ limit: limits.formBodyLimitBytes, extended: false, parameterLimit: 1000 }),
  ];
  const parserErrors = (err: unknown, req: Request, res: Response, next: NextFunction): void => {
    if (err === undefined || err === null) return next();
    const type = (err as { type?: string }).type ?? '';
    const known = PARSER_REFUSALS[type];
    const status = (err as { status?: number }).status ?? 400;
    if (known) return refuse(req, res, page, { status: type === 'entity.parse.failed' ? 400 : status, ...known });
    if (status === 413) return refuse(req, res, page, { status: 413, ...PARSER_REFUSALS['entity.too.large'] });
    if (status === 415) return refuse(req, res, page, { status: 415, error: 'unsupported_media_type', message: 'Innehållets typ stöds inte.' });
    return refuse(req, res, page, { status: 400, error: 'validation_failed', message: 'Innehållet kunde inte läsas.' });
  };
  const media: RequestHandler = (req, res, next) => {
    const problem = req.headers['content-length'] === '0' && !req.headers['transfer-encoding'] ? null : mediaProblem(req);
    if (problem) return refuse(req, res, page, problem);
    next();
  };
  const parse = parsers.map<RequestHandler>((parser) => (req, res, next) => parser(req, res, (err?: unknown) => parserErrors(err, req, res, next)));
  const sanitise: RequestHandler = (req, res, next) => {
    let path: string;
    try {
      path = decodeURIComponent(req.path);
    } catch {
      return refuse(req, res, page, { status: 400, error: 'validation_failed', message: 'Adressen är inte giltig.' });
    }
    const problem =
      (badText(path) ? { field: 'adress', message: 'adressen innehåller otillåtna tecken' } : null) ??
      textProblem(req.query, 'query', limits.maxDepth) ??
      textProblem(req.body, 'body', limits.maxDepth);
    if (problem) return refuse(req, res, page, { status: 400, error: 'validation_failed', message: 'Uppgifterna är inte giltiga.', problems: [problem] });
    next();
  };
  return [media, ...parse, sanitise];
}

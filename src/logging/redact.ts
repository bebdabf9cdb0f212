/** What replaces a secret in a log line. */
export const REDACTED = '[REDACTED]';

/**
 * Keys whose values are secrets wherever they appear in a log line (any depth): password,
 * newPassword, passphrase, clientSecret, token, accessToken, csrfToken, authorization, cookie,
 * set-cookie, apiKey, privateKey. Ids of secrets (tokenId, sessionId) are not secrets.
 */
const SECRET_KEY = /(?:pass(?:word|wd|phrase)?|secret|token|authori[sz]ation|cookie|credentials?|api[-_]?key|private[-_]?key|signing[-_]?key)$/i;

/** Secrets inside text: a URL's password, a bearer token, a secret as a query or cookie parameter. */
const SECRET_IN_TEXT: ReadonlyArray<[RegExp, string]> = [
  [/\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:)[^\s@/]+@/gi, `$1${REDACTED}@`],
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/g, `$1 ${REDACTED}`],
  [/\b((?:[a-z_]*(?:password|passphrase|secret|token)|iop_session|session)=)[^&\s;,"]+/gi, `$1${REDACTED}`],
];

const MAX_DEPTH = 8;

export function redactText(text: string): string {
  let result = text;
  for (const [pattern, replacement] of SECRET_IN_TEXT) result = result.replace(pattern, replacement);
  return result;
}

/** A copy of `value` with secrets replaced by REDACTED: by key at any depth, and inside strings. */
export function redact(value: unknown, depth = 0, seen: WeakSet<object> = new WeakSet()): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[Circular]';
  if (depth >= MAX_DEPTH) return '[…]';
  seen.add(value);
  if (value instanceof Error) {
    return { name: value.name, message: redactText(value.message), ...(value.stack ? { stack: redactText(value.stack) } : {}) };
  }
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1, seen));
  if (value instanceof Date) return value;
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    copy[key] = SECRET_KEY.test(key) && item !== undefined && item !== null && item !== '' ? REDACTED : redact(item, depth + 1, seen);
  }
  return copy;
}

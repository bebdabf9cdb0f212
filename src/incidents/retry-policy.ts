/** Failed attempts after which a row becomes an incident (it is still retried, at the longest backoff). */
export const INCIDENT_AFTER_ATTEMPTS = 3;

const FIRST_BACKOFF_MS = 60_000;
const LONGEST_BACKOFF_MS = 60 * 60_000;

/** 1, 2, 4 … minutes after the n:th failure, at most an hour: a fault that heals is retried soon, a lasting one costs little. */
export function nextAttemptAt(attempts: number, now: Date): Date {
  const delay = Math.min(FIRST_BACKOFF_MS * 2 ** Math.max(0, attempts - 1), LONGEST_BACKOFF_MS);
  return new Date(now.getTime() + delay);
}

/** The text kept of an error: its message (a stack belongs in the log), bounded. */
export function errorText(error: unknown): string {
  // A plain Error's name says nothing to the secretariat reading the incident; TypeError and the like do to whoever fixes it.
  const text = error instanceof Error ? (error.name === 'Error' ? error.message : `${error.name}: ${error.message}`) : String(error);
  return text.length > 2000 ? `${text.slice(0, 2000)}…` : text;
}

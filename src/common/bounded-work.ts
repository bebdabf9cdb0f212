import { DomainError } from './domain-error';

export interface BoundedWorkOptions {
  /** How many run at once. */
  concurrency: number;
  /** How many may wait for a slot; one more is refused. */
  queueSize: number;
  /** The refusal's words and the wait it suggests (Retry-After). */
  busyMessage: string;
  retryAfterSeconds: number;
}

/**
 * Heavy work (a PDF, a whole year's report) with a bound on how much runs and waits at once, so a
 * crowd of requests gets 503 with Retry-After instead of growing the process until it falls over.
 * With a key, requests for the same thing while it is being made share that one piece of work.
 */
export class BoundedWork {
  private running = 0;
  private readonly waiting: Array<() => void> = [];
  private readonly inFlight = new Map<string, Promise<unknown>>();

  constructor(private readonly options: BoundedWorkOptions) {}

  /** Work running now and waiting for a slot. */
  get load(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }

  run<T>(work: () => Promise<T>, key?: string): Promise<T> {
    if (key !== undefined) {
      const shared = this.inFlight.get(key);
      if (shared) return shared as Promise<T>;
    }
    const done = this.acquire().then(async () => {
      try {
        return await work();
      } finally {
        this.release();
      }
    });
    if (key !== undefined) {
      this.inFlight.set(key, done);
      const forget = () => {
        if (this.inFlight.get(key) === done) this.inFlight.delete(key);
      };
      done.then(forget, forget);
    }
    return done;
  }

  private acquire(): Promise<void> {
    if (this.running < this.options.concurrency) {
      this.running += 1;
      return Promise.resolve();
    }
    if (this.waiting.length >= this.options.queueSize) {
      return Promise.reject(new DomainError('busy', this.options.busyMessage, { retryAfterSeconds: this.options.retryAfterSeconds }));
    }
    // The slot is handed over by release(), so `running` stays counted.
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.running -= 1;
  }
}

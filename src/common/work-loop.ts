/**
 * One background loop on its own interval; a round still running when the next is due is not
 * started twice. halt() stops new rounds at once; stop() also waits for the round in progress, so a
 * shutdown finishes the sweep or the send it is in before the connection pool closes.
 */
export class WorkLoop {
  private handle: NodeJS.Timeout | null = null;
  private first: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;

  constructor(private readonly round: () => Promise<void>) {}

  /** `firstAfterMs`: a first round that soon (0: what fell due while no instance ran does not wait a whole interval); else the first comes after one interval. */
  start(intervalMs: number, { firstAfterMs }: { firstAfterMs?: number } = {}): void {
    this.stopped = false;
    this.handle = setInterval(() => void this.tick(), intervalMs);
    this.handle.unref();
    if (firstAfterMs !== undefined) {
      this.first = setTimeout(() => void this.tick(), firstAfterMs);
      this.first.unref();
    }
  }

  halt(): void {
    this.stopped = true;
    if (this.handle) clearInterval(this.handle);
    if (this.first) clearTimeout(this.first);
    this.handle = null;
    this.first = null;
  }

  async stop(): Promise<void> {
    this.halt();
    await this.running;
  }

  async tick(): Promise<void> {
    if (this.running || this.stopped) return;
    this.running = (async () => {
      try {
        await this.round();
      } finally {
        this.running = null;
      }
    })();
    await this.running;
  }
}

import { Injectable } from '@nestjs/common';

/**
 * Set when a shutdown signal arrives (main.ts): /health and /health/ready answer 503 from then on,
 * so a proxy or Kubernetes stops sending requests during SHUTDOWN_DRAIN_MS, before the server closes.
 */
@Injectable()
export class ShutdownState {
  private since: Date | null = null;

  begin(now: Date = new Date()): void {
    this.since ??= now;
  }

  get draining(): boolean {
    return this.since !== null;
  }
}

import { Injectable } from '@nestjs/common';
import type { WorkLoop } from '@app/common/work-loop';

/**
 * The two stages of a shutdown, shared by every module:
 * - draining (a signal arrived, main.ts): /health and /health/ready answer 503, so a proxy or
 *   Kubernetes stops sending requests during SHUTDOWN_DRAIN_MS; the sweeps go on meanwhile.
 * - closing (Nest has begun closing the app): no background loop starts a new round, whichever
 *   module Nest closes first. Nest closes modules one after another, so a loop stopped only by its
 *   own module would start rounds while an earlier module waits for its own.
 */
@Injectable()
export class ShutdownState {
  private since: Date | null = null;
  private readonly loops = new Set<WorkLoop>();

  begin(now: Date = new Date()): void {
    this.since ??= now;
  }

  get draining(): boolean {
    return this.since !== null;
  }

  /** Loops halted at once when closing begins. */
  register(...loops: WorkLoop[]): void {
    for (const loop of loops) this.loops.add(loop);
  }

  /** Called by the first module's destroy hook; halts every registered loop (their rounds in progress run on). */
  closing(): void {
    for (const loop of this.loops) loop.halt();
  }
}

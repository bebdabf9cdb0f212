import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { WorkLoop } from '@app/common/work-loop';
import { AppConfig } from '@app/config/app-config';
import { ShutdownState } from '@app/health/shutdown-state';
import { AuditCheckpointService } from './audit-checkpoint.service';

/** At most an hour between looks, so a restart does not push a daily checkpoint back by a day. */
const MAX_LOOK_MS = 3_600_000;

/**
 * Signs a checkpoint every AUDIT_CHECKPOINT_INTERVAL_HOURS (0 = only on demand). Every instance
 * looks; the service makes one only when the latest is older than the interval.
 */
@Injectable()
export class AuditCheckpointScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Granskning');
  private readonly loop = new WorkLoop(() => this.tick());

  constructor(
    private readonly config: AppConfig,
    private readonly checkpoints: AuditCheckpointService,
    private readonly shutdown: ShutdownState,
  ) {
    shutdown.register(this.loop);
  }

  onApplicationBootstrap(): void {
    const intervalMs = this.config.auditCheckpointIntervalHours * 3_600_000;
    if (intervalMs <= 0) return;
    this.loop.start(Math.min(intervalMs, MAX_LOOK_MS));
  }

  /** Starts no new round in any loop, and lets this one's finish before the database closes. */
  async onModuleDestroy(): Promise<void> {
    this.shutdown.closing();
    await this.loop.stop();
  }

  private async tick(): Promise<void> {
    try {
      await this.checkpoints.createIfDue();
    } catch (error) {
      this.logger.error(`Kontrollpunkten kunde inte signeras och försöks igen senare: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

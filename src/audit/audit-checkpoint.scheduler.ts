import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { AppConfig } from '@app/config/app-config';
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
  private handle: NodeJS.Timeout | null = null;
  private running = false;

  constructor(
    private readonly config: AppConfig,
    private readonly checkpoints: AuditCheckpointService,
  ) {}

  onApplicationBootstrap(): void {
    const intervalMs = this.config.auditCheckpointIntervalHours * 3_600_000;
    if (intervalMs <= 0) return;
    this.handle = setInterval(() => void this.tick(), Math.min(intervalMs, MAX_LOOK_MS));
    this.handle.unref();
  }

  onModuleDestroy(): void {
    if (this.handle) clearInterval(this.handle);
  }

  private async tick(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      await this.checkpoints.createIfDue();
    } catch (error) {
      this.logger.error(`Kontrollpunkten kunde inte signeras och försöks igen senare: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      this.running = false;
    }
  }
}

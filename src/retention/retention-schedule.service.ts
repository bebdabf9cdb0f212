import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { WorkLoop } from '@app/common/work-loop';
import { AppConfig } from '@app/config/app-config';
import { ShutdownState } from '@app/health/shutdown-state';
import { RetentionService } from './retention.service';

/** Soon after start, not at once: start-up (migrations, first sweep) comes first. */
export const RETENTION_FIRST_RUN_DELAY_MS = 60_000;

/**
 * Runs retention on RETENTION_INTERVAL_MS in every instance (0 = off), once shortly after start so
 * an instance restarted more often than the interval still prunes. Instances running at once skip
 * each other's locked rows, so the work is shared, not repeated.
 */
@Injectable()
export class RetentionScheduleService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Gallring');
  private readonly loop = new WorkLoop(() => this.round());

  constructor(
    private readonly config: AppConfig,
    private readonly retention: RetentionService,
    private readonly shutdown: ShutdownState,
  ) {
    shutdown.register(this.loop);
  }

  onApplicationBootstrap(): void {
    const interval = this.config.retentionIntervalMs;
    if (interval <= 0) return;
    this.loop.start(interval, { firstAfterMs: Math.min(RETENTION_FIRST_RUN_DELAY_MS, interval) });
  }

  /** Starts no new round in any loop, and lets a run in progress finish before the database closes. */
  async onModuleDestroy(): Promise<void> {
    this.shutdown.closing();
    await this.loop.stop();
  }

  private async round(): Promise<void> {
    try {
      const { sessions, loginAttempts, mailBodies } = await this.retention.run();
      if (sessions + loginAttempts + mailBodies > 0) {
        this.logger.log({ msg: `Gallring: ${sessions} sessioner, ${loginAttempts} inloggningsförsök och ${mailBodies} e-postinnehåll borttagna.`, sessions, loginAttempts, mailBodies });
      }
    } catch (error) {
      this.logger.error(`Gallringen misslyckades och försöker igen vid nästa intervall: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

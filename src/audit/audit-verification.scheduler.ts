import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { WorkLoop } from '@app/common/work-loop';
import { AppConfig } from '@app/config/app-config';
import { ShutdownState } from '@app/health/shutdown-state';
import { AuditVerificationRunService } from './audit-verification-run.service';

/** How often each instance looks whether the nightly verification is due. */
export const VERIFY_LOOK_MS = 15 * 60_000;

/**
 * The nightly verification of every chain (AUDIT_VERIFY_HOUR, Stockholm; off = only "Kontrollera
 * nu"). Every instance looks every quarter of an hour; the run lock lets one of them run it.
 */
@Injectable()
export class AuditVerificationScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Granskning');
  private readonly loop = new WorkLoop(() => this.look());

  constructor(
    private readonly config: AppConfig,
    private readonly runs: AuditVerificationRunService,
    private readonly shutdown: ShutdownState,
  ) {
    shutdown.register(this.loop);
  }

  onApplicationBootstrap(): void {
    if (this.config.auditVerifyHour === null) return;
    this.loop.start(VERIFY_LOOK_MS);
  }

  /** Starts no new round in any loop, and lets this one's finish before the database closes. */
  async onModuleDestroy(): Promise<void> {
    this.shutdown.closing();
    await this.loop.stop();
  }

  private async look(): Promise<void> {
    try {
      await this.runs.startIfDue();
    } catch (error) {
      this.logger.error(`Den schemalagda kontrollen av historiken kunde inte startas och försöks igen senare: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

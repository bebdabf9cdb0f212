import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { AppConfig } from '@app/config/app-config';
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
  private handle: NodeJS.Timeout | null = null;
  private looking = false;

  constructor(
    private readonly config: AppConfig,
    private readonly runs: AuditVerificationRunService,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.auditVerifyHour === null) return;
    this.handle = setInterval(() => void this.look(), VERIFY_LOOK_MS);
    this.handle.unref();
  }

  onModuleDestroy(): void {
    if (this.handle) clearInterval(this.handle);
  }

  private async look(): Promise<void> {
    if (this.looking) return;
    this.looking = true;
    try {
      await this.runs.startIfDue();
    } catch (error) {
      this.logger.error(`Den schemalagda kontrollen av historiken kunde inte startas och försöks igen senare: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      this.looking = false;
    }
  }
}

import { Module } from '@nestjs/common';
import { AppConfig } from '@app/config/app-config';
import { HealthModule } from '@app/health/health.module';
import { AuditController } from './audit.controller';
import { AuditService } from './audit.service';
import { AuditCheckpointService } from './audit-checkpoint.service';
import { AuditCheckpointScheduler } from './audit-checkpoint.scheduler';
import { AuditSigningKey, loadAuditSigningKey } from './audit-signing-key';
import { AuditVerifierService } from './audit-verifier.service';
import { AuditVerificationRunRepository } from './audit-verification-run.repository';
import { AuditVerificationRunService } from './audit-verification-run.service';
import { AuditVerificationScheduler } from './audit-verification.scheduler';

@Module({
  imports: [HealthModule],
  controllers: [AuditController],
  providers: [
    AuditService,
    // Loaded at start, so a missing or wrong key file stops the start instead of the first checkpoint.
    { provide: AuditSigningKey, inject: [AppConfig], useFactory: (config: AppConfig) => loadAuditSigningKey(config) },
    AuditCheckpointService,
    AuditCheckpointScheduler,
    AuditVerifierService,
    AuditVerificationRunRepository,
    AuditVerificationRunService,
    AuditVerificationScheduler,
  ],
  exports: [AuditService, AuditVerifierService, AuditCheckpointService, AuditVerificationRunService],
})
export class AuditModule {}

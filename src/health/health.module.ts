import { Module } from '@nestjs/common';
import { HealthController } from './health.controller';
import { WorkStatusService } from './work-status.service';

/** Liveness (/health) and readiness (/health/ready); WorkStatusService also feeds /metrics. */
@Module({ controllers: [HealthController], providers: [WorkStatusService], exports: [WorkStatusService] })
export class HealthModule {}

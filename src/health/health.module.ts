import { Module } from '@nestjs/common';
import { HealthController } from './health.controller';
import { ShutdownState } from './shutdown-state';
import { WorkStatusService } from './work-status.service';

/** Liveness (/health) and readiness (/health/ready); WorkStatusService also feeds /metrics. */
@Module({ controllers: [HealthController], providers: [WorkStatusService, ShutdownState], exports: [WorkStatusService, ShutdownState] })
export class HealthModule {}

import { Module } from '@nestjs/common';
import { HealthModule } from '@app/health/health.module';
import { RetentionScheduleService } from './retention-schedule.service';
import { RetentionService } from './retention.service';

/** Retention (gallring) of sessions, login attempts and sent e-mail bodies; never the audit history. */
@Module({ imports: [HealthModule], providers: [RetentionService, RetentionScheduleService], exports: [RetentionService] })
export class RetentionModule {}

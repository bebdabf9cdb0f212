import { Module } from '@nestjs/common';
import { RetentionScheduleService } from './retention-schedule.service';
import { RetentionService } from './retention.service';

/** Retention (gallring) of sessions, login attempts and sent e-mail bodies; never the audit history. */
@Module({ providers: [RetentionService, RetentionScheduleService], exports: [RetentionService] })
export class RetentionModule {}

import { Module } from '@nestjs/common';
import { HealthModule } from '@app/health/health.module';
import { IncidentsModule } from '@app/incidents/incidents.module';
import { WorkflowEngineModule } from '@app/workflow-engine/workflow-engine.module';
import { RemindersModule } from '@app/notifications/reminders.module';
import { TimerScheduleService } from './timer-schedule.service';
import { TimerSweeperService } from './timer-sweeper.service';

@Module({ imports: [WorkflowEngineModule, RemindersModule, IncidentsModule, HealthModule], providers: [TimerSweeperService, TimerScheduleService], exports: [TimerSweeperService, TimerScheduleService] })
export class TimersModule {}

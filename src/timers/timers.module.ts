import { Module } from '@nestjs/common';
import { WorkflowEngineModule } from '@app/workflow-engine/workflow-engine.module';
import { TimerScheduleService } from './timer-schedule.service';
import { TimerSweeperService } from './timer-sweeper.service';

@Module({ imports: [WorkflowEngineModule], providers: [TimerSweeperService, TimerScheduleService], exports: [TimerSweeperService] })
export class TimersModule {}

import { Module } from '@nestjs/common';
import { AuditModule } from '@app/audit/audit.module';
import { ReminderPlanningModule } from '@app/notifications/reminder-planning.module';
import { WorkflowEngineService } from './workflow-engine.service';

@Module({ imports: [AuditModule, ReminderPlanningModule], providers: [WorkflowEngineService], exports: [WorkflowEngineService] })
export class WorkflowEngineModule {}

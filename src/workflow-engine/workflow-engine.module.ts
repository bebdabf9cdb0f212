import { Module } from '@nestjs/common';
import { AuditModule } from '@app/audit/audit.module';
import { WorkflowEngineService } from './workflow-engine.service';

@Module({ imports: [AuditModule], providers: [WorkflowEngineService], exports: [WorkflowEngineService] })
export class WorkflowEngineModule {}

import { Module } from '@nestjs/common';
import { AgreementTablesModule } from '@app/agreements/agreement-tables.module';
import { WorkflowEngineModule } from '@app/workflow-engine/workflow-engine.module';
import { FollowUpController } from './follow-up.controller';
import { FollowUpService } from './follow-up.service';

/** Follow-up of agreements in force: samverkansgrupp meetings and yearly reports (aggregate figures only). */
@Module({ imports: [WorkflowEngineModule, AgreementTablesModule], controllers: [FollowUpController], providers: [FollowUpService], exports: [FollowUpService] })
export class FollowUpModule {}

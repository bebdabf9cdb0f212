import { Module } from '@nestjs/common';
import { WorkflowEngineModule } from '@app/workflow-engine/workflow-engine.module';
import { AgreementsController } from './agreements.controller';
import { AgreementsService } from './agreements.service';
import { OverviewController } from './overview.controller';

@Module({
  imports: [WorkflowEngineModule],
  controllers: [AgreementsController, OverviewController],
  providers: [AgreementsService],
  exports: [AgreementsService],
})
export class AgreementsModule {}

import { Module } from '@nestjs/common';
import { CaseRegistry } from '@app/cases/case-registry';
import { agreementKind } from './agreement.kind';
import { WorkflowEngineModule } from '@app/workflow-engine/workflow-engine.module';
import { AgreementsController } from './agreements.controller';
import { AmendmentsController } from './amendments.controller';
import { AmendmentsService } from './amendments.service';
import { AgreementsService } from './agreements.service';
import { OverviewController } from './overview.controller';

@Module({
  imports: [WorkflowEngineModule],
  controllers: [AgreementsController, AmendmentsController, OverviewController],
  providers: [AgreementsService, AmendmentsService],
  exports: [AgreementsService, AmendmentsService],
})
export class AgreementsModule {
  constructor(registry: CaseRegistry) {
    registry.register(agreementKind);
  }
}

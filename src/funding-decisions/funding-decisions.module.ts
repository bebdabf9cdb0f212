import { Module } from '@nestjs/common';
import { CaseRegistry } from '@app/cases/case-registry';
import { AppConfig } from '@app/config/app-config';
import { senderDomain } from '@app/notifications/mail.transport';
import { WorkflowEngineModule } from '@app/workflow-engine/workflow-engine.module';
import { fundingDecisionKind } from './funding-decision.kind';
import { FundingDecisionsController } from './funding-decisions.controller';
import { FundingDecisionsService } from './funding-decisions.service';
import { FundingDecisionDemo } from './funding-decision-demo';
import { WebModule } from '@app/web/web.module';
import { FundingDecisionPagesController } from './web/funding-decision-pages.controller';

/** The second kind of case: funding decisions (beslut om medel). Registers its kind; edits no shared module. */
@Module({
  imports: [WorkflowEngineModule, WebModule],
  controllers: [FundingDecisionsController, FundingDecisionPagesController],
  providers: [FundingDecisionsService, FundingDecisionDemo],
  exports: [FundingDecisionsService, FundingDecisionDemo],
})
export class FundingDecisionsModule {
  constructor(registry: CaseRegistry, config: AppConfig) {
    registry.register(fundingDecisionKind({ publicBaseUrl: config.publicBaseUrl, messageIdDomain: senderDomain(config.mailFrom), secretariatEmail: config.secretariatEmail }));
  }
}

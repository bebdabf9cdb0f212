import { Module } from '@nestjs/common';
import { CaseRegistry } from '@app/cases/case-registry';
import { agreementKind } from './agreement.kind';
import { AgreementRepository } from './agreement.repository';
import { AgreementTablesModule } from './agreement-tables.module';
import { WorkflowEngineModule } from '@app/workflow-engine/workflow-engine.module';
import { AgreementsController } from './agreements.controller';
import { AmendmentsController } from './amendments.controller';
import { AmendmentsService } from './amendments.service';
import { AgreementsService } from './agreements.service';
import { OverviewController } from './overview.controller';
import { AppConfig } from '@app/config/app-config';
import { senderDomain } from '@app/notifications/mail.transport';
import { NoticePreferencesModule } from '@app/notifications/notice-preferences.module';
import { NoticePreferencesRepository } from '@app/notifications/notice-preferences.repository';
import { DocumentsModule } from '@app/documents/documents.module';

@Module({
  imports: [WorkflowEngineModule, AgreementTablesModule, NoticePreferencesModule, DocumentsModule],
  controllers: [AgreementsController, AmendmentsController, OverviewController],
  providers: [AgreementsService, AmendmentsService],
  exports: [AgreementsService, AmendmentsService, AgreementTablesModule],
})
export class AgreementsModule {
  constructor(registry: CaseRegistry, tables: AgreementRepository, config: AppConfig, preferences: NoticePreferencesRepository) {
    registry.register(
      agreementKind(tables, { preferences, secretariatEmail: config.secretariatEmail, publicBaseUrl: config.publicBaseUrl, messageIdDomain: senderDomain(config.mailFrom) }),
    );
  }
}

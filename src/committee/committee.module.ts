import { Module } from '@nestjs/common';
import { AgreementsModule } from '@app/agreements/agreements.module';
import { AuditModule } from '@app/audit/audit.module';
import { CommitteeReportController, CommitteeReportPagesController } from './committee-report.controller';
import { CommitteeReportService } from './committee-report.service';
import { FollowUpReportAccounts } from './follow-up-report-accounts';
import { FollowUpAccounts } from './follow-up-accounts';
import { PdfModule } from './pdf.module';
import { VisitsController } from './visits.controller';
import { VisitsRepository } from './visits.repository';
import { VisitsService } from './visits.service';

/** The committee's papers: the yearly report on its IOPs (data, page, PDF) and the records of its visits. */
@Module({
  imports: [AgreementsModule, AuditModule, PdfModule],
  controllers: [CommitteeReportController, CommitteeReportPagesController, VisitsController],
  providers: [CommitteeReportService, VisitsRepository, VisitsService, { provide: FollowUpAccounts, useClass: FollowUpReportAccounts }],
  exports: [VisitsService, VisitsRepository],
})
export class CommitteeModule {}

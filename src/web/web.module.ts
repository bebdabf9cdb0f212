import { Module } from '@nestjs/common';
import { AgreementsModule } from '@app/agreements/agreements.module';
import { AuditModule } from '@app/audit/audit.module';
import { CommitteeModule } from '@app/committee/committee.module';
import { FollowUpModule } from '@app/follow-up/follow-up.module';
import { IncidentsModule } from '@app/incidents/incidents.module';
import { NotificationsModule } from '@app/notifications/notifications.module';
import { CalendarModule } from '@app/notifications/calendar.module';
import { NoticePreferencesModule } from '@app/notifications/notice-preferences.module';
import { SettingsPagesController } from './settings-pages.controller';
import { OrganisationsModule } from '@app/organisations/organisations.module';
import { AccountPagesController } from './account-pages.controller';
import { AdminPagesController } from './admin-pages.controller';
import { FaviconController } from './favicon.controller';
import { AgreementPagesController } from './agreement-pages.controller';
import { AuditPagesController } from './audit-pages.controller';
import { FollowUpPagesController } from './follow-up-pages.controller';
import { IncidentPagesController } from './incident-pages.controller';
import { OverviewPagesController } from './overview-pages.controller';
import { TermsPagesController } from './terms-pages.controller';
import { VisitPagesController } from './visit-pages.controller';
import { DocumentPagesController, TemplatePagesController } from './document-pages.controller';
import { DocumentsModule } from '@app/documents/documents.module';
import { WebAuthController } from './web-auth.controller';
import { WebReadService } from './web-read.service';
import { useKindMenu } from './layout';
import { CaseRegistry } from '@app/cases/case-registry';

/**
 * The web interface in Swedish: server-rendered pages on the same services as the API.
 */
@Module({
  imports: [AgreementsModule, AuditModule, OrganisationsModule, NotificationsModule, FollowUpModule, CommitteeModule, IncidentsModule, CalendarModule, NoticePreferencesModule, DocumentsModule],
  controllers: [WebAuthController, OverviewPagesController, AgreementPagesController, AuditPagesController, AdminPagesController, TermsPagesController, FollowUpPagesController, VisitPagesController, IncidentPagesController, AccountPagesController, FaviconController, SettingsPagesController, DocumentPagesController, TemplatePagesController],
  providers: [WebReadService],
  // The kinds' own page controllers (src/<kind>/web) use the shared reads.
  exports: [WebReadService],
})
export class WebModule {
  constructor(registry: CaseRegistry) {
    useKindMenu(() => registry.navigation());
  }
}

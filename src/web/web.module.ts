import { Module } from '@nestjs/common';
import { AgreementsModule } from '@app/agreements/agreements.module';
import { AuditModule } from '@app/audit/audit.module';
import { NotificationsModule } from '@app/notifications/notifications.module';
import { OrganisationsModule } from '@app/organisations/organisations.module';
import { AdminPagesController } from './admin-pages.controller';
import { AgreementPagesController } from './agreement-pages.controller';
import { AuditPagesController } from './audit-pages.controller';
import { OverviewPagesController } from './overview-pages.controller';
import { TermsPagesController } from './terms-pages.controller';
import { WebAuthController } from './web-auth.controller';
import { WebReadService } from './web-read.service';

/**
 * The web interface in Swedish: server-rendered pages on the same services as the API.
 */
@Module({
  imports: [AgreementsModule, AuditModule, OrganisationsModule, NotificationsModule],
  controllers: [WebAuthController, OverviewPagesController, AgreementPagesController, AuditPagesController, AdminPagesController, TermsPagesController],
  providers: [WebReadService],
})
export class WebModule {}

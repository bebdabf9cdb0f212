import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { HealthModule } from './health/health.module';
import { CasesModule } from './cases/cases.module';
import { FundingDecisionsModule } from './funding-decisions/funding-decisions.module';
import { MeetingsModule } from './meetings/meetings.module';
import { AgreementsModule } from './agreements/agreements.module';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { ClockModule } from './clock/clock.module';
import { OrganisationsModule } from './organisations/organisations.module';
import { TimersModule } from './timers/timers.module';
import { DemoModule } from './demo/demo.module';
import { CalendarModule } from './notifications/calendar.module';
import { NotificationsModule } from './notifications/notifications.module';
import { FollowUpModule } from './follow-up/follow-up.module';
import { WebModule } from './web/web.module';
import { CommitteeModule } from './committee/committee.module';
import { DocumentRecordsModule } from './documents/document-records.module';
import { IdempotencyModule } from './idempotency/idempotency.module';
import { IncidentsModule } from './incidents/incidents.module';
import { InboxModule } from './inbox/inbox.module';
import { MetricsModule } from './metrics/metrics.module';
import { RetentionModule } from './retention/retention.module';

/** Root module. Add feature modules to `imports`; the config is bound by forRoot() at start. */
@Module({
  imports: [DatabaseModule, CasesModule, IdempotencyModule, HealthModule, ClockModule, AuthModule, OrganisationsModule, AgreementsModule, AuditModule, TimersModule, NotificationsModule, CalendarModule, FollowUpModule, DemoModule, WebModule, CommitteeModule, DocumentRecordsModule, IncidentsModule, MetricsModule, RetentionModule, MeetingsModule, FundingDecisionsModule, InboxModule],
})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return { module: AppModule, imports: [ConfigModule.forRoot(config)] };
  }
}

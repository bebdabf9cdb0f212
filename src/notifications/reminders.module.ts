import { Module } from '@nestjs/common';
import { AgreementTablesModule } from '@app/agreements/agreement-tables.module';
import { IncidentsModule } from '@app/incidents/incidents.module';
import { NotificationSweepService } from './notification-sweep.service';
import { ReminderDispatcherService } from './reminder-dispatcher.service';
import { WeeklyDigestService } from './weekly-digest.service';

/** Deciding due reminders and the weekly digest: outbox rows only (the sender in NotificationsModule delivers them). */
@Module({
  imports: [IncidentsModule, AgreementTablesModule],
  providers: [ReminderDispatcherService, WeeklyDigestService, NotificationSweepService],
  exports: [NotificationSweepService, ReminderDispatcherService, WeeklyDigestService],
})
export class RemindersModule {}

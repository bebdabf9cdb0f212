import { Module } from '@nestjs/common';
import { NotificationSweepService } from './notification-sweep.service';
import { ReminderDispatcherService } from './reminder-dispatcher.service';
import { WeeklyDigestService } from './weekly-digest.service';

/** Deciding due reminders and the weekly digest: outbox rows only (the sender in NotificationsModule delivers them). */
@Module({
  providers: [ReminderDispatcherService, WeeklyDigestService, NotificationSweepService],
  exports: [NotificationSweepService, ReminderDispatcherService, WeeklyDigestService],
})
export class RemindersModule {}

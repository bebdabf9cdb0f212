import { Module } from '@nestjs/common';
import { AgreementTablesModule } from '@app/agreements/agreement-tables.module';
import { HealthModule } from '@app/health/health.module';
import { MailTransport } from './mail.transport';
import { NotificationsController } from './notifications.controller';
import { NotificationsService } from './notifications.service';
import { OutboxScheduleService } from './outbox-schedule.service';
import { OutboxSenderService } from './outbox-sender.service';

/** Delivery of the outbox (SMTP pool or local mailbox) and its read side. */
@Module({
  imports: [AgreementTablesModule, HealthModule],
  controllers: [NotificationsController],
  providers: [MailTransport, OutboxSenderService, OutboxScheduleService, NotificationsService],
  exports: [OutboxSenderService, MailTransport, NotificationsService],
})
export class NotificationsModule {}

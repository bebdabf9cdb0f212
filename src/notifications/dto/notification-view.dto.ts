import { DateTime, Int, ListOf, OneOf, Str, Uuid } from '@app/common/view-properties';

export class NotificationView {
  @Uuid() id!: string;
  @Uuid({ nullable: true }) agreementId!: string | null;
  @Str() kind!: string;
  @Str({ format: 'email' }) recipient!: string;
  @Str({ nullable: true }) recipientName!: string | null;
  @Str() subject!: string;
  @OneOf(['pending', 'sending', 'sent', 'failed', 'possibly_delivered']) state!: string;
  @Str() stateLabel!: string;
  @Int() attempts!: number;
  @Str({ nullable: true }) lastError!: string | null;
  @DateTime() createdAt!: string;
  @DateTime({ nullable: true }) nextAttemptAt!: string | null;
  @DateTime({ nullable: true }) sentAt!: string | null;
  @Str() messageId!: string;
  @Int() possiblyDeliveredCount!: number;
}

export class MailboxEntryView {
  @Str() id!: string;
  @Str() file!: string;
  @Str() url!: string;
  @Int() sizeBytes!: number;
  @DateTime() savedAt!: string;
  @Str({ nullable: true }) recipient!: string | null;
  @Str({ nullable: true }) subject!: string | null;
  @Str({ nullable: true }) kind!: string | null;
  @Uuid({ nullable: true }) agreementId!: string | null;
}

export class MailboxListingView {
  @OneOf(['mailbox', 'smtp']) mode!: string;
  @Str() description!: string;
  @ListOf(() => MailboxEntryView) messages!: MailboxEntryView[];
  @Str({ nullable: true, description: 'Sidmarkören för nästa sida (?after=), null på sista sidan.' }) next!: string | null;
}

export class IssuedCalendarTokenView {
  @Str({ description: 'Visas bara nu.' }) token!: string;
  @Str({ format: 'uri' }) feedUrl!: string;
  @DateTime() createdAt!: string;
}

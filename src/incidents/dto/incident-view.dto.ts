import { Bool, DateTime, Int, OneOf, Str, Uuid } from '@app/common/view-properties';

/** A background failure (timer, reminder, outbox) waiting for a person. */
export class IncidentView {
  @Uuid() id!: string;
  @OneOf(['timer', 'reminder', 'outbox']) source!: string;
  @Str() sourceLabel!: string;
  @Str() rowId!: string;
  @Uuid({ nullable: true }) agreementId!: string | null;
  @Str({ nullable: true }) agreementTitle!: string | null;
  @Str() summary!: string;
  @Str() error!: string;
  @Int() attempts!: number;
  @Bool() possiblyDelivered!: boolean;
  @Str({ nullable: true }) deliveryNote!: string | null;
  @DateTime() openedAt!: string;
  @DateTime() lastSeenAt!: string;
  @DateTime({ nullable: true }) reportedAt!: string | null;
  @DateTime({ nullable: true }) resolvedAt!: string | null;
  @OneOf(['retried', 'dismissed'], { nullable: true }) resolution!: string | null;
  @Str({ nullable: true }) resolvedBy!: string | null;
}

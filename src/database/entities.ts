import type { EntitySchema } from 'typeorm';
import { Agreement } from '@app/agreements/agreement.entity';
import { AgreementCostLine } from '@app/agreements/agreement-cost-line.entity';
import { AgreementMember } from '@app/agreements/agreement-member.entity';
import { AgreementParty } from '@app/agreements/agreement-party.entity';
import { AuditEvent } from '@app/audit/audit-event.entity';
import { Organisation } from '@app/organisations/organisation.entity';
import { Person } from '@app/organisations/person.entity';
import { CaseTimer } from '@app/timers/case-timer.entity';
import { CaseReminder } from '@app/notifications/case-reminder.entity';
import { CaseRecord } from '@app/cases/case-record.entity';
import { OutboxMessage } from '@app/notifications/outbox-message.entity';
import { CalendarToken } from '@app/notifications/calendar-token.entity';

/** Every TypeORM entity, for the app and the migration CLI alike. Append new entities here. */
export const entities: Array<(new (...args: never[]) => object) | EntitySchema> = [
  Organisation,
  Person,
  Agreement,
  AgreementParty,
  AgreementCostLine,
  AgreementMember,
  CaseRecord,
  CaseTimer,
  AuditEvent,
  CaseReminder,
  OutboxMessage,
  CalendarToken,
];

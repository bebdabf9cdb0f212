import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AppConfig } from '@app/config/app-config';
import { ClockService } from '@app/clock/clock.service';
import { IncidentsService } from '@app/incidents/incidents.service';
import { errorText } from '@app/incidents/retry-policy';
import { senderDomain } from './mail.transport';
import { enqueueMessage } from './outbox.repository';
import { CaseRegistry } from '@app/cases/case-registry';

interface ClaimedReminder {
  id: string;
  case_type: string;
  case_id: string;
  kind: string;
  reminder_key: string;
  cycle: number;
  audience: string;
  send_at: Date;
  deadline_date: string;
  scheduled_in_state: string;
  state: string;
  title: string;
  reference: string | null;
}

export type ReminderOutcome = 'queued' | 'skipped' | 'superseded';
/** `failed`: reminders whose deciding threw, recorded on their rows with a backoff. */
export type DispatchResult = Record<ReminderOutcome | 'failed', number> & { messages: number };

/** What a reminder is for, in Swedish, for the incident: its kind, the deadline and the case. */
export function reminderSummary(words: string, r: { deadline_date: string; title: string; reference: string | null }): string {
  return `Påminnelse ”${words}” inför ${r.deadline_date} för ${r.title}${r.reference ? ` (dnr ${r.reference})` : ''}`;
}

/** The outbox idempotency key of one reminder to one recipient: a second copy can never be written. */
export const reminderIdempotencyKey = (caseId: string, reminderKey: string, cycle: number, email: string): string =>
  `reminder:${caseId}:${reminderKey}:${cycle}:${email.toLowerCase()}`;

/**
 * Decides due reminders, one transaction per reminder: claim it with its
 * agreement (SKIP LOCKED, so instances share the work and an agreement in the
 * middle of a transition is left for the next round), re-check the state, let a
 * later due reminder of the same deadline supersede it, else write one outbox
 * message per recipient and mark it queued.
 */
@Injectable()
export class ReminderDispatcherService {
  private readonly logger = new Logger('Påminnelser');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: ClockService,
    private readonly config: AppConfig,
    private readonly incidents: IncidentsService,
    private readonly registry: CaseRegistry,
  ) {}

  async dispatchDue(batchSize = 100): Promise<DispatchResult> {
    const total: DispatchResult = { queued: 0, skipped: 0, superseded: 0, failed: 0, messages: 0 };
    const now = this.clock.now();
    for (;;) {
      let decided = 0;
      for (let i = 0; i < batchSize; i += 1) {
        const outcome = await this.decideOne(now);
        if (outcome === null) break;
        total[outcome.outcome] += 1;
        total.messages += outcome.messages;
        decided += 1;
      }
      if (decided < batchSize) return total;
    }
  }

  private decideOne(now: Date): Promise<{ outcome: ReminderOutcome | 'failed'; messages: number } | null> {
    return this.dataSource.transaction(async (manager) => {
      // A case with a timer that fell due in the last hour waits for it (the timer may change the
      // state this reminder re-checks); one whose timer is in backoff, or older (a stuck timer loop), does not.
      const rows = await manager.query<ClaimedReminder[]>(
        `SELECT r.id, r.case_type, r.case_id, r.kind, r.reminder_key, r.cycle, r.audience, r.send_at, to_char(r.deadline_date, 'YYYY-MM-DD') AS deadline_date,
                r.scheduled_in_state, c.state, c.title, c.reference
           FROM case_reminder r JOIN case_record c ON c.id = r.case_id
          WHERE r.decided_at IS NULL AND r.send_at <= $1 AND (r.next_attempt_at IS NULL OR r.next_attempt_at <= $1)
            AND NOT EXISTS (SELECT 1 FROM case_timer t
                             WHERE t.case_id = r.case_id AND t.fired_at IS NULL AND t.due_at <= $1 AND t.due_at > $1::timestamptz - interval '1 hour'
                               AND (t.next_attempt_at IS NULL OR t.next_attempt_at <= $1))
          ORDER BY r.send_at, r.id
          LIMIT 1
          FOR UPDATE OF r, c SKIP LOCKED`,
        [now],
      );
      const reminder = rows[0];
      if (!reminder) return null;
      // Whatever deciding throws is undone to here; the row stays locked while its failure is recorded.
      await manager.query('SAVEPOINT decide_reminder');
      try {
        const decided = await this.decide(manager, reminder, now);
        await manager.query('RELEASE SAVEPOINT decide_reminder');
        return decided;
      } catch (error) {
        await manager.query('ROLLBACK TO SAVEPOINT decide_reminder');
        const text = errorText(error);
        const { attempts, incidentId } = await this.incidents.recordFailure(
          manager,
          {
            source: 'reminder',
            rowId: String(reminder.id),
            case: { type: reminder.case_type, id: reminder.case_id },
            summary: reminderSummary(this.registry.has(reminder.case_type) ? (this.registry.get(reminder.case_type).reminderWords[reminder.kind] ?? reminder.kind) : reminder.kind, reminder),
            error: text,
          },
          now,
        );
        this.logger.warn(`Påminnelse ${reminder.id} (${reminder.kind}, ${reminder.case_type} ${reminder.case_id}) misslyckades, försök ${attempts}${incidentId ? `, incident ${incidentId}` : ''}: ${text}`);
        return { outcome: 'failed' as const, messages: 0 };
      }
    });
  }

  private async decide(manager: EntityManager, reminder: ClaimedReminder, now: Date): Promise<{ outcome: ReminderOutcome; messages: number }> {
    const decide = async (outcome: ReminderOutcome, messages = 0) => {
      await manager.query(`UPDATE case_reminder SET decided_at = $2, outcome = $3 WHERE id = $1`, [reminder.id, now, outcome]);
      return { outcome, messages };
    };

    if (reminder.state !== reminder.scheduled_in_state) {
      this.logger.log(`Påminnelse ${reminder.id} hoppades över: ärendet är nu ${reminder.state}, inte ${reminder.scheduled_in_state}.`);
      return decide('skipped');
    }
    // A clock jump (or downtime) over several reminders of one deadline sends only the latest.
    const later = await manager.query<unknown[]>(
      // Compared in SQL against the row itself: a JS Date would drop send_at's microseconds.
      `SELECT 1 FROM case_reminder l, case_reminder self
        WHERE self.id = $5 AND l.case_id = $1 AND l.kind = $2 AND l.cycle = $3 AND l.send_at <= $4
          AND (l.send_at, l.id) > (self.send_at, self.id)
          AND (l.decided_at IS NULL OR l.outcome = 'queued')
        LIMIT 1`,
      [reminder.case_id, reminder.kind, reminder.cycle, now, reminder.id],
    );
    if (later.length > 0) return decide('superseded');

    const kind = this.registry.get(reminder.case_type);
    const messages = await kind.reminderMessages(
      manager,
      {
        id: reminder.id,
        caseId: reminder.case_id,
        kind: reminder.kind,
        reminderKey: reminder.reminder_key,
        cycle: reminder.cycle,
        audience: reminder.audience,
        sendAt: new Date(reminder.send_at),
        deadlineDate: reminder.deadline_date,
        title: reminder.title,
        reference: reminder.reference,
      },
      { secretariatEmail: this.config.secretariatEmail, publicBaseUrl: this.config.publicBaseUrl, now },
    );
    const domain = senderDomain(this.config.mailFrom);
    let written = 0;
    for (const message of messages) {
      const inserted = await enqueueMessage(
        manager,
        {
          idempotencyKey: reminderIdempotencyKey(reminder.case_id, reminder.reminder_key, reminder.cycle, message.email),
          case: { type: reminder.case_type, id: reminder.case_id },
          kind: reminder.kind,
          recipient: message.email,
          recipientName: message.name,
          subject: message.subject,
          text: message.text,
          html: message.html,
          ics: message.ics,
        },
        now,
        domain,
      );
      if (inserted) written += 1;
    }
    return decide('queued', written);
  }
}

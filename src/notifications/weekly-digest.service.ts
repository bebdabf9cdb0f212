import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { deadlinesOf, type DeadlineKind } from '@workflows/agreement/deadlines';
import { STATE_LABELS } from '@workflows/agreement/labels';
import { addDays, calendarDateOf, type CalendarDate } from '@workflows/calendar/calendar';
import { AppConfig } from '@app/config/app-config';
import { ClockService } from '@app/clock/clock.service';
import { listIncidents } from '@app/incidents/incident.repository';
import { DEADLINE_LABELS } from '@workflows/agreement/labels';
import { watchedAgreements, type WatchedAgreement } from './deadline.repository';
import { deadlineSummary, deadlineUid } from './icalendar';
import { digestDueAt, isoWeekOf } from './iso-week';
import { senderDomain } from './mail.transport';
import { enqueueMessage } from './outbox.repository';
import { hostOf } from './reminder-mail';
import { weeklyDigestMail, type DigestItem } from './weekly-digest-mail';

export const digestIdempotencyKey = (week: string, email: string): string => `digest:${week}:${email.toLowerCase()}`;

/** Every dated item of the digest for these agreements: overdue ones, then those within the horizon. */
export function digestItems(agreements: WatchedAgreement[], today: CalendarDate, horizonEnd: CalendarDate, host: string): DigestItem[] {
  const items: DigestItem[] = [];
  for (const a of agreements) {
    const base = { agreementId: a.id, title: a.title, diarienummer: a.diarienummer, stateLabel: STATE_LABELS[a.state] };
    const decision = a.persisted.context.decision;
    if (a.state === 'extensionDecision.overdue' && decision) {
      items.push({ ...base, date: decision.dueDate, what: 'beslut om förlängning är försenat', overdue: true, uid: null, summary: null });
    }
    for (const t of a.overdueTimers) {
      items.push({ ...base, date: t.dueDate, what: `${DEADLINE_LABELS[t.kind as DeadlineKind] ?? t.kind} (datumet har passerats men inte hanterats)`, overdue: true, uid: null, summary: null });
    }
    let deadlines;
    try {
      deadlines = deadlinesOf(a.persisted);
    } catch (error) {
      // One snapshot this code cannot read must not cost everyone the digest: it is named instead.
      items.push({ ...base, date: today, what: `överenskommelsen kunde inte läsas (${error instanceof Error ? error.message : String(error)})`, overdue: true, uid: null, summary: null });
      continue;
    }
    for (const d of deadlines) {
      if (d.dueDate > horizonEnd) continue;
      const overdue = d.dueDate < today;
      if (overdue && a.overdueTimers.some((t) => t.kind === d.kind && t.dueDate === d.dueDate)) continue;
      items.push({
        ...base,
        date: d.dueDate,
        what: DEADLINE_LABELS[d.kind],
        overdue,
        uid: overdue ? null : deadlineUid(a.id, d.kind, d.cycle, host),
        summary: overdue ? null : deadlineSummary(a.title, d.kind),
      });
    }
  }
  return items;
}

/**
 * The secretariat's weekly digest: due from Monday 07:00 (Stockholm) and
 * written once per ISO week (a missed Monday is caught up later that week).
 * Each sweep asks the outbox whether this week's digest exists, which is one
 * unique-index lookup; the idempotency key stops a second copy from a racing instance.
 */
@Injectable()
export class WeeklyDigestService {
  private readonly logger = new Logger('Veckobrev');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: ClockService,
    private readonly config: AppConfig,
  ) {}

  /** Returns true when this call wrote the week's digest. */
  async sendIfDue(): Promise<boolean> {
    const now = this.clock.now();
    const today = this.clock.today();
    if (now < digestDueAt(today)) return false;
    const week = isoWeekOf(today);
    const recipient = this.config.secretariatEmail.toLowerCase();
    const key = digestIdempotencyKey(week, recipient);
    const exists = await this.dataSource.query<unknown[]>(`SELECT 1 FROM outbox_message WHERE idempotency_key = $1`, [key]);
    if (exists.length > 0) return false;

    return this.dataSource.transaction(async (manager) => {
      const horizonEnd = addDays(today, this.config.digestHorizonDays);
      const agreements = await watchedAgreements(manager, { deadlineUpTo: horizonEnd, now });
      const items = digestItems(agreements, today, horizonEnd, hostOf(this.config.publicBaseUrl));
      const incidents = (await listIncidents(manager, { openOnly: true })).map((i) => ({
        id: String(i.id),
        summary: i.summary,
        error: i.error,
        attempts: i.attempts,
        openedOn: calendarDateOf(new Date(i.opened_at).getTime()),
        possiblyDelivered: i.possibly_delivered,
      }));
      const mail = weeklyDigestMail({ week, today, incidents, horizonDays: this.config.digestHorizonDays, items, publicBaseUrl: this.config.publicBaseUrl, stamp: now });
      const written = await enqueueMessage(
        manager,
        { idempotencyKey: key, case: null, kind: 'weekly_digest', recipient, recipientName: 'Nämndkansliet', subject: mail.subject, text: mail.text, html: mail.html, ics: mail.ics },
        now,
        senderDomain(this.config.mailFrom),
      );
      if (written) this.logger.log(`Veckobrev ${week} köat med ${items.length} datum och ${incidents.length} öppna incidenter.`);
      return written;
    });
  }
}

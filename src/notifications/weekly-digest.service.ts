import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { addDays, calendarDateOf } from '@workflows/calendar/calendar';
import { AppConfig } from '@app/config/app-config';
import { ClockService } from '@app/clock/clock.service';
import { listIncidents } from '@app/incidents/incident.repository';
import { agreementDefinition } from '@workflows/agreement/definition';
import type { AnyDeadlineKind } from '@workflows/agreement/deadlines';
import { CaseDatesService, type CaseDate } from '@app/cases/case-dates.service';
import { capitalised, caseDeadlineSummary, caseDeadlineUid, deadlineSummary, deadlineUid } from './icalendar';
import { digestDueAt, isoWeekOf } from './iso-week';
import { senderDomain } from './mail.transport';
import { enqueueMessage } from './outbox.repository';
import { hostOf } from './reminder-mail';
import { weeklyDigestMail, type DigestItem } from './weekly-digest-mail';

/** The digest names at most this many dates; more are left to Bevakning, which the mail links to. */
export const DIGEST_LIMIT = 200;

export const digestIdempotencyKey = (week: string, email: string): string => `digest:${week}:${email.toLowerCase()}`;

/** What every dated item says, whatever its kind. */
const itemOf = (d: CaseDate): Omit<DigestItem, 'uid' | 'summary'> => ({
  agreementId: d.caseId,
  title: d.title,
  diarienummer: d.reference,
  date: d.dueDate,
  what: d.what,
  stateLabel: d.stateLabel,
  overdue: d.overdue,
});

/** An agreement's date as a digest item: the UID and summary its calendar entry has always had. */
export function agreementDigestItem(d: CaseDate, host: string): DigestItem {
  return {
    ...itemOf(d),
    uid: d.overdue ? null : deadlineUid(d.caseId, d.kind as AnyDeadlineKind, d.cycle, host),
    summary: d.overdue ? null : deadlineSummary(d.title, d.kind as AnyDeadlineKind),
  };
}

/** A date of a case of another kind: its page and its kind's name before the title. */
export function caseDigestItem(d: CaseDate, host: string, publicBaseUrl: string): DigestItem {
  return {
    ...itemOf(d),
    uid: d.overdue ? null : caseDeadlineUid(d.caseType, d.caseId, d.kind, d.cycle, host),
    summary: d.overdue ? null : caseDeadlineSummary(d.noun, d.title, d.label),
    url: `${publicBaseUrl}${d.href}`,
    kindName: capitalised(d.noun),
  };
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
    private readonly dates: CaseDatesService,
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
      const host = hostOf(this.config.publicBaseUrl);
      // The nearest dates (every overdue one first), bounded: the mail links to Bevakning for the rest.
      const { dates, truncated } = await this.dates.dates({ from: today, to: horizonEnd, overdueAt: now, limit: DIGEST_LIMIT }, manager);
      const items = dates.map((d) => (d.caseType === agreementDefinition.type ? agreementDigestItem(d, host) : caseDigestItem(d, host, this.config.publicBaseUrl)));
      // A snapshot this version cannot read must not cost everyone the digest: it is named instead.
      for (const u of await this.dates.unreadable(manager)) {
        items.push({ agreementId: u.caseId, title: u.title, diarienummer: u.reference, date: today, what: u.problem, stateLabel: '–', overdue: true, uid: null, summary: null });
      }
      const incidents = (await listIncidents(manager, { openOnly: true })).items.map((i) => ({
        id: String(i.id),
        summary: i.summary,
        error: i.error,
        attempts: i.attempts,
        openedOn: calendarDateOf(new Date(i.opened_at).getTime()),
        possiblyDelivered: i.possibly_delivered,
      }));
      const mail = weeklyDigestMail({ week, today, incidents, horizonDays: this.config.digestHorizonDays, items, truncated, publicBaseUrl: this.config.publicBaseUrl, stamp: now });
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

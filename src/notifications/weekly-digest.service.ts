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
import { agreementDefinition } from '@workflows/agreement/definition';
import { CaseRegistry } from '@app/cases/case-registry';
import type { StoredCase } from '@app/cases/stored-cases';
import { AgreementRepository, type WatchedAgreement } from '@app/agreements/agreement.repository';
import { watchedCases } from './deadline.repository';
import { capitalised, caseDeadlineSummary, caseDeadlineUid, deadlineSummary, deadlineUid } from './icalendar';
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

export interface CaseDigestContext {
  today: CalendarDate;
  horizonEnd: CalendarDate;
  now: Date;
  host: string;
  publicBaseUrl: string;
}

/**
 * The dated items of cases of every other kind, read generically: their unfired timers (overdue when
 * the sweeper has not fired one whose instant has passed), and the dates their definition shows
 * without a timer (event null), overdue when the kind says so. A shown-only date that passed without
 * being overdue needs no watching and is left out.
 */
export function caseDigestItems(cases: readonly StoredCase[], registry: CaseRegistry, context: CaseDigestContext): DigestItem[] {
  const { today, horizonEnd, now, host, publicBaseUrl } = context;
  const items: DigestItem[] = [];
  for (const c of cases) {
    const kind = registry.get(c.type);
    const label = (deadlineKind: string): string => registry.deadlineLabel(c.type, deadlineKind);
    const base = {
      agreementId: c.id,
      title: c.title,
      diarienummer: c.reference,
      stateLabel: registry.stateLabel(c.type, c.state),
      url: `${publicBaseUrl}${kind.pagePath(c.id)}`,
      kindName: capitalised(kind.definition.noun.indefinite),
    };
    const upcoming = (deadlineKind: string, cycle: number) => ({
      uid: caseDeadlineUid(c.type, c.id, deadlineKind, cycle, host),
      summary: caseDeadlineSummary(kind.definition.noun.indefinite, c.title, label(deadlineKind)),
    });
    for (const t of c.unfiredTimers) {
      if (new Date(t.dueAt) <= now) {
        items.push({ ...base, date: t.dueDate, what: `${label(t.kind)} (datumet har passerats men inte hanterats)`, overdue: true, uid: null, summary: null });
      } else if (t.dueDate <= horizonEnd) {
        items.push({ ...base, date: t.dueDate, what: label(t.kind), overdue: false, ...upcoming(t.kind, t.cycle) });
      }
    }
    let deadlines;
    try {
      deadlines = kind.definition.deadlines(c.persisted as never);
    } catch (error) {
      items.push({ ...base, date: today, what: `${kind.definition.noun.indefinite} kunde inte läsas (${error instanceof Error ? error.message : String(error)})`, overdue: true, uid: null, summary: null });
      continue;
    }
    for (const d of deadlines) {
      // Timed dates come from the timer table above: what the sweeper will actually fire.
      if (d.event !== null || c.unfiredTimers.some((t) => t.kind === d.kind && t.cycle === d.cycle)) continue;
      if (d.overdue) {
        items.push({ ...base, date: d.dueDate, what: `${label(d.kind)} (försenad)`, overdue: true, uid: null, summary: null });
      } else if (d.dueDate >= today && d.dueDate <= horizonEnd) {
        items.push({ ...base, date: d.dueDate, what: label(d.kind), overdue: false, ...upcoming(d.kind, d.cycle) });
      }
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
    private readonly registry: CaseRegistry,
    private readonly tables: AgreementRepository,
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
      const agreements = await this.tables.watched({ deadlineUpTo: horizonEnd, now }, manager);
      const host = hostOf(this.config.publicBaseUrl);
      const others = await watchedCases(manager, this.registry.all().filter((k) => k.definition.type !== agreementDefinition.type));
      const items = [
        ...digestItems(agreements, today, horizonEnd, host),
        ...caseDigestItems(others, this.registry, { today, horizonEnd, now, host, publicBaseUrl: this.config.publicBaseUrl }),
      ];
      const incidents = (await listIncidents(manager, { openOnly: true })).items.map((i) => ({
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

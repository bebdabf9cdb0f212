import { createHash, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, IsNull } from 'typeorm';
import type { Actor } from '@app/audit/actor';
import { AppConfig } from '@app/config/app-config';
import { ClockService } from '@app/clock/clock.service';
import { OFFICE_ROLES, requireSignedIn } from '@app/auth/access';
import { BoundedWork } from '@app/common/bounded-work';
import { DomainError } from '@app/common/domain-error';
import { Person } from '@app/organisations/person.entity';
import { CalendarToken } from './calendar-token.entity';
import { agreementDefinition } from '@workflows/agreement/definition';
import type { AnyDeadlineKind } from '@workflows/agreement/deadlines';
import { addMonths } from '@workflows/calendar/calendar';
import { CaseDatesService } from '@app/cases/case-dates.service';
import { ActorResolver } from '@app/auth/actor.resolver';
import { requesterOf } from '@app/workflow-engine/authorisation';
import { buildCalendar, caseDeadlineSummary, caseDeadlineUid, deadlineSummary, deadlineUid, type CalendarEntry } from './icalendar';
import { hostOf } from './reminder-mail';
import { agreementPagePath } from './page-links';

/** The feed lists at most this many dates, the nearest first. */
export const CALENDAR_LIMIT = 2000;

export const hashToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

export interface IssuedCalendarToken {
  /** Shown once; only its hash is stored. */
  token: string;
  feedUrl: string;
  createdAt: string;
}

/** Secret feed links per person, and the feed itself: every upcoming deadline the person may see. */
@Injectable()
export class CalendarFeedService {
  /**
   * A feed reads up to CALENDAR_LIMIT dates: a few are built at once, a person's calendar asked for
   * again while it is being built (several devices, a client retrying) gets that build, and a crowd
   * gets 503 with Retry-After, which calendar programs honour, instead of timeouts.
   */
  private readonly builds = new BoundedWork({ concurrency: 2, queueSize: 50, busyMessage: 'Många kalendrar hämtas just nu. Försök igen om en minut.', retryAfterSeconds: 60 });

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: ClockService,
    private readonly config: AppConfig,
    private readonly dates: CaseDatesService,
    private readonly actors: ActorResolver,
  ) {}

  /** A new secret link; earlier links of the person stop working (one active link per person). */
  async issue(personId: string, actor: Actor): Promise<IssuedCalendarToken> {
    await this.person(personId, actor);
    const token = randomBytes(32).toString('base64url');
    const now = this.clock.now();
    await this.dataSource.transaction(async (manager) => {
      const tokens = manager.getRepository(CalendarToken);
      await tokens.update({ personId, revokedAt: IsNull() }, { revokedAt: now });
      await tokens.insert({ tokenHash: hashToken(token), personId, createdAt: now, revokedAt: null });
    });
    return { token, feedUrl: `${this.config.publicBaseUrl}/calendar.ics?token=${token}`, createdAt: now.toISOString() };
  }

  /** When the person's active link was made, or null without one (the link itself is not stored). */
  async activeSince(personId: string, actor: Actor): Promise<Date | null> {
    await this.person(personId, actor);
    const token = await this.dataSource.getRepository(CalendarToken).findOne({ where: { personId, revokedAt: IsNull() }, order: { createdAt: 'DESC' } });
    return token?.createdAt ?? null;
  }

  /** The feed address of `token` when it is the person's active link (a link just made, shown once); else null. */
  async feedUrlIfActive(personId: string, token: string | undefined): Promise<string | null> {
    if (!token || token.length > 200) return null;
    const found = await this.dataSource.getRepository(CalendarToken).findOneBy({ personId, tokenHash: hashToken(token), revokedAt: IsNull() });
    return found ? `${this.config.publicBaseUrl}/calendar.ics?token=${token}` : null;
  }

  async revoke(personId: string, actor: Actor): Promise<void> {
    await this.person(personId, actor);
    await this.dataSource.getRepository(CalendarToken).update({ personId, revokedAt: IsNull() }, { revokedAt: this.clock.now() });
  }

  /**
   * The feed for a token; an unknown or revoked token is not found, exactly like no token. Every
   * date in the window (CALENDAR_MONTHS_BACK to CALENDAR_MONTHS_AHEAD) of every case the person may
   * see by its kind's rules, read from the engine's date rows; at most CALENDAR_LIMIT, nearest first.
   * The ETag is the feed's content (not its DTSTAMP), so a calendar asking again gets 304 until a date changes.
   */
  async feed(token: string | undefined): Promise<{ body: string; etag: string }> {
    const notFound = DomainError.notFound('Kalendern');
    if (!token || token.length > 200) throw notFound;
    // A disabled account's link is dead even if it was issued by hand after the account was disabled.
    const [found] = await this.dataSource.query<Array<{ person_id: string; name: string }>>(
      `SELECT t.person_id, p.name FROM calendar_token t JOIN person p ON p.id = t.person_id LEFT JOIN account a ON a.person_id = t.person_id
        WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND a.disabled_at IS NULL`,
      [hashToken(token)],
    );
    if (!found) throw notFound;
    const actor = await this.actors.actorOf(found.person_id);
    if (!actor) throw notFound;
    return this.builds.run(() => this.build(actor, found.name), JSON.stringify([found.person_id, this.clock.today()]));
  }

  private async build(actor: Actor, personName: string): Promise<{ body: string; etag: string }> {
    const today = this.clock.today();
    const { dates } = await this.dates.dates({
      from: addMonths(today, -this.config.calendarMonthsBack),
      to: addMonths(today, this.config.calendarMonthsAhead),
      who: requesterOf(actor),
      limit: CALENDAR_LIMIT,
    });
    const host = hostOf(this.config.publicBaseUrl);
    const entries: CalendarEntry[] = dates
      .filter((d) => !d.overdue)
      .map((d) => {
        const isAgreement = d.caseType === agreementDefinition.type;
        return {
          uid: isAgreement ? deadlineUid(d.caseId, d.kind as AnyDeadlineKind, d.cycle, host) : caseDeadlineUid(d.caseType, d.caseId, d.kind, d.cycle, host),
          date: d.dueDate,
          summary: isAgreement ? deadlineSummary(d.title, d.kind as AnyDeadlineKind) : caseDeadlineSummary(d.noun, d.title, d.label),
          description: `${d.title}${d.reference ? ` (dnr ${d.reference})` : ''}: ${d.label} ${d.dueDate}.`,
          url: `${this.config.publicBaseUrl}${isAgreement ? agreementPagePath(d.caseId) : d.href}`,
        };
      });
    entries.sort((x, y) => (x.date < y.date ? -1 : x.date > y.date ? 1 : x.uid.localeCompare(y.uid)));
    const name = `IOP-datum – ${personName}`;
    const etag = `"${createHash('sha256').update(JSON.stringify([name, entries])).digest('base64url').slice(0, 32)}"`;
    return { body: buildCalendar({ name, entries, stamp: this.clock.now() }), etag };
  }

  /** A person manages their own link; the secretariat and administrators anyone's (e.g. for a colleague on leave). */
  private async person(personId: string, actor: Actor): Promise<Person> {
    requireSignedIn(actor);
    const person = await this.dataSource.getRepository(Person).findOneBy({ id: personId });
    if (!person) throw DomainError.notFound('Personen');
    if (actor.personId !== personId && !actor.roles.some((r) => OFFICE_ROLES.includes(r))) {
      throw new DomainError('forbidden', 'Du kan bara hantera din egen kalenderlänk.');
    }
    return person;
  }
}

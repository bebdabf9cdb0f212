import { createHash, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, IsNull } from 'typeorm';
import { deadlinesOf } from '@workflows/agreement/deadlines';
import type { Actor } from '@app/audit/actor';
import { AppConfig } from '@app/config/app-config';
import { ClockService } from '@app/clock/clock.service';
import { OFFICE_ROLES, requireSignedIn } from '@app/auth/access';
import { DomainError } from '@app/common/domain-error';
import { Person } from '@app/organisations/person.entity';
import { CalendarToken } from './calendar-token.entity';
import { agreementDefinition } from '@workflows/agreement/definition';
import { ActorResolver } from '@app/auth/actor.resolver';
import { CaseRegistry } from '@app/cases/case-registry';
import { requesterOf } from '@app/workflow-engine/authorisation';
import { AgreementRepository } from '@app/agreements/agreement.repository';
import { watchedCases } from './deadline.repository';
import { buildCalendar, caseDeadlineSummary, caseDeadlineUid, deadlineSummary, deadlineUid, type CalendarEntry } from './icalendar';
import { DEADLINE_LABELS } from '@workflows/agreement/labels';
import { hostOf } from './reminder-mail';

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
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: ClockService,
    private readonly config: AppConfig,
    private readonly registry: CaseRegistry,
    private readonly actors: ActorResolver,
    private readonly tables: AgreementRepository,
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

  async revoke(personId: string, actor: Actor): Promise<void> {
    await this.person(personId, actor);
    await this.dataSource.getRepository(CalendarToken).update({ personId, revokedAt: IsNull() }, { revokedAt: this.clock.now() });
  }

  /** The feed for a token; an unknown or revoked token is not found, exactly like no token. */
  async feed(token: string | undefined): Promise<string> {
    const notFound = DomainError.notFound('Kalendern');
    if (!token || token.length > 200) throw notFound;
    // A disabled account's link is dead even if it was issued by hand after the account was disabled.
    const [found] = await this.dataSource.query<Array<{ person_id: string }>>(
      `SELECT t.person_id FROM calendar_token t LEFT JOIN account a ON a.person_id = t.person_id
        WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND a.disabled_at IS NULL`,
      [hashToken(token)],
    );
    if (!found) throw notFound;
    const person = await this.dataSource.getRepository(Person).findOne({ where: { id: found.person_id }, relations: { organisation: true } });
    if (!person) throw notFound;

    const now = this.clock.now();
    const today = this.clock.today();
    const seesAll = person.organisation?.kind === 'municipality';
    const agreements = await this.tables.watched({ now, partyOrganisationId: seesAll ? undefined : person.organisationId });
    const host = hostOf(this.config.publicBaseUrl);
    const entries: CalendarEntry[] = [];
    for (const a of agreements) {
      const url = `${this.config.publicBaseUrl}/agreements/${a.id}`;
      for (const d of deadlinesOf(a.persisted)) {
        if (d.dueDate < today) continue;
        entries.push({
          uid: deadlineUid(a.id, d.kind, d.cycle, host),
          date: d.dueDate,
          summary: deadlineSummary(a.title, d.kind),
          description: `${a.title}${a.diarienummer ? ` (dnr ${a.diarienummer})` : ''}: ${DEADLINE_LABELS[d.kind]} ${d.dueDate}.`,
          url,
        });
      }
    }
    entries.push(...(await this.otherCaseEntries(person.id, today, host)));
    entries.sort((x, y) => (x.date < y.date ? -1 : x.date > y.date ? 1 : x.uid.localeCompare(y.uid)));
    return buildCalendar({ name: `IOP-datum – ${person.name}`, entries, stamp: now });
  }

  /**
   * The upcoming dates of cases of every other kind that the person may see by the kind's own rules
   * (the person as the requester, with their account's roles). Knows no kind.
   */
  private async otherCaseEntries(personId: string, today: string, host: string): Promise<CalendarEntry[]> {
    const actor = await this.actors.actorOf(personId);
    if (!actor) return [];
    const requester = requesterOf(actor);
    const kinds = this.registry.all().filter((k) => k.definition.type !== agreementDefinition.type);
    const entries: CalendarEntry[] = [];
    for (const c of await watchedCases(this.dataSource.manager, kinds)) {
      const kind = this.registry.get(c.type);
      const { definition } = kind;
      if (!definition.rules.maySee(requester, c.ruled)) continue;
      let deadlines;
      try {
        deadlines = definition.deadlines(c.persisted as never);
      } catch {
        // A snapshot this code cannot read costs the feed that case, not the whole feed (the digest names it).
        continue;
      }
      const url = `${this.config.publicBaseUrl}${kind.pagePath(c.id)}`;
      for (const d of deadlines) {
        if (d.dueDate < today || d.overdue) continue;
        const label = this.registry.deadlineLabel(c.type, d.kind);
        entries.push({
          uid: caseDeadlineUid(c.type, c.id, d.kind, d.cycle, host),
          date: d.dueDate,
          summary: caseDeadlineSummary(definition.noun.indefinite, c.title, label),
          description: `${c.title}${c.reference ? ` (dnr ${c.reference})` : ''}: ${label} ${d.dueDate}.`,
          url,
        });
      }
    }
    return entries;
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

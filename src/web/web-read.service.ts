import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CaseRegistry } from '@app/cases/case-registry';
import { CaseDatesService } from '@app/cases/case-dates.service';
import { agreementDefinition } from '@workflows/agreement/definition';
import { addMonths, type CalendarDate } from '@workflows/calendar/calendar';
import { keyDatesOf, type KeyDates } from '@workflows/agreement/deadlines';
import { migratePersisted } from '@workflows/agreement/persistence';
import type { ReminderPolicy } from '@workflows/agreement/reminders';
import type { AuditEvent } from '@app/audit/audit-event.entity';
import { AgreementRepository } from '@app/agreements/agreement.repository';
import { AuditService } from '@app/audit/audit.service';
import { ClockService } from '@app/clock/clock.service';
import { AppConfig } from '@app/config/app-config';
import { hostOf } from '@app/notifications/reminder-mail';
import { agreementDigestItem } from '@app/notifications/weekly-digest.service';
import { orderDigest, type DigestItem } from '@app/notifications/weekly-digest-mail';
import { Organisation } from '@app/organisations/organisation.entity';
import { Person } from '@app/organisations/person.entity';

/** How far ahead Bevakning looks. */
export const WATCH_HORIZON_MONTHS = 12;

/**
 * Bevakning lists at most this many dates per table, the nearest (and every overdue one first); the
 * page says when there are more (filters and the calendar feed reach the rest). 200 rows render in a
 * few ms, so 50 people at once still get the page within a second.
 */
export const WATCH_LIMIT = 200;

export interface WatchItem extends DigestItem {
  state: string;
}

/** A date of a case of another kind than the agreement, for Bevakning: named and linked through the CaseRegistry. */
export interface CaseWatchItem {
  caseType: string;
  /** The kind in Swedish ('beslut om medel'). */
  noun: string;
  title: string;
  reference: string | null;
  href: string;
  date: CalendarDate;
  what: string;
  stateLabel: string;
  overdue: boolean;
}

export interface PersonRow {
  id: string;
  name: string;
  email: string;
  organisationId: string;
  organisationName: string;
  roles: string[] | null;
  disabled: boolean;
  /** The account has a password (else the person signs in through the identity provider, or after an invitation). */
  hasPassword: boolean;
}

/**
 * Reads the pages need beyond the agreements and notifications services: deadlines ahead, an
 * agreement's history and its counts, organisations and people. Read-only; callers check that the person may see the agreement
 * (AgreementsService.get with the actor) before asking about it here.
 */
@Injectable()
export class WebReadService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: ClockService,
    private readonly config: AppConfig,
    private readonly audit: AuditService,
    private readonly registry: CaseRegistry,
    private readonly tables: AgreementRepository,
    private readonly dates: CaseDatesService,
  ) {}

  /**
   * The agreements' dates in the next twelve months and everything overdue, overdue first, then by
   * date: read from the engine's date rows, at most WATCH_LIMIT (`truncated` says there were more).
   */
  async watch(filter: { state?: string; partner?: string }): Promise<{ today: CalendarDate; horizonEnd: CalendarDate; items: WatchItem[]; truncated: boolean }> {
    const today = this.clock.today();
    const horizonEnd = addMonths(today, WATCH_HORIZON_MONTHS);
    const ids = filter.partner ? await this.tables.idsVisibleTo(filter.partner) : undefined;
    const { dates, truncated } = await this.dates.dates({
      from: today,
      to: horizonEnd,
      overdueAt: this.clock.now(),
      types: [agreementDefinition.type],
      ids,
      state: filter.state || undefined,
      limit: WATCH_LIMIT,
    });
    const host = hostOf(this.config.publicBaseUrl);
    const stateOf = new Map(dates.map((d) => [d.caseId, d.state]));
    const items = orderDigest(dates.map((d) => agreementDigestItem(d, host))).map((i) => ({ ...i, state: stateOf.get(i.agreementId) ?? '' }));
    return { today, horizonEnd, items, truncated };
  }

  /** The dates of every other kind's cases, named and linked through the registry, overdue first. */
  async caseWatch(exceptTypes: readonly string[]): Promise<{ items: CaseWatchItem[]; truncated: boolean }> {
    const today = this.clock.today();
    const { dates, truncated } = await this.dates.dates({
      from: today,
      to: addMonths(today, WATCH_HORIZON_MONTHS),
      overdueAt: this.clock.now(),
      types: this.registry
        .all()
        .map((k) => k.definition.type)
        .filter((t) => !exceptTypes.includes(t)),
      limit: WATCH_LIMIT,
    });
    const items = dates.map((d) => ({
      caseType: d.caseType,
      noun: d.noun,
      title: d.title,
      reference: d.reference,
      href: d.href,
      date: d.dueDate,
      what: d.what,
      stateLabel: d.stateLabel,
      overdue: d.overdue,
    }));
    // Overdue first, then by date, as the agreements' list.
    items.sort((a, b) => Number(b.overdue) - Number(a.overdue) || (a.date < b.date ? -1 : a.date > b.date ? 1 : a.title.localeCompare(b.title, 'sv')));
    return { items, truncated };
  }

  /** How many history rows each of these cases has, and when the last was written (a page's worth, by the history's index). */
  async historyCounts(caseIds: readonly string[]): Promise<Map<string, { events: number; lastAt: Date }>> {
    if (caseIds.length === 0) return new Map();
    const rows = await this.dataSource.query<Array<{ agreement_id: string; events: number; last_at: Date }>>(
      `SELECT case_id AS agreement_id, count(*)::int AS events, max(occurred_at) AS last_at FROM audit_event WHERE case_id = ANY($1::uuid[]) GROUP BY case_id`,
      [caseIds],
    );
    return new Map(rows.map((r) => [r.agreement_id, { events: r.events, lastAt: new Date(r.last_at) }]));
  }

  history(agreementId: string): Promise<AuditEvent[]> {
    return this.audit.history(agreementId);
  }

  /** The agreement's key dates (a pure function of its snapshot) and its own reminder policy overrides (null: the defaults). */
  async agreementDates(agreementId: string): Promise<{ keyDates: KeyDates; reminderPolicy: Partial<ReminderPolicy> | null } | null> {
    const a = await this.tables.byId(agreementId);
    if (!a) return null;
    return { keyDates: keyDatesOf(migratePersisted({ machineVersion: a.machineVersion, value: a.stateValue, context: a.context })), reminderPolicy: a.reminderPolicy };
  }

  /** The history a batch at a time, for the CSV export. */
  historyBatches(agreementId: string): AsyncGenerator<AuditEvent[]> {
    return this.audit.historyBatches(agreementId);
  }

  organisations(): Promise<Organisation[]> {
    return this.dataSource.getRepository(Organisation).find({ order: { kind: 'ASC', name: 'ASC' } });
  }

  /** Names of people by id (for the parties' signatories on a page). */
  async peopleOf(organisationIds: string[]): Promise<Person[]> {
    if (organisationIds.length === 0) return [];
    return this.dataSource.getRepository(Person).createQueryBuilder('p').where('p.organisation_id IN (:...ids)', { ids: organisationIds }).orderBy('p.name').getMany();
  }

  /** The people of these organisations who may sign for them: an enabled account with the signatory role (as the terms require). */
  async signersOf(organisationIds: string[]): Promise<Person[]> {
    if (organisationIds.length === 0) return [];
    return this.dataSource
      .getRepository(Person)
      .createQueryBuilder('p')
      .innerJoin('account', 'a', 'a.person_id = p.id')
      .where('p.organisation_id IN (:...ids)', { ids: organisationIds })
      .andWhere(`'signatory' = ANY(a.roles) AND a.disabled_at IS NULL`)
      .orderBy('p.name')
      .getMany();
  }

  /** Everyone, with their organisation and their account's roles (null: no account). */
  people(): Promise<PersonRow[]> {
    return this.dataSource.query<PersonRow[]>(
      `SELECT p.id, p.name, p.email, p.organisation_id AS "organisationId", o.name AS "organisationName", a.roles, (a.disabled_at IS NOT NULL) AS disabled, (a.password_hash IS NOT NULL) AS "hasPassword"
         FROM person p JOIN organisation o ON o.id = p.organisation_id LEFT JOIN account a ON a.person_id = p.id
        ORDER BY o.name, p.name`,
    );
  }
}

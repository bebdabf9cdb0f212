import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { StateValue } from 'xstate';
import { CaseRegistry } from '@app/cases/case-registry';
import { addMonths, type CalendarDate } from '@workflows/calendar/calendar';
import type { AuditEvent } from '@app/audit/audit-event.entity';
import { AuditService } from '@app/audit/audit.service';
import { AuditVerifierService } from '@app/audit/audit-verifier.service';
import { ClockService } from '@app/clock/clock.service';
import { AppConfig } from '@app/config/app-config';
import { watchedAgreements } from '@app/notifications/deadline.repository';
import { hostOf } from '@app/notifications/reminder-mail';
import { digestItems } from '@app/notifications/weekly-digest.service';
import { orderDigest, type DigestItem } from '@app/notifications/weekly-digest-mail';
import { Organisation } from '@app/organisations/organisation.entity';
import { Person } from '@app/organisations/person.entity';

/** How far ahead Bevakning looks. */
export const WATCH_HORIZON_MONTHS = 12;

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
    private readonly verifier: AuditVerifierService,
    private readonly registry: CaseRegistry,
  ) {}

  /** Every deadline in the next twelve months and everything overdue: overdue first, then by date. */
  async watch(filter: { state?: string; partner?: string }): Promise<{ today: CalendarDate; horizonEnd: CalendarDate; items: WatchItem[] }> {
    const now = this.clock.now();
    const today = this.clock.today();
    const horizonEnd = addMonths(today, WATCH_HORIZON_MONTHS);
    const agreements = await watchedAgreements(this.dataSource.manager, { now, deadlineUpTo: horizonEnd, partyOrganisationId: filter.partner || undefined });
    const shown = filter.state ? agreements.filter((a) => a.state === filter.state || a.state.startsWith(`${filter.state}.`)) : agreements;
    const stateOf = new Map(shown.map((a) => [a.id, a.state]));
    const items = orderDigest(digestItems(shown, today, horizonEnd, hostOf(this.config.publicBaseUrl))).map((i) => ({ ...i, state: stateOf.get(i.agreementId) ?? '' }));
    return { today, horizonEnd, items };
  }

  /**
   * The dates of every other kind's cases, from the registry: each case's deadlines as its kind derives
   * them (the timers the engine keeps in case_timer, and the dates shown only), named from case_record.
   * A timer past due that no sweep has fired yet counts as overdue, as it does for agreements.
   */
  async caseWatch(exceptTypes: readonly string[]): Promise<CaseWatchItem[]> {
    const now = this.clock.now();
    const today = this.clock.today();
    const horizonEnd = addMonths(today, WATCH_HORIZON_MONTHS);
    const items: CaseWatchItem[] = [];
    for (const kind of this.registry.all()) {
      const type = kind.definition.type;
      if (exceptTypes.includes(type)) continue;
      const rows = await this.dataSource.query<Array<{ id: string; machine_version: number; state_value: StateValue; context: unknown; title: string; reference: string | null; state: string; late: string[] | null }>>(
        `SELECT k.id, k.machine_version, k.state_value, k.context, r.title, r.reference, r.state,
                (SELECT array_agg(t.kind || ':' || t.cycle) FROM case_timer t
                  WHERE t.case_type = r.case_type AND t.case_id = k.id AND t.fired_at IS NULL AND t.due_at <= $2) AS late
           FROM ${kind.table} k JOIN case_record r ON r.id = k.id AND r.case_type = $1
          ORDER BY r.title, k.id`,
        [type, now],
      );
      for (const r of rows) {
        const deadlines = kind.definition.deadlines({ machineVersion: r.machine_version, value: r.state_value, context: r.context as never });
        for (const d of deadlines) {
          const overdue = d.overdue || (r.late ?? []).includes(`${d.kind}:${d.cycle}`);
          if (!overdue && (d.dueDate < today || d.dueDate > horizonEnd)) continue;
          items.push({
            caseType: type,
            noun: kind.definition.noun.indefinite,
            title: r.title,
            reference: r.reference,
            href: kind.pagePath(r.id),
            date: d.dueDate,
            what: this.registry.deadlineLabel(type, d.kind),
            stateLabel: this.registry.stateLabel(type, r.state),
            overdue,
          });
        }
      }
    }
    // Overdue first, then by date, as the agreements' list.
    return items.sort((a, b) => Number(b.overdue) - Number(a.overdue) || (a.date < b.date ? -1 : a.date > b.date ? 1 : a.title.localeCompare(b.title, 'sv')));
  }

  /** How many history rows each agreement has, and when the last was written. */
  async historyCounts(): Promise<Map<string, { events: number; lastAt: Date }>> {
    const rows = await this.dataSource.query<Array<{ agreement_id: string; events: number; last_at: Date }>>(
      `SELECT case_id AS agreement_id, count(*)::int AS events, max(occurred_at) AS last_at FROM audit_event WHERE case_type = 'agreement' GROUP BY case_id`,
    );
    return new Map(rows.map((r) => [r.agreement_id, { events: r.events, lastAt: new Date(r.last_at) }]));
  }

  /** The chains verified for Granskning: findings and counts, not the list of every case (the page lists the agreements itself). */
  verify(): ReturnType<AuditVerifierService['verify']> {
    return this.verifier.verify(this.clock.now(), { listCases: false });
  }

  history(agreementId: string): Promise<AuditEvent[]> {
    return this.audit.history(agreementId);
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

  /** Everyone, with their organisation and their account's roles (null: no account). */
  people(): Promise<PersonRow[]> {
    return this.dataSource.query<PersonRow[]>(
      `SELECT p.id, p.name, p.email, p.organisation_id AS "organisationId", o.name AS "organisationName", a.roles, (a.disabled_at IS NOT NULL) AS disabled
         FROM person p JOIN organisation o ON o.id = p.organisation_id LEFT JOIN account a ON a.person_id = p.id
        ORDER BY o.name, p.name`,
    );
  }
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
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

  /** How many history rows each agreement has, and when the last was written. */
  async historyCounts(): Promise<Map<string, { events: number; lastAt: Date }>> {
    const rows = await this.dataSource.query<Array<{ agreement_id: string; events: number; last_at: Date }>>(
      `SELECT case_id AS agreement_id, count(*)::int AS events, max(occurred_at) AS last_at FROM audit_event WHERE case_type = 'agreement' GROUP BY case_id`,
    );
    return new Map(rows.map((r) => [r.agreement_id, { events: r.events, lastAt: new Date(r.last_at) }]));
  }

  verify(): ReturnType<AuditVerifierService['verify']> {
    return this.verifier.verify(this.clock.now());
  }

  history(agreementId: string): Promise<AuditEvent[]> {
    return this.audit.history(agreementId);
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

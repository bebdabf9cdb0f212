import { PAGE_SIZE, type Page, type PageRequest } from '@app/common/paging';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { Actor } from '@app/audit/actor';
import { ClockService } from '@app/clock/clock.service';
import { DomainError } from '@app/common/domain-error';
import { AppConfig } from '@app/config/app-config';
import { senderDomain } from '@app/notifications/mail.transport';
import { enqueueMessage } from '@app/notifications/outbox.repository';
import type { CaseRef } from '@app/cases/case-kind';
import { incidentMail } from './incident-mail';
import { markRowFailed, parkRow, resetRow } from './incident-rows';
import { countOpenIncidents, findIncident, listIncidents, lockIncident, markReported, recordIncident, resolveIncident, type IncidentListRow, type IncidentResolution } from './incident.repository';
import { INCIDENT_AFTER_ATTEMPTS } from './retry-policy';

export interface RowFailure {
  source: 'timer' | 'reminder';
  rowId: string;
  case: CaseRef | null;
  /** Swedish: what the row was for, naming the case and the date. */
  summary: string;
  error: string;
}

export const incidentIdempotencyKey = (id: string): string => `incident:${id}`;

/** Incident ids are bigserials: digits only, within bigint. */
const INCIDENT_ID = /^[1-9][0-9]{0,17}$/;

export interface IncidentView {
  id: string;
  source: 'timer' | 'reminder' | 'outbox';
  sourceLabel: string;
  rowId: string;
  /** The case the failing row is about (of any kind), its kind and title. */
  caseType: string | null;
  caseId: string | null;
  /** The same id when the case is an agreement (the API's name from before there were other kinds). */
  agreementId: string | null;
  agreementTitle: string | null;
  summary: string;
  error: string;
  attempts: number;
  possiblyDelivered: boolean;
  /** "kan ha levererats" when the SMTP server may have accepted the message. */
  deliveryNote: string | null;
  openedAt: string;
  lastSeenAt: string;
  reportedAt: string | null;
  resolvedAt: string | null;
  resolution: IncidentResolution | null;
  resolvedBy: string | null;
}

export const SOURCE_LABELS: Record<IncidentView['source'], string> = { timer: 'Datum (timer)', reminder: 'Påminnelse', outbox: 'E-post' };

const iso = (d: Date | null): string | null => (d ? new Date(d).toISOString() : null);

function viewOf(r: IncidentListRow): IncidentView {
  return {
    id: String(r.id),
    source: r.source,
    sourceLabel: SOURCE_LABELS[r.source],
    rowId: String(r.row_id),
    caseType: r.case_type,
    caseId: r.case_id,
    agreementId: r.case_type === 'agreement' ? r.case_id : null,
    agreementTitle: r.case_title,
    summary: r.summary,
    error: r.error,
    attempts: r.attempts,
    possiblyDelivered: r.possibly_delivered,
    deliveryNote: r.source === 'outbox' && r.possibly_delivered ? 'kan ha levererats' : null,
    openedAt: iso(r.opened_at) as string,
    lastSeenAt: iso(r.last_seen_at) as string,
    reportedAt: iso(r.reported_at),
    resolvedAt: iso(r.resolved_at),
    resolution: r.resolution,
    resolvedBy: r.resolved_by_name,
  };
}

/**
 * Work that keeps failing: the sweeps record each failed attempt here, a row that has failed
 * INCIDENT_AFTER_ATTEMPTS times becomes an incident (reported to the secretariat once), and an
 * administrator retries or dismisses it.
 */
@Injectable()
export class IncidentsService {
  private readonly logger = new Logger('Incidenter');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: ClockService,
    private readonly config: AppConfig,
  ) {}

  /** In the caller's transaction, after its own work was rolled back: one more attempt, maybe an incident. */
  async recordFailure(manager: EntityManager, failure: RowFailure, now: Date): Promise<{ attempts: number; incidentId: string | null }> {
    const attempts = await markRowFailed(manager, failure.source, failure.rowId, failure.error, now);
    if (attempts < INCIDENT_AFTER_ATTEMPTS) return { attempts, incidentId: null };
    const incident = await recordIncident(manager, { ...failure, attempts }, now);
    if (incident.opened) {
      this.logger.error(`Incident ${incident.id} öppnad: ${failure.summary}: ${failure.error}`);
      const mail = incidentMail({ id: String(incident.id), summary: failure.summary, error: failure.error, attempts, openedAt: now, publicBaseUrl: this.config.publicBaseUrl });
      await enqueueMessage(
        manager,
        { idempotencyKey: incidentIdempotencyKey(String(incident.id)), case: failure.case, kind: 'incident', recipient: this.config.secretariatEmail, recipientName: 'Nämndkansliet', ...mail },
        now,
        senderDomain(this.config.mailFrom),
      );
      await markReported(manager, incident.id, now);
    }
    return { attempts, incidentId: String(incident.id) };
  }

  async list(page: PageRequest, openOnly = false): Promise<Page<IncidentView>> {
    return (await listIncidents(this.dataSource, { openOnly, page })).map(viewOf);
  }

  async countOpen(): Promise<number> {
    return countOpenIncidents(this.dataSource);
  }

  /** The open incidents the pages show, newest first, at most a page of the largest size. */
  async open(): Promise<IncidentView[]> {
    return (await this.list({ limit: PAGE_SIZE.max, after: null }, true)).items;
  }

  /** Resolves the incident and puts its row back in line, in one transaction: the next sweep takes it. */
  retry(id: string, actor: Actor): Promise<IncidentView> {
    return this.resolve(id, actor, 'retried');
  }

  /** Resolves the incident and stops retrying its timer or reminder (an administrator's retry is then the way back). */
  dismiss(id: string, actor: Actor): Promise<IncidentView> {
    return this.resolve(id, actor, 'dismissed');
  }

  private async resolve(id: string, actor: Actor, resolution: IncidentResolution): Promise<IncidentView> {
    if (!INCIDENT_ID.test(id)) throw DomainError.notFound('Incidenten');
    const now = this.clock.now();
    await this.dataSource.transaction(async (manager) => {
      const incident = await lockIncident(manager, id);
      if (!incident) throw DomainError.notFound('Incidenten');
      if (incident.resolved_at) throw new DomainError('conflict', `Incidenten är redan hanterad (${incident.resolution === 'retried' ? 'försökt igen' : 'avfärdad'}).`);
      if (resolution === 'retried' && !(await resetRow(manager, incident.source, String(incident.row_id), now))) {
        throw new DomainError('conflict', 'Raden som incidenten gäller finns inte längre eller är redan klar; avfärda incidenten i stället.');
      }
      if (resolution === 'dismissed') await parkRow(manager, incident.source, String(incident.row_id));
      await resolveIncident(manager, id, resolution, actor.personId, now);
    });
    this.logger.log(`Incident ${id} ${resolution === 'retried' ? 'försöks igen' : 'avfärdad'} av ${actor.name} (${actor.personId ?? '–'}).`);
    return viewOf((await findIncident(this.dataSource, id)) as IncidentListRow);
  }
}

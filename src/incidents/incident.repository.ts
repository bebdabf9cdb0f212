import type { EntityManager } from 'typeorm';

/** The kinds of background work whose rows can fail: each has its own table and retry columns. */
export type IncidentSource = 'timer' | 'reminder' | 'outbox';

export interface IncidentReport {
  source: IncidentSource;
  /** The id of the failing row in its own table (agreement_timer, agreement_reminder, outbox_message). */
  rowId: string;
  agreementId: string | null;
  /** What the row was for, in Swedish (e.g. "Beslutsfrist för förlängning, Bromodellen"). */
  summary: string;
  error: string;
  attempts: number;
  /** Outbox only: the SMTP server may have accepted the message before the connection was lost. */
  possiblyDelivered?: boolean;
}

export interface IncidentRow {
  id: string;
  source: IncidentSource;
  row_id: string;
  agreement_id: string | null;
  summary: string;
  error: string;
  attempts: number;
  possibly_delivered: boolean;
  opened_at: Date;
  last_seen_at: Date;
  reported_at: Date | null;
  resolved_at: Date | null;
  resolution: 'retried' | 'dismissed' | null;
}

/**
 * The one file that writes the incident table. Opens an incident for a row, or refreshes the
 * open one (error, attempts, last seen): a row that keeps failing has one open incident.
 * Returns the incident's id and whether it was newly opened (so the caller reports it once).
 */
export async function recordIncident(manager: EntityManager, incident: IncidentReport, now: Date): Promise<{ id: string; opened: boolean }> {
  const rows = await manager.query<Array<{ id: string; opened: boolean }>>(
    `INSERT INTO incident (source, row_id, agreement_id, summary, error, attempts, possibly_delivered, opened_at, last_seen_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)
     ON CONFLICT (source, row_id) WHERE resolved_at IS NULL
     DO UPDATE SET error = EXCLUDED.error, attempts = EXCLUDED.attempts, last_seen_at = EXCLUDED.last_seen_at,
                   possibly_delivered = incident.possibly_delivered OR EXCLUDED.possibly_delivered
     RETURNING id, (xmax = 0) AS opened`,
    [incident.source, incident.rowId, incident.agreementId, incident.summary, incident.error, incident.attempts, incident.possiblyDelivered ?? false, now],
  );
  return rows[0];
}

/** Open incidents (for /health, /metrics and the digest). */
export async function openIncidentCount(manager: Pick<EntityManager, 'query'>): Promise<number> {
  const rows = await manager.query<Array<{ n: string }>>(`SELECT count(*) AS n FROM incident WHERE resolved_at IS NULL`);
  return Number(rows[0].n);
}

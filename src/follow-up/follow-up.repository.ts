import type { EntityManager } from 'typeorm';
import type { CalendarDate } from '@workflows/calendar/calendar';

/** Someone who took part in a meeting: a registered person (with their name then), or a name alone. */
export interface MeetingParticipant {
  personId: string | null;
  name: string;
}

export interface MeetingRecord {
  id: string;
  agreementId: string;
  year: number;
  heldOn: CalendarDate;
  participants: MeetingParticipant[];
  notes: string;
  recordedBy: { personId: string; name: string } | null;
  recordedAt: string;
}

/** Where the participants went afterwards, as numbers of people. */
export interface ReportOutcomes {
  work: number;
  studies: number;
  otherActivity: number;
  noChange: number;
}

export interface ReportRecord {
  id: string;
  agreementId: string;
  year: number;
  organisationId: string;
  organisationName: string;
  text: string;
  participantsCount: number;
  gaProgressCount: number;
  outcomes: ReportOutcomes;
  placesUsed: number;
  placesAgreed: number | null;
  submittedBy: { personId: string; name: string } | null;
  submittedAt: string;
}

export type NewMeeting = Pick<MeetingRecord, 'agreementId' | 'heldOn' | 'participants' | 'notes'> & { recordedByPersonId: string | null; recordedAt: Date };
export type NewReport = Omit<ReportRecord, 'id' | 'organisationName' | 'submittedBy' | 'submittedAt'> & { submittedByPersonId: string | null; submittedAt: Date };

interface MeetingRow {
  id: string;
  agreement_id: string;
  year: number;
  held_on: string;
  participants: MeetingParticipant[];
  notes: string;
  recorded_by_person_id: string | null;
  recorded_by_name: string | null;
  recorded_at: Date;
}

interface ReportRow {
  id: string;
  agreement_id: string;
  year: number;
  organisation_id: string;
  organisation_name: string;
  text: string;
  participants_count: number;
  ga_progress_count: number;
  outcome_work: number;
  outcome_studies: number;
  outcome_other_activity: number;
  outcome_no_change: number;
  places_used: number;
  places_agreed: number | null;
  submitted_by_person_id: string | null;
  submitted_by_name: string | null;
  submitted_at: Date;
}

const who = (personId: string | null, name: string | null): { personId: string; name: string } | null => (personId ? { personId, name: name ?? '' } : null);

const meetingOf = (r: MeetingRow): MeetingRecord => ({
  id: r.id,
  agreementId: r.agreement_id,
  year: r.year,
  heldOn: r.held_on,
  participants: r.participants,
  notes: r.notes,
  recordedBy: who(r.recorded_by_person_id, r.recorded_by_name),
  recordedAt: new Date(r.recorded_at).toISOString(),
});

const reportOf = (r: ReportRow): ReportRecord => ({
  id: r.id,
  agreementId: r.agreement_id,
  year: r.year,
  organisationId: r.organisation_id,
  organisationName: r.organisation_name,
  text: r.text,
  participantsCount: r.participants_count,
  gaProgressCount: r.ga_progress_count,
  outcomes: { work: r.outcome_work, studies: r.outcome_studies, otherActivity: r.outcome_other_activity, noChange: r.outcome_no_change },
  placesUsed: r.places_used,
  placesAgreed: r.places_agreed,
  submittedBy: who(r.submitted_by_person_id, r.submitted_by_name),
  submittedAt: new Date(r.submitted_at).toISOString(),
});

const MEETING_COLUMNS = `m.id, m.agreement_id, m.year, to_char(m.held_on, 'YYYY-MM-DD') AS held_on, m.participants, m.notes,
  m.recorded_by_person_id, p.name AS recorded_by_name, m.recorded_at`;
const REPORT_COLUMNS = `r.id, r.agreement_id, r.year, r.organisation_id, o.name AS organisation_name, r.text, r.participants_count,
  r.ga_progress_count, r.outcome_work, r.outcome_studies, r.outcome_other_activity, r.outcome_no_change, r.places_used,
  r.places_agreed, r.submitted_by_person_id, p.name AS submitted_by_name, r.submitted_at`;

/** The one place the follow-up tables are read and written. */
export async function insertMeeting(manager: EntityManager, m: NewMeeting): Promise<string> {
  const [row] = await manager.query<Array<{ id: string }>>(
    `INSERT INTO follow_up_meeting (agreement_id, held_on, year, participants, notes, recorded_by_person_id, recorded_at)
     VALUES ($1, $2::date, extract(year FROM $2::date)::int, $3::jsonb, $4, $5, $6) RETURNING id`,
    [m.agreementId, m.heldOn, JSON.stringify(m.participants), m.notes, m.recordedByPersonId, m.recordedAt],
  );
  return row.id;
}

export async function insertReport(manager: EntityManager, r: NewReport): Promise<string> {
  const [row] = await manager.query<Array<{ id: string }>>(
    `INSERT INTO follow_up_report (agreement_id, year, organisation_id, text, participants_count, ga_progress_count, outcome_work,
       outcome_studies, outcome_other_activity, outcome_no_change, places_used, places_agreed, submitted_by_person_id, submitted_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id`,
    [
      r.agreementId,
      r.year,
      r.organisationId,
      r.text,
      r.participantsCount,
      r.gaProgressCount,
      r.outcomes.work,
      r.outcomes.studies,
      r.outcomes.otherActivity,
      r.outcomes.noChange,
      r.placesUsed,
      r.placesAgreed,
      r.submittedByPersonId,
      r.submittedAt,
    ],
  );
  return row.id;
}

export async function meetingsOf(manager: EntityManager, agreementId: string): Promise<MeetingRecord[]> {
  const rows = await manager.query<MeetingRow[]>(
    `SELECT ${MEETING_COLUMNS} FROM follow_up_meeting m LEFT JOIN person p ON p.id = m.recorded_by_person_id
      WHERE m.agreement_id = $1 ORDER BY m.held_on, m.recorded_at, m.id`,
    [agreementId],
  );
  return rows.map(meetingOf);
}

export async function reportsOf(manager: EntityManager, agreementId: string): Promise<ReportRecord[]> {
  const rows = await manager.query<ReportRow[]>(
    `SELECT ${REPORT_COLUMNS} FROM follow_up_report r JOIN organisation o ON o.id = r.organisation_id
       LEFT JOIN person p ON p.id = r.submitted_by_person_id
      WHERE r.agreement_id = $1 ORDER BY r.year`,
    [agreementId],
  );
  return rows.map(reportOf);
}

/** Every yearly report on one year, for the committee's yearly report on all its IOPs. */
export async function reportsForYear(manager: EntityManager, year: number, agreementIds: readonly string[]): Promise<ReportRecord[]> {
  const rows = await manager.query<ReportRow[]>(
    `SELECT ${REPORT_COLUMNS} FROM follow_up_report r JOIN organisation o ON o.id = r.organisation_id
       LEFT JOIN person p ON p.id = r.submitted_by_person_id
      WHERE r.year = $1 AND r.agreement_id = ANY($2::uuid[]) ORDER BY r.agreement_id`,
    [year, agreementIds],
  );
  return rows.map(reportOf);
}

import { keysetRows, type Page, type PageRequest, type SortKey } from '@app/common/paging';
import type { CalendarDate } from '@workflows/calendar/calendar';
import type { EntityManager } from 'typeorm';
import type { CommitteeMeeting } from '@workflows/calendar/meetings';

interface MeetingRow {
  id: string;
  committee: string;
  meeting_date: string;
  papers_due_on: string;
}

const COLUMNS = `id, committee, to_char(meeting_date, 'YYYY-MM-DD') AS meeting_date, to_char(papers_due_on, 'YYYY-MM-DD') AS papers_due_on`;

const meetingOf = (r: MeetingRow): CommitteeMeeting => ({ meetingId: r.id, committee: r.committee, date: r.meeting_date, papersDueOn: r.papers_due_on });

/** The one file that queries committee_meeting. */
export async function findMeeting(manager: Pick<EntityManager, 'query'>, id: string, lock = false): Promise<CommitteeMeeting | null> {
  const rows = await manager.query<MeetingRow[]>(`SELECT ${COLUMNS} FROM committee_meeting WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
  return rows[0] ? meetingOf(rows[0]) : null;
}

const MEETING_ORDER: SortKey<MeetingRow>[] = [
  { sql: 'meeting_date', value: (m) => m.meeting_date },
  { sql: 'committee', value: (m) => m.committee },
  { sql: 'id', value: (m) => m.id },
];

/** A committee's meetings in a year, or from a day on (or every committee's), in date order. */
export async function listMeetings(
  manager: Pick<EntityManager, 'query'>,
  filter: { committee?: string; year?: number; from?: CalendarDate },
  page: PageRequest,
): Promise<Page<CommitteeMeeting>> {
  const rows = await keysetRows(MEETING_ORDER, page, 5, (keyset) =>
    manager.query<MeetingRow[]>(
      `SELECT ${COLUMNS} FROM committee_meeting
        WHERE ($1::text IS NULL OR committee = $1) AND ($2::int IS NULL OR extract(year FROM meeting_date) = $2) AND ($3::date IS NULL OR meeting_date >= $3)
          AND ${keyset.where}
        ORDER BY ${keyset.orderBy} LIMIT $4`,
      [filter.committee ?? null, filter.year ?? null, filter.from ?? null, keyset.limit, ...keyset.params],
    ),
  );
  return rows.map(meetingOf);
}

/** The meetings with these ids (those a case names), in any order. */
export async function meetingsWithIds(manager: Pick<EntityManager, 'query'>, ids: readonly string[]): Promise<CommitteeMeeting[]> {
  if (ids.length === 0) return [];
  const rows = await manager.query<MeetingRow[]>(`SELECT ${COLUMNS} FROM committee_meeting WHERE id = ANY($1::text[])`, [[...new Set(ids)]]);
  return rows.map(meetingOf);
}

/** Inserts a meeting; false when one with that id, or of that committee on that day, exists. */
export async function insertMeeting(manager: Pick<EntityManager, 'query'>, meeting: CommitteeMeeting, personId: string | null, now: Date): Promise<boolean> {
  const rows = await manager.query<unknown[]>(
    `INSERT INTO committee_meeting (id, committee, meeting_date, papers_due_on, created_at, updated_at, updated_by_person_id)
     VALUES ($1, $2, $3, $4, $5, $5, $6) ON CONFLICT DO NOTHING RETURNING id`,
    [meeting.meetingId, meeting.committee, meeting.date, meeting.papersDueOn, now, personId],
  );
  return rows.length > 0;
}

export async function moveMeeting(manager: Pick<EntityManager, 'query'>, meeting: CommitteeMeeting, personId: string | null, now: Date): Promise<void> {
  await manager.query(`UPDATE committee_meeting SET meeting_date = $2, papers_due_on = $3, updated_at = $4, updated_by_person_id = $5 WHERE id = $1`, [
    meeting.meetingId,
    meeting.date,
    meeting.papersDueOn,
    now,
    personId,
  ]);
}

import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { CaseReminder } from '@workflows/kernel/kernel';
import type { CalendarDate } from '@workflows/calendar/calendar';
import type { CaseRef } from '@app/cases/case-kind';

/** Reminders dated before the transition are not sent late. */
export function remindersFrom<T extends { sendOn: CalendarDate }>(planned: readonly T[], today: CalendarDate): T[] {
  return planned.filter((r) => r.sendOn >= today);
}

/**
 * Keeps `case_reminder` a mirror of the kind's pure reminder schedule, inside the
 * transaction of each transition (like the timer rows). Decided rows stay as
 * history, and a reminder already decided for the same key and cycle (queued,
 * skipped or superseded) is not planned again, so a self-transition on the day
 * of a reminder (one party's consent) cannot send it twice.
 */
@Injectable()
export class ReminderPlannerService {
  async replace(manager: EntityManager, ref: CaseRef, planned: readonly CaseReminder[], state: string, today: CalendarDate): Promise<void> {
    const rows = remindersFrom(planned, today);
    if (rows.length === 0) {
      await manager.query(`DELETE FROM case_reminder WHERE case_id = $1 AND decided_at IS NULL`, [ref.id]);
      return;
    }
    // One round trip: delete the undecided rows and insert the new plan (the NOT EXISTS only reads decided rows).
    const values: unknown[] = [ref.id, state, ref.type];
    const tuples = rows.map((r) => {
      values.push(r.kind, r.key, r.cycle, r.audience, r.sendAt, r.deadlineDate);
      const n = values.length;
      return `($${n - 5}::text, $${n - 4}::text, $${n - 3}::int, $${n - 2}::text, $${n - 1}::timestamptz, $${n}::date)`;
    });
    await manager.query(
      `WITH cleared AS (DELETE FROM case_reminder WHERE case_id = $1 AND decided_at IS NULL)
       INSERT INTO case_reminder (case_id, case_type, kind, reminder_key, cycle, audience, send_at, deadline_date, scheduled_in_state)
       SELECT $1::uuid, $3::text, v.kind, v.reminder_key, v.cycle, v.audience, v.send_at, v.deadline_date, $2
         FROM (VALUES ${tuples.join(', ')}) AS v (kind, reminder_key, cycle, audience, send_at, deadline_date)
        WHERE NOT EXISTS (
          SELECT 1 FROM case_reminder d
           WHERE d.case_id = $1 AND d.reminder_key = v.reminder_key AND d.cycle = v.cycle AND d.decided_at IS NOT NULL)`,
      values,
    );
  }
}

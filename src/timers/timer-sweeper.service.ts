import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { calendarDateOf } from '@workflows/calendar/calendar';
import { SYSTEM_ACTOR } from '@app/audit/actor';
import { ClockService } from '@app/clock/clock.service';
import { DomainError } from '@app/common/domain-error';
import { IncidentsService } from '@app/incidents/incidents.service';
import { errorText } from '@app/incidents/retry-policy';
import { WorkflowEngineService } from '@app/workflow-engine/workflow-engine.service';
import { CaseRegistry } from '@app/cases/case-registry';
import { NotificationSweepService } from '@app/notifications/notification-sweep.service';
import { recordSweep } from './sweep-heartbeat.repository';

interface ClaimedTimer {
  id: string;
  case_type: string;
  case_id: string;
  kind: string;
  event_type: string;
  scheduled_in_state: string;
  due_at: Date;
  due_date: string;
  state: string;
  title: string;
  reference: string | null;
}

export interface SweepResult {
  applied: number;
  skipped: number;
  /** Timers whose firing threw: recorded on their rows with a backoff, the others went on. */
  failed: number;
}

type Outcome = 'applied' | 'skipped' | 'failed';

/** What a timer is for, in Swedish, for the incident: the deadline, its date and the case. */
export function timerSummary(label: string, t: { due_date: string; title: string; reference: string | null }): string {
  return `Datum ”${label}” ${t.due_date} för ${t.title}${t.reference ? ` (dnr ${t.reference})` : ''}`;
}

/**
 * Fires due timers through the engine path, one transaction per timer:
 * claim it (SKIP LOCKED, so several instances share the work), mark it fired,
 * re-check the agreement is still where the timer expects, then apply.
 * A timer whose firing throws is rolled back to a savepoint and its failure
 * recorded on the row (with a backoff the claim respects), so it cannot hold
 * up the timers behind it.
 */
@Injectable()
export class TimerSweeperService {
  private readonly logger = new Logger('Bevakning');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly engine: WorkflowEngineService,
    private readonly clock: ClockService,
    private readonly notifications: NotificationSweepService,
    private readonly incidents: IncidentsService,
    private readonly registry: CaseRegistry,
  ) {}

  /**
   * Fires every timer due by now, then decides reminders and the digest (the timers change the
   * states the reminders re-check). The schedule runs the two as separate loops; this is both in
   * order, for `npm run tick` and the tests. `notify: false` is for replaying history (the demo).
   */
  async sweep(batchSize = 100, options: { notify?: boolean } = {}): Promise<SweepResult> {
    const total = await this.fireDue(batchSize, { replay: options.notify === false });
    if (options.notify !== false) await this.notifications.run();
    return total;
  }

  /** The timers loop: every timer due by now, earliest first, until none is left (a jump over years fires them in order). */
  async fireDue(batchSize = 100, options: { replay?: boolean } = {}): Promise<SweepResult> {
    const total: SweepResult = { applied: 0, skipped: 0, failed: 0 };
    for (;;) {
      const now = this.clock.now();
      let claimed = 0;
      for (; claimed < batchSize; claimed += 1) {
        const outcome = await this.fireOne(now, options.replay === true);
        if (outcome === 'none') break;
        total[outcome] += 1;
      }
      if (claimed < batchSize) break;
    }
    await recordSweep(this.dataSource, 'timers', this.clock.now());
    return total;
  }

  private fireOne(now: Date, replay: boolean): Promise<Outcome | 'none'> {
    return this.dataSource.transaction(async (manager) => {
      // The case is locked with the timer (case_record, which every transition locks); a case busy elsewhere is left for the next round.
      const rows = await manager.query<ClaimedTimer[]>(
        `SELECT t.id, t.case_type, t.case_id, t.kind, t.event_type, t.scheduled_in_state, t.due_at, to_char(t.due_date, 'YYYY-MM-DD') AS due_date,
                c.state, c.title, c.reference
           FROM case_timer t JOIN case_record c ON c.id = t.case_id
          WHERE t.fired_at IS NULL AND t.due_at <= $1 AND (t.next_attempt_at IS NULL OR t.next_attempt_at <= $1)
          ORDER BY t.due_at, t.id
          LIMIT 1
          FOR UPDATE OF t, c SKIP LOCKED`,
        [now],
      );
      const timer = rows[0];
      if (!timer) return 'none';
      // Whatever the firing throws is undone to here; the locks stay, so the failure is recorded on the row we hold.
      await manager.query('SAVEPOINT fire_timer');
      try {
        const outcome = await this.fire(manager, timer, now, replay);
        await manager.query('RELEASE SAVEPOINT fire_timer');
        return outcome;
      } catch (error) {
        await manager.query('ROLLBACK TO SAVEPOINT fire_timer');
        const text = errorText(error);
        const { attempts, incidentId } = await this.incidents.recordFailure(
          manager,
          { source: 'timer', rowId: String(timer.id), case: { type: timer.case_type, id: timer.case_id }, summary: timerSummary(this.registry.deadlineLabel(timer.case_type, timer.kind), timer), error: text },
          now,
        );
        this.logger.warn(`Timer ${timer.id} (${timer.event_type}, ${timer.case_type} ${timer.case_id}) misslyckades, försök ${attempts}${incidentId ? `, incident ${incidentId}` : ''}: ${text}`);
        return 'failed';
      }
    });
  }

  private async fire(manager: EntityManager, timer: ClaimedTimer, now: Date, replay: boolean): Promise<Outcome> {
    const state = timer.state;
    const stillDue = state === timer.scheduled_in_state;
    await manager.query(`UPDATE case_timer SET fired_at = $2, outcome = $3 WHERE id = $1`, [timer.id, now, stillDue ? 'applied' : 'skipped']);
    if (!stillDue) {
      this.logger.log(`Timer ${timer.id} hoppades över: ärendet är nu ${state}, inte ${timer.scheduled_in_state}.`);
      return 'skipped';
    }
    try {
      await this.engine.apply({ type: timer.case_type, id: timer.case_id }, { type: timer.event_type }, SYSTEM_ACTOR, {
        manager,
        effectiveOn: calendarDateOf(new Date(timer.due_at).getTime()),
        // History being replayed (the demo) sends no notices for the steps the clock takes.
        replay,
      });
      return 'applied';
    } catch (error) {
      // A guard that no longer holds is the world having changed: record it fired and skipped.
      if (error instanceof DomainError && error.code === 'event_not_allowed') {
        await manager.query(`UPDATE case_timer SET outcome = 'skipped' WHERE id = $1`, [timer.id]);
        return 'skipped';
      }
      throw error;
    }
  }
}

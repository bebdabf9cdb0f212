import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { calendarDateOf } from '@workflows/calendar/calendar';
import type { TimerEventType } from '@workflows/agreement/types';
import { SYSTEM_ACTOR } from '@app/audit/actor';
import { ClockService } from '@app/clock/clock.service';
import { DomainError } from '@app/common/domain-error';
import { WorkflowEngineService } from '@app/workflow-engine/workflow-engine.service';
import { NotificationSweepService } from '@app/notifications/notification-sweep.service';
import { recordSweepHeartbeat } from '@app/health/work-status.repository';

interface ClaimedTimer {
  id: string;
  agreement_id: string;
  event_type: TimerEventType;
  scheduled_in_state: string;
  due_at: Date;
  state: string;
}

export interface SweepResult {
  applied: number;
  skipped: number;
}

/**
 * Fires due timers through the engine path, one transaction per timer:
 * claim it (SKIP LOCKED, so several instances share the work), mark it fired,
 * re-check the agreement is still where the timer expects, then apply.
 */
@Injectable()
export class TimerSweeperService {
  private readonly logger = new Logger('Bevakning');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly engine: WorkflowEngineService,
    private readonly clock: ClockService,
    private readonly notifications: NotificationSweepService,
  ) {}

  /**
   * Fires every timer due by now, earliest first, until none is left (a jump over years fires them in order).
   * `notify: false` is for replaying history (the demo): deadlines fire, but no reminder or digest is written.
   */
  async sweep(batchSize = 100, options: { notify?: boolean } = {}): Promise<SweepResult> {
    const total: SweepResult = { applied: 0, skipped: 0 };
    for (;;) {
      const fired = await this.fireBatch(batchSize);
      total.applied += fired.applied;
      total.skipped += fired.skipped;
      // Reminders after the timers: the timers change the states the reminders re-check.
      if (fired.applied + fired.skipped === 0) {
        if (options.notify !== false) await this.notifications.run();
        await recordSweepHeartbeat(this.dataSource, 'timers', this.clock.now());
        return total;
      }
    }
  }

  private async fireBatch(batchSize: number): Promise<SweepResult> {
    const result: SweepResult = { applied: 0, skipped: 0 };
    const now = this.clock.now();
    for (let i = 0; i < batchSize; i += 1) {
      const outcome = await this.fireOne(now);
      if (outcome === 'none') break;
      result[outcome] += 1;
    }
    return result;
  }

  private fireOne(now: Date): Promise<'applied' | 'skipped' | 'none'> {
    return this.dataSource.transaction(async (manager) => {
      // The agreement row is locked with the timer; an agreement busy elsewhere is left for the next round.
      const rows = await manager.query<ClaimedTimer[]>(
        `SELECT t.id, t.agreement_id, t.event_type, t.scheduled_in_state, t.due_at, a.state
           FROM agreement_timer t JOIN agreement a ON a.id = t.agreement_id
          WHERE t.fired_at IS NULL AND t.due_at <= $1
          ORDER BY t.due_at, t.id
          LIMIT 1
          FOR UPDATE OF t, a SKIP LOCKED`,
        [now],
      );
      const timer = rows[0];
      if (!timer) return 'none';
      const state = timer.state;
      const stillDue = state === timer.scheduled_in_state;
      await manager.query(`UPDATE agreement_timer SET fired_at = $2, outcome = $3 WHERE id = $1`, [timer.id, now, stillDue ? 'applied' : 'skipped']);
      if (!stillDue) {
        this.logger.log(`Timer ${timer.id} hoppades över: överenskommelsen är nu ${state}, inte ${timer.scheduled_in_state}.`);
        return 'skipped';
      }
      try {
        await this.engine.apply(timer.agreement_id, { type: timer.event_type }, SYSTEM_ACTOR, {
          manager,
          effectiveOn: calendarDateOf(new Date(timer.due_at).getTime()),
        });
        return 'applied';
      } catch (error) {
        // A guard that no longer holds is the world having changed: record it fired and skipped.
        if (error instanceof DomainError && error.code === 'event_not_allowed') {
          await manager.query(`UPDATE agreement_timer SET outcome = 'skipped' WHERE id = $1`, [timer.id]);
          return 'skipped';
        }
        throw error;
      }
    });
  }
}

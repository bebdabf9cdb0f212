import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ClockService } from '@app/clock/clock.service';
import { AppConfig } from '@app/config/app-config';
import { readWorkStatus } from './work-status.repository';

export interface WorkReport {
  /** Seconds since any instance last completed a timer sweep; null if none has (in this database). */
  lastSweepSecondsAgo: number | null;
  /** How long the longest-waiting due timer has waited for a sweeper; 0 when none waits. */
  oldestDueTimerSeconds: number;
  /** How long the longest-waiting due outbox message (pending or sending) has waited; 0 when none. */
  oldestDueOutboxSeconds: number;
  openIncidents: number;
  /** Why the deadlines are not being kept, in Swedish; empty when ready. */
  problems: string[];
}

const secondsBetween = (from: Date, to: Date): number => Math.max(0, Math.floor((to.getTime() - from.getTime()) / 1000));

function minutesText(seconds: number): string {
  const minutes = Math.floor(seconds / 60);
  return minutes === 1 ? '1 minut' : `${minutes} minuter`;
}

/**
 * Whether the background work keeps up, from the database (so every instance answers for the whole
 * installation). Ready means deadlines are being fired: the oldest due timer is younger than
 * READINESS_MAX_TIMER_DELAY_MINUTES and some instance completed a sweep within
 * READINESS_MAX_SWEEP_AGE_MINUTES. The outbox and incidents are reported, not judged: a mail server
 * that is down, or one failing row, must not take every instance out of the load balancer.
 */
@Injectable()
export class WorkStatusService {
  /** Before any sweep is recorded, the sweep age counts from this instance's start. */
  private readonly startedAt: Date;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: ClockService,
    private readonly config: AppConfig,
  ) {
    this.startedAt = clock.now();
  }

  async report(): Promise<WorkReport> {
    // The injected clock, not the database's: due_at and the heartbeat are written on the same clock.
    const now = this.clock.now();
    const status = await readWorkStatus(this.dataSource, now);
    const report: WorkReport = {
      lastSweepSecondsAgo: status.lastTimerSweepAt === null ? null : secondsBetween(status.lastTimerSweepAt, now),
      oldestDueTimerSeconds: status.oldestDueTimerSince === null ? 0 : secondsBetween(status.oldestDueTimerSince, now),
      oldestDueOutboxSeconds: status.oldestDueOutboxSince === null ? 0 : secondsBetween(status.oldestDueOutboxSince, now),
      openIncidents: status.openIncidents,
      problems: [],
    };
    const maxDelay = this.config.readinessMaxTimerDelayMinutes * 60;
    if (report.oldestDueTimerSeconds > maxDelay) {
      report.problems.push(
        `En förfallen frist har väntat ${minutesText(report.oldestDueTimerSeconds)} på att hanteras (gräns ${minutesText(maxDelay)}): bevakningen hinner inte med eller står still.`,
      );
    }
    const maxSweepAge = this.config.readinessMaxSweepAgeMinutes * 60;
    const sweepAge = report.lastSweepSecondsAgo ?? secondsBetween(this.startedAt, now);
    if (maxSweepAge > 0 && sweepAge > maxSweepAge) {
      report.problems.push(
        report.lastSweepSecondsAgo === null
          ? `Ingen bevakningsomgång har slutförts sedan start för ${minutesText(sweepAge)} sedan (gräns ${minutesText(maxSweepAge)}).`
          : `Senaste slutförda bevakningsomgång var för ${minutesText(sweepAge)} sedan (gräns ${minutesText(maxSweepAge)}).`,
      );
    }
    return report;
  }
}

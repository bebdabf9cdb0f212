import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { AppConfig } from '@app/config/app-config';
import { NotificationSweepService } from '@app/notifications/notification-sweep.service';
import { TimerSweeperService } from './timer-sweeper.service';

/**
 * One loop on its own interval; a round still running when the next is due is not started twice.
 * stop() waits for the round in progress, so a shutdown (SIGTERM) finishes the sweep it is in
 * before the connection pool closes, and starts no new one.
 */
export class Loop {
  private handle: NodeJS.Timeout | null = null;
  private first: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;

  constructor(private readonly round: () => Promise<void>) {}

  start(intervalMs: number): void {
    this.stopped = false;
    this.handle = setInterval(() => void this.tick(), intervalMs);
    this.handle.unref();
    // A first round right after start: what fell due while no instance ran should not wait a whole interval.
    this.first = setTimeout(() => void this.tick(), 0);
    this.first.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.handle) clearInterval(this.handle);
    if (this.first) clearTimeout(this.first);
    this.handle = null;
    this.first = null;
    await this.running;
  }

  async tick(): Promise<void> {
    if (this.running || this.stopped) return;
    this.running = (async () => {
      try {
        await this.round();
      } finally {
        this.running = null;
      }
    })();
    await this.running;
  }
}

/**
 * Wakes the sweeps on an interval in every instance: timers and reminders are separate loops, so a
 * timer round that hangs (a lock, a slow database) does not hold up the reminders. The interval is
 * only a trigger: deadlines and reminders are rows, so a restart loses nothing.
 */
@Injectable()
export class TimerScheduleService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Bevakning');
  readonly timers = new Loop(() => this.timerRound());
  readonly reminders = new Loop(() => this.reminderRound());

  constructor(
    private readonly config: AppConfig,
    private readonly sweeper: TimerSweeperService,
    private readonly notifications: NotificationSweepService,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.timerSweepIntervalMs <= 0) return;
    this.timers.start(this.config.timerSweepIntervalMs);
    this.reminders.start(this.config.timerSweepIntervalMs);
  }

  /** Lets the rounds in progress finish (Nest calls this before the pool and the database close). */
  async onModuleDestroy(): Promise<void> {
    await Promise.all([this.timers.stop(), this.reminders.stop()]);
  }

  private async timerRound(): Promise<void> {
    try {
      const { applied, skipped, failed } = await this.sweeper.fireDue();
      if (applied + skipped + failed > 0) this.logger.log(`Bevakning: ${applied} datum hanterade, ${skipped} överhoppade, ${failed} misslyckade.`);
    } catch (error) {
      this.logger.error(`Bevakningen misslyckades och försöker igen vid nästa intervall: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private async reminderRound(): Promise<void> {
    try {
      const { reminders } = await this.notifications.run();
      if (reminders.failed > 0) this.logger.warn(`Påminnelser: ${reminders.failed} misslyckade, försöks igen senare.`);
    } catch (error) {
      this.logger.error(`Påminnelserna misslyckades och försöker igen vid nästa intervall: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { AppConfig } from '@app/config/app-config';
import { WorkLoop } from '@app/common/work-loop';
import { ShutdownState } from '@app/health/shutdown-state';
import { NotificationSweepService } from '@app/notifications/notification-sweep.service';
import { TimerSweeperService } from './timer-sweeper.service';

/**
 * Wakes the sweeps on an interval in every instance: timers and reminders are separate loops, so a
 * timer round that hangs (a lock, a slow database) does not hold up the reminders. The interval is
 * only a trigger: deadlines and reminders are rows, so a restart loses nothing.
 */
@Injectable()
export class TimerScheduleService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Bevakning');
  readonly timers = new WorkLoop(() => this.timerRound());
  readonly reminders = new WorkLoop(() => this.reminderRound());

  constructor(
    private readonly config: AppConfig,
    private readonly sweeper: TimerSweeperService,
    private readonly notifications: NotificationSweepService,
    private readonly shutdown: ShutdownState,
  ) {
    shutdown.register(this.timers, this.reminders);
  }

  onApplicationBootstrap(): void {
    if (this.config.timerSweepIntervalMs <= 0) return;
    this.timers.start(this.config.timerSweepIntervalMs, { firstAfterMs: 0 });
    this.reminders.start(this.config.timerSweepIntervalMs, { firstAfterMs: 0 });
  }

  /** Lets the rounds in progress finish (Nest calls this before the pool and the database close). */
  async onModuleDestroy(): Promise<void> {
    this.shutdown.closing();
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

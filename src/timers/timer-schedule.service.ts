import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { AppConfig } from '@app/config/app-config';
import { TimerSweeperService } from './timer-sweeper.service';

/**
 * Wakes the sweeper on an interval in every instance. The interval is only a
 * trigger: the deadlines themselves are rows, so a restart loses nothing.
 */
@Injectable()
export class TimerScheduleService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Bevakning');
  private handle: NodeJS.Timeout | null = null;
  private running = false;

  constructor(
    private readonly config: AppConfig,
    private readonly sweeper: TimerSweeperService,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.timerSweepIntervalMs <= 0) return;
    this.handle = setInterval(() => void this.tick(), this.config.timerSweepIntervalMs);
    this.handle.unref();
    // A first sweep right after start: what fell due while no instance ran should not wait a whole interval.
    setTimeout(() => void this.tick(), 0).unref();
  }

  onModuleDestroy(): void {
    if (this.handle) clearInterval(this.handle);
  }

  private async tick(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      const { applied, skipped } = await this.sweeper.sweep();
      if (applied + skipped > 0) this.logger.log(`Bevakning: ${applied} datum hanterade, ${skipped} överhoppade.`);
    } catch (error) {
      this.logger.error(`Bevakningen misslyckades och försöker igen vid nästa intervall: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      this.running = false;
    }
  }
}

import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ClockService } from '@app/clock/clock.service';
import { errorText } from '@app/incidents/retry-policy';
import { recordSweep } from '@app/timers/sweep-heartbeat.repository';
import { ReminderDispatcherService, type DispatchResult } from './reminder-dispatcher.service';
import { WeeklyDigestService } from './weekly-digest.service';

export interface NotificationSweepResult {
  reminders: DispatchResult;
  digestQueued: boolean;
}

/** The reminders loop: decide due reminders, then the weekly digest, then stamp the round as completed. */
@Injectable()
export class NotificationSweepService {
  private readonly logger = new Logger('Påminnelser');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly reminders: ReminderDispatcherService,
    private readonly digest: WeeklyDigestService,
    private readonly clock: ClockService,
  ) {}

  async run(): Promise<NotificationSweepResult> {
    const reminders = await this.reminders.dispatchDue();
    let digestQueued = false;
    try {
      digestQueued = await this.digest.sendIfDue();
    } catch (error) {
      // The digest has no row to set aside: it is simply asked again next round (its key stops a second copy).
      this.logger.error(`Veckobrevet kunde inte skrivas och försöks igen vid nästa körning: ${errorText(error)}`);
    }
    await recordSweep(this.dataSource, 'reminders', this.clock.now());
    return { reminders, digestQueued };
  }
}

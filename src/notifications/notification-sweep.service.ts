import { Injectable } from '@nestjs/common';
import { ReminderDispatcherService, type DispatchResult } from './reminder-dispatcher.service';
import { WeeklyDigestService } from './weekly-digest.service';

export interface NotificationSweepResult {
  reminders: DispatchResult;
  digestQueued: boolean;
}

/** What the timer sweep does after the timers: decide due reminders, then the weekly digest. */
@Injectable()
export class NotificationSweepService {
  constructor(
    private readonly reminders: ReminderDispatcherService,
    private readonly digest: WeeklyDigestService,
  ) {}

  async run(): Promise<NotificationSweepResult> {
    const reminders = await this.reminders.dispatchDue();
    const digestQueued = await this.digest.sendIfDue();
    return { reminders, digestQueued };
  }
}

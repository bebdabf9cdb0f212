import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { WorkLoop } from '@app/common/work-loop';
import { AppConfig } from '@app/config/app-config';
import { ShutdownState } from '@app/health/shutdown-state';
import { OutboxSenderService } from './outbox-sender.service';

/**
 * Wakes the outbox sender on an interval in every instance (OUTBOX_SEND_INTERVAL_MS, 0 = off).
 * The messages are rows, so a stopped or crashed instance loses nothing; another one, or the
 * next start, delivers them.
 */
@Injectable()
export class OutboxScheduleService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Utskick');
  private readonly loop = new WorkLoop(() => this.round());

  constructor(
    private readonly config: AppConfig,
    private readonly sender: OutboxSenderService,
    private readonly shutdown: ShutdownState,
  ) {
    shutdown.register(this.loop);
  }

  onApplicationBootstrap(): void {
    if (this.config.outboxSendIntervalMs <= 0) return;
    this.loop.start(this.config.outboxSendIntervalMs);
  }

  /** Starts no new round in any loop, and lets this one's round in progress finish before the pool and the database close. */
  async onModuleDestroy(): Promise<void> {
    this.shutdown.closing();
    await this.loop.stop();
  }

  private async round(): Promise<void> {
    try {
      const { sent, retried, failed } = await this.sender.deliverDue();
      if (sent + retried + failed > 0) this.logger.log(`Utskick: ${sent} skickade, ${retried} försöks igen, ${failed} misslyckade.`);
    } catch (error) {
      this.logger.error(`Utskicket misslyckades och försöker igen vid nästa intervall: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

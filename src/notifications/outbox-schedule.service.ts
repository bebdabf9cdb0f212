import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { AppConfig } from '@app/config/app-config';
import { OutboxSenderService } from './outbox-sender.service';

/**
 * Wakes the outbox sender on an interval in every instance (OUTBOX_SEND_INTERVAL_MS, 0 = off).
 * The messages are rows, so a stopped or crashed instance loses nothing; another one, or the
 * next start, delivers them.
 */
@Injectable()
export class OutboxScheduleService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Utskick');
  private handle: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly config: AppConfig,
    private readonly sender: OutboxSenderService,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.outboxSendIntervalMs <= 0) return;
    this.handle = setInterval(() => {
      if (this.running) return;
      this.running = this.tick().finally(() => {
        this.running = null;
      });
    }, this.config.outboxSendIntervalMs);
    this.handle.unref();
  }

  /** Stops the interval and lets a round in progress finish before the pool and the database close. */
  async onModuleDestroy(): Promise<void> {
    if (this.handle) clearInterval(this.handle);
    this.handle = null;
    await this.running;
  }

  private async tick(): Promise<void> {
    try {
      const { sent, retried, failed } = await this.sender.deliverDue();
      if (sent + retried + failed > 0) this.logger.log(`Utskick: ${sent} skickade, ${retried} försöks igen, ${failed} misslyckade.`);
    } catch (error) {
      this.logger.error(`Utskicket misslyckades och försöker igen vid nästa intervall: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

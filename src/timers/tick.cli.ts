// `npm run tick`: fire every due deadline once and exit, for deployments that prefer cron to the in-process interval.
import 'reflect-metadata';
import { createCommandContext } from '@app/bootstrap';
import { ConfigError } from '@app/config/app-config';
import { OutboxSenderService } from '@app/notifications/outbox-sender.service';
import { TimerSweeperService } from './timer-sweeper.service';

async function tick(): Promise<void> {
  const { app, logger } = await createCommandContext();
  try {
    const { applied, skipped } = await app.get(TimerSweeperService).sweep();
    logger.log(`Bevakning klar: ${applied} datum hanterade, ${skipped} överhoppade.`, 'Tick');
    // After the sweep, so messages the fired deadlines wrote to the outbox leave in the same run.
    const { sent, retried, failed } = await app.get(OutboxSenderService).deliverDue();
    logger.log(`Utskick klara: ${sent} skickade, ${retried} försöks igen, ${failed} misslyckade.`, 'Tick');
  } finally {
    await app.close();
  }
}

tick().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});

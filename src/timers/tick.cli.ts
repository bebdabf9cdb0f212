// `npm run tick`: fire every due deadline once and exit, for deployments that prefer cron to the in-process interval.
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '@app/app.module';
import { ConfigError, loadConfig } from '@app/config/app-config';
import { JsonLogger } from '@app/logging/json-logger';
import { TimerSweeperService } from './timer-sweeper.service';

async function tick(): Promise<void> {
  const config = loadConfig();
  const logger = new JsonLogger(config.logLevel);
  const app = await NestFactory.createApplicationContext(AppModule.forRoot({ ...config, timerSweepIntervalMs: 0, demoData: false }), { logger, abortOnError: false });
  try {
    const { applied, skipped } = await app.get(TimerSweeperService).sweep();
    logger.log(`Bevakning klar: ${applied} datum hanterade, ${skipped} överhoppade.`, 'Tick');
  } finally {
    await app.close();
  }
}

tick().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});

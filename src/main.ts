// Only dependency-free imports here: the Node check must run before Nest is loaded.
import { ConfigError, loadConfig } from './config/app-config';
import { checkNodeVersion, UnsupportedNodeError } from './config/node-version';

async function main(): Promise<void> {
  const nodeWarning = checkNodeVersion();
  const config = loadConfig();
  const { JsonLogger } = await import('./logging/json-logger');
  const logger = new JsonLogger(config.logLevel);
  if (nodeWarning !== undefined) logger.warn(nodeWarning, 'Start');
  const { createApp } = await import('./bootstrap');
  const { app, url } = await createApp({ config, logger });
  app.enableShutdownHooks(['SIGINT', 'SIGTERM', 'SIGHUP']);
  // SIGTERM: Nest's hooks close the app; the sweep and the sends in progress finish first (TimerScheduleService, OutboxScheduleService).
  logger.log({ msg: `Tjänsten lyssnar på ${url} (publik adress: ${config.publicBaseUrl})`, host: config.host, port: config.port }, 'Start');
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof UnsupportedNodeError) {
    console.error(error.message);
  } else {
    console.error('Tjänsten kunde inte starta:', error);
  }
  process.exit(1);
});

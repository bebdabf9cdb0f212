// Only dependency-free imports here: the Node check must run before Nest is loaded.
import { ConfigError, loadConfig } from './config/app-config';
import { checkNodeVersion, UnsupportedNodeError } from './config/node-version';

const SHUTDOWN_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function main(): Promise<void> {
  const nodeWarning = checkNodeVersion();
  const config = loadConfig();
  const { JsonLogger } = await import('./logging/json-logger');
  const logger = new JsonLogger(config.logLevel);
  if (nodeWarning !== undefined) logger.warn(nodeWarning, 'Start');
  const { createApp } = await import('./bootstrap');
  const { app, url } = await createApp({ config, logger });
  const { ShutdownState } = await import('./health/shutdown-state');
  let closing = false;
  for (const signal of SHUTDOWN_SIGNALS) {
    process.once(signal, () => {
      if (closing) return;
      closing = true;
      // /health answers 503 at once, so the proxy stops sending requests here; then Nest closes the app:
      // the sweep and the sends in progress finish (TimerScheduleService, OutboxScheduleService),
      // requests in flight are answered, and the pool closes. The signal is raised again at the end.
      app.get(ShutdownState).begin();
      logger.log({ msg: 'Stänger', signal, drainMs: config.shutdownDrainMs }, 'Start');
      void delay(config.shutdownDrainMs)
        .then(() => app.close())
        .then(
          () => {
            for (const other of SHUTDOWN_SIGNALS) process.removeAllListeners(other);
            process.kill(process.pid, signal);
          },
          (error: unknown) => {
            logger.error({ msg: 'Stängningen misslyckades', error }, 'Start');
            process.exit(1);
          },
        );
    });
  }
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

export { AppConfig, ConfigError, loadConfig, LOG_LEVELS } from './app-config';
export type { AppLogLevel, EnvSource } from './app-config';
export { ConfigModule } from './config.module';

import { Logger as NestLogger } from '@nestjs/common';
import type { Logger as TypeOrmLoggerInterface } from 'typeorm';

/** Routes TypeORM's errors, warnings and migration notes to the JSON log. Never logs query parameters. */
export class TypeOrmLogger implements TypeOrmLoggerInterface {
  private readonly logger = new NestLogger('TypeORM');

  logQuery(): void {}
  logQuerySlow(time: number, query: string): void {
    this.logger.warn({ msg: 'långsam fråga', durationMs: time, query: oneLine(query) });
  }
  logQueryError(error: string | Error, query: string): void {
    this.logger.error({ msg: 'fråga misslyckades', error: error instanceof Error ? error.message : error, query: oneLine(query) });
  }
  logSchemaBuild(): void {}
  logMigration(message: string): void {
    this.logger.log({ msg: message });
  }
  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') this.logger.warn({ msg: String(message) });
    else this.logger.debug({ msg: String(message) });
  }
}

function oneLine(query: string): string {
  return query.replace(/\s+/g, ' ').trim().slice(0, 500);
}

import { ApiOperation } from '@nestjs/swagger';
import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import type { Response } from 'express';
import { DataSource } from 'typeorm';

const DB_TIMEOUT_MS = 2000;

export interface HealthReport {
  status: 'ok' | 'fel';
  database: 'ok' | 'fel';
  uptimeSeconds: number;
  time: string;
}

@Controller('health')
export class HealthController {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * 200 when the database answers `SELECT 1`, otherwise 503 with `database: 'fel'`.
   * The status is set directly (not thrown) so exception filters cannot reshape the body.
   */
  @Get()
  @ApiOperation({ summary: 'Hälsa: tjänsten och databasen svarar' })
  async check(@Res({ passthrough: true }) response: Response): Promise<HealthReport> {
    const databaseOk = await this.databaseAnswers();
    const report: HealthReport = {
      status: databaseOk ? 'ok' : 'fel',
      database: databaseOk ? 'ok' : 'fel',
      uptimeSeconds: Math.round(process.uptime()),
      time: new Date().toISOString(),
    };
    response.status(databaseOk ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    return report;
  }

  private async databaseAnswers(): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), DB_TIMEOUT_MS);
    });
    const query = this.dataSource
      .query('SELECT 1')
      .then(() => true)
      .catch(() => false);
    try {
      return await Promise.race([query, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}

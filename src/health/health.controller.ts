import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse } from '@nestjs/swagger';
import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { ShutdownState } from './shutdown-state';
import { WorkStatusService, type WorkReport } from './work-status.service';
import { HealthView, ReadinessView } from './dto/health-view.dto';

const DB_TIMEOUT_MS = 2000;

const DRAINING = 'Tjänsten stängs: skicka inga fler begäranden hit.';

export interface HealthReport {
  status: 'ok' | 'fel';
  /** Present while the instance shuts down (503). */
  reason?: string;
  database: 'ok' | 'fel';
  uptimeSeconds: number;
  time: string;
}

export interface ReadinessReport extends Partial<Omit<WorkReport, 'problems'>> {
  status: 'ok' | 'fel';
  database: 'ok' | 'fel';
  /** Why not ready, in Swedish; empty when ready. */
  reasons: string[];
  time: string;
}

/** Resolves to `fallback` if `work` takes longer than DB_TIMEOUT_MS or fails. */
async function bounded<T>(work: Promise<T>, fallback: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(fallback), DB_TIMEOUT_MS);
  });
  try {
    return await Promise.race([work.catch(() => fallback), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * GET /health is liveness: the process runs and the database answers (restart me if not).
 * GET /health/ready is readiness: the deadlines are being fired (send me traffic, or alert, if so).
 * Statuses are set directly (not thrown) so exception filters cannot reshape the bodies.
 */
@Controller('health')
export class HealthController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly work: WorkStatusService,
    private readonly shutdown: ShutdownState,
  ) {}

  /** 200 when the database answers `SELECT 1`, otherwise 503 with `database: 'fel'`. */
  @Get()
  @ApiOperation({ summary: 'Hälsa: tjänsten och databasen svarar' })
  @ApiOkResponse({ type: HealthView })
  @ApiServiceUnavailableResponse({ type: HealthView, description: 'Databasen svarar inte (database: fel).' })
  async check(@Res({ passthrough: true }) response: Response): Promise<HealthReport> {
    const databaseOk = await bounded(
      this.dataSource.query('SELECT 1').then(() => true),
      false,
    );
    const healthy = databaseOk && !this.shutdown.draining;
    const report: HealthReport = {
      status: healthy ? 'ok' : 'fel',
      ...(this.shutdown.draining ? { reason: DRAINING } : {}),
      database: databaseOk ? 'ok' : 'fel',
      uptimeSeconds: Math.round(process.uptime()),
      time: new Date().toISOString(),
    };
    response.status(healthy ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    return report;
  }

  /** 200 with the work figures, or 503 with the reasons (see WorkStatusService). */
  @Get('ready')
  @ApiOperation({ summary: 'Beredskap: bevakningen går, inget förfallet datum väntar för länge (503 med skälen annars)' })
  @ApiOkResponse({ type: ReadinessView })
  @ApiServiceUnavailableResponse({ type: ReadinessView, description: 'Inte redo: skälen i reasons.' })
  async ready(@Res({ passthrough: true }) response: Response): Promise<ReadinessReport> {
    const work = await bounded<WorkReport | null>(this.work.report(), null);
    const time = new Date().toISOString();
    if (work === null) {
      response.status(HttpStatus.SERVICE_UNAVAILABLE);
      return { status: 'fel', database: 'fel', reasons: ['Databasen svarar inte.'], time };
    }
    const problems = this.shutdown.draining ? [DRAINING, ...work.problems] : work.problems;
    const { problems: _problems, ...figures } = work;
    response.status(problems.length === 0 ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    return { status: problems.length === 0 ? 'ok' : 'fel', database: 'ok', ...figures, reasons: problems, time };
  }
}

import { createHash, timingSafeEqual } from 'node:crypto';
import { Controller, Get, Headers, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '@app/auth/public.decorator';
import { DomainError } from '@app/common/domain-error';
import { AppConfig } from '@app/config/app-config';
import { MetricsService } from './metrics.service';

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

/**
 * GET /metrics for Prometheus, with METRICS_TOKEN as a bearer token. Without the setting the route
 * does not exist (404). @Public: the guard must not take the scraper's token for an API token.
 */
@ApiExcludeController()
@Public()
@Controller('metrics')
export class MetricsController {
  private readonly expected?: Buffer;

  constructor(
    config: AppConfig,
    private readonly metrics: MetricsService,
  ) {
    this.expected = config.metricsToken === undefined ? undefined : digest(config.metricsToken);
  }

  @Get()
  async scrape(@Headers('authorization') authorization: string | undefined, @Res() response: Response): Promise<void> {
    if (this.expected === undefined) throw DomainError.notFound('Sidan');
    const presented = authorization ? /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1] : undefined;
    // Compared as digests: equal length, constant time.
    if (presented === undefined || !timingSafeEqual(digest(presented), this.expected)) {
      response.setHeader('WWW-Authenticate', 'Bearer realm="metrics"');
      throw new DomainError('unauthenticated', 'Mätvärdena kräver rätt token: Authorization: Bearer <METRICS_TOKEN>.');
    }
    response.status(200).type(this.metrics.contentType).send(await this.metrics.render());
  }
}

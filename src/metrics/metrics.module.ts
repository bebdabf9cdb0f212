import { Module } from '@nestjs/common';
import { HealthModule } from '@app/health/health.module';
import { MetricsController } from './metrics.controller';
import { MetricsService } from './metrics.service';

/** Prometheus scrape endpoint (/metrics), off unless METRICS_TOKEN is set. */
@Module({ imports: [HealthModule], controllers: [MetricsController], providers: [MetricsService] })
export class MetricsModule {}

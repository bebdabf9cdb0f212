import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import { WorkStatusService } from '@app/health/work-status.service';

/**
 * The readiness figures as Prometheus gauges, plus Node's default process metrics. A registry of
 * its own (not prom-client's global one), so several apps in one process (tests) do not collide.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  private readonly sweepAge = this.gauge('iop_timer_sweep_age_seconds', 'Sekunder sedan någon instans senast slutförde en bevakningsomgång (NaN: ingen ännu).');
  private readonly timerDelay = this.gauge('iop_oldest_due_timer_age_seconds', 'Hur länge den äldsta förfallna, ej hanterade fristen har väntat (0: ingen väntar).');
  private readonly outboxDelay = this.gauge('iop_oldest_due_outbox_message_age_seconds', 'Hur länge det äldsta förfallna, ej skickade e-postmeddelandet har väntat (0: inget väntar).');
  private readonly incidents = this.gauge('iop_open_incidents', 'Antal öppna incidenter.');
  private readonly ready = this.gauge('iop_ready', '1 när fristerna hanteras i tid (som /health/ready), annars 0.');

  constructor(private readonly work: WorkStatusService) {
    collectDefaultMetrics({ register: this.registry });
  }

  /** Prometheus text format, with the work figures read now. */
  async render(): Promise<string> {
    const report = await this.work.report();
    this.sweepAge.set(report.lastSweepSecondsAgo ?? Number.NaN);
    this.timerDelay.set(report.oldestDueTimerSeconds);
    this.outboxDelay.set(report.oldestDueOutboxSeconds);
    this.incidents.set(report.openIncidents);
    this.ready.set(report.problems.length === 0 ? 1 : 0);
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  private gauge(name: string, help: string): Gauge {
    return new Gauge({ name, help, registers: [this.registry] });
  }
}

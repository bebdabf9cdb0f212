import { Controller, Get, Header, Param, ParseUUIDPipe, NotFoundException } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@app/audit/actor';
import { requireAnyRole } from '@app/auth/access';
import { AgreementAccessService } from '@app/auth/agreement-access.service';
import { CurrentActor } from '@app/auth/current-actor.decorator';
import { ClockService } from '@app/clock/clock.service';
import { AuditService } from './audit.service';
import type { AuditEvent } from './audit-event.entity';
import { csvDocument } from '@app/common/csv';

const uuid = new ParseUUIDPipe({ exceptionFactory: () => new NotFoundException('Överenskommelsen finns inte.') });

const CSV_COLUMNS: Array<[string, (e: AuditEvent) => string]> = [
  ['löpnummer', (e) => String(e.seq)],
  ['tidpunkt', (e) => e.occurredAt.toISOString()],
  ['person', (e) => e.actorName],
  ['roll', (e) => e.actorRole],
  ['organisation', (e) => e.actorOrganisationName ?? ''],
  ['händelse', (e) => e.eventType],
  ['från', (e) => e.fromState],
  ['till', (e) => e.toState],
  ['utfall', (e) => e.outcome],
  ['skäl', (e) => e.reason ?? ''],
  ['data', (e) => JSON.stringify(e.payload)],
  ['föregående hash', (e) => e.prevHash],
  ['hash', (e) => e.hash],
];

export function historyCsv(events: AuditEvent[]): string {
  return csvDocument(
    CSV_COLUMNS.map(([h]) => h),
    events.map((e) => CSV_COLUMNS.map(([, f]) => f(e))),
    ',',
  );
}

@ApiTags('Historik')
@Controller()
export class AuditController {
  constructor(
    private readonly audit: AuditService,
    private readonly clock: ClockService,
    private readonly access: AgreementAccessService,
  ) {}

  @Get('agreements/:id/history')
  @ApiOperation({ summary: 'Överenskommelsens hela historik, äldst först' })
  async history(@Param('id', uuid) id: string, @CurrentActor() actor: Actor) {
    await this.access.requireVisible(id, actor);
    const events = await this.audit.history(id);
    if (events.length === 0) throw new NotFoundException('Överenskommelsen finns inte.');
    return events;
  }

  @Get('agreements/:id/history.csv')
  @Header('Content-Type', 'text/csv; charset=utf-8')
  @ApiOperation({ summary: 'Historiken som CSV' })
  async historyCsv(@Param('id', uuid) id: string, @CurrentActor() actor: Actor) {
    await this.access.requireVisible(id, actor);
    const events = await this.audit.history(id);
    if (events.length === 0) throw new NotFoundException('Överenskommelsen finns inte.');
    return historyCsv(events);
  }

  @Get('audit/verify')
  @ApiOperation({ summary: 'Kontrollera hashkedjan för varje överenskommelse' })
  verify(@CurrentActor() actor: Actor) {
    requireAnyRole(actor, ['auditor', 'secretariat', 'administrator'], 'revisorer, nämndkansliet och administratörer kan kontrollera alla historiker');
    return this.audit.verify(this.clock.now());
  }
}

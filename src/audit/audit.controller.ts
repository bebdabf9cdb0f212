import { Controller, Get, Header, Param, ParseUUIDPipe, NotFoundException } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@app/audit/actor';
import { requireAnyRole } from '@app/auth/access';
import { AgreementAccessService } from '@app/auth/agreement-access.service';
import { CurrentActor } from '@app/auth/current-actor.decorator';
import { ClockService } from '@app/clock/clock.service';
import { AuditService } from './audit.service';
import type { AuditEvent } from './audit-event.entity';

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

/** RFC 4180 quoting; a leading =, +, - or @ is defused so a spreadsheet does not run it. */
function csvCell(value: string): string {
  const safe = /^[=+\-@]/.test(value) ? `'${value}` : value;
  return /[";\n\r,]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function historyCsv(events: AuditEvent[]): string {
  const lines = [CSV_COLUMNS.map(([h]) => h).join(','), ...events.map((e) => CSV_COLUMNS.map(([, f]) => csvCell(f(e))).join(','))];
  return `\uFEFF${lines.join('\r\n')}\r\n`;
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

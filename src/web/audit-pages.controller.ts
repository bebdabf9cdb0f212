import { Controller, Get, Header, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { AgreementsService } from '@app/agreements/agreements.service';
import { CurrentAuth } from '@app/auth/current-actor.decorator';
import type { RequestAuth } from '@app/auth/request-auth';
import { requireArea, signedInActor } from './access';
import { auditPage } from './views/audit.view';
import { WebExceptionFilter } from './web-exception.filter';
import { WebReadService } from './web-read.service';

/** Granskning for auditors: the chains verified, and every history to read and export. */
@ApiExcludeController()
@UseFilters(WebExceptionFilter)
@Controller('granskning')
export class AuditPagesController {
  constructor(
    private readonly agreements: AgreementsService,
    private readonly read: WebReadService,
  ) {}

  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  async audit(@CurrentAuth() auth: RequestAuth): Promise<string> {
    const actor = signedInActor(auth);
    requireArea(actor, 'audit');
    const [report, agreements, counts] = await Promise.all([this.read.verify(), this.agreements.list({}, actor), this.read.historyCounts()]);
    const rows = agreements
      .map((agreement) => ({ agreement, events: counts.get(agreement.id)?.events ?? 0, lastAt: counts.get(agreement.id)?.lastAt ?? null }))
      .sort((a, b) => a.agreement.title.localeCompare(b.agreement.title, 'sv'));
    return auditPage(actor, report, rows);
  }
}

import { Controller, Get, Header, Query, Req, UseFilters } from '@nestjs/common';
import type { Request } from 'express';
import type { PageQuery } from '@app/common/paged-query.decorator';
import { ApiExcludeController } from '@nestjs/swagger';
import { AgreementsService } from '@app/agreements/agreements.service';
import { CurrentAuth } from '@app/auth/current-actor.decorator';
import type { RequestAuth } from '@app/auth/request-auth';
import { requireArea, signedInActor } from './access';
import { auditPage } from './views/audit.view';
import { pager } from './views/pager';
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
  async audit(@CurrentAuth() auth: RequestAuth, @Query() query: PageQuery, @Req() req: Request): Promise<string> {
    const actor = signedInActor(auth);
    requireArea(actor, 'audit');
    const after = typeof query.after === 'string' ? query.after : undefined;
    const [report, agreements] = await Promise.all([this.read.verify(), this.agreements.list({ after }, actor)]);
    const counts = await this.read.historyCounts(agreements.items.map((a) => a.id));
    const rows = agreements.items.map((agreement) => ({ agreement, events: counts.get(agreement.id)?.events ?? 0, lastAt: counts.get(agreement.id)?.lastAt ?? null }));
    return auditPage(actor, report, rows, pager(req.originalUrl, agreements.next, after !== undefined));
  }
}

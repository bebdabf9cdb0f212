import { Body, Controller, Get, Header, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { PageQuery } from '@app/common/paged-query.decorator';
import { ApiExcludeController } from '@nestjs/swagger';
import { AgreementsService } from '@app/agreements/agreements.service';
import { AuditVerificationRunService } from '@app/audit/audit-verification-run.service';
import { CurrentAuth } from '@app/auth/current-actor.decorator';
import type { RequestAuth } from '@app/auth/request-auth';
import { IdempotencyService } from '@app/idempotency/idempotency.service';
import { requireArea, signedInActor } from './access';
import { type FormBody } from './form-input';
import { postForm } from './form-post';
import type { Flash } from './layout';
import { auditPage, CHECK_PATH } from './views/audit.view';
import { pager } from './views/pager';
import { WebExceptionFilter } from './web-exception.filter';
import { WebReadService } from './web-read.service';

const NOTICES: Record<string, Flash> = {
  startad: { kind: 'success', text: 'Kontrollen är startad. Sidan visar hur långt den har kommit.' },
  pagar: { kind: 'error', text: 'En kontroll pågår redan, så ingen ny startades. Sidan visar hur långt den har kommit.' },
};

/**
 * Granskning for auditors: the latest stored verification of every chain (and the one running), a
 * button that starts a new one, and every history to read and export. The page reads the run
 * table, never the history itself.
 */
@ApiExcludeController()
@UseFilters(WebExceptionFilter)
@Controller('granskning')
export class AuditPagesController {
  constructor(
    private readonly agreements: AgreementsService,
    private readonly read: WebReadService,
    private readonly runs: AuditVerificationRunService,
    private readonly once: IdempotencyService,
  ) {}

  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  async audit(@CurrentAuth() auth: RequestAuth, @Query() query: PageQuery & { kontroll?: unknown }, @Req() req: Request): Promise<string> {
    const actor = signedInActor(auth);
    requireArea(actor, 'audit');
    const after = typeof query.after === 'string' ? query.after : undefined;
    const [status, agreements] = await Promise.all([this.runs.status(), this.agreements.list({ after }, actor)]);
    const counts = await this.read.historyCounts(agreements.items.map((a) => a.id));
    const rows = agreements.items.map((agreement) => ({ agreement, events: counts.get(agreement.id)?.events ?? 0, lastAt: counts.get(agreement.id)?.lastAt ?? null }));
    const notice = typeof query.kontroll === 'string' ? (NOTICES[query.kontroll] ?? null) : null;
    return auditPage(actor, status, rows, pager(req.originalUrl, agreements.next, after !== undefined), notice);
  }

  /** Kontrollera nu: starts a run in the background (unless one runs) and goes back to the page (POST-redirect-GET). */
  @Post('kontrollera')
  async check(@Body() body: FormBody, @CurrentAuth() auth: RequestAuth, @Res() res: Response): Promise<void> {
    const actor = signedInActor(auth);
    requireArea(actor, 'audit');
    // The form's one-time token: a second submit of the same form goes where the first went, and starts nothing.
    await postForm(res, this.once, {
      actor,
      body,
      path: CHECK_PATH,
      run: async () => `/granskning?kontroll=${(await this.runs.start({ name: actor.name, personId: actor.personId })).started ? 'startad' : 'pagar'}`,
      locationOf: () => '/granskning',
    });
  }
}

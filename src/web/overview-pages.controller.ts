import { Controller, Get, Header, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { PageQuery } from '@app/common/paged-query.decorator';
import { agreementDefinition } from '@workflows/agreement/definition';
import { AgreementsService, type OverviewRow } from '@app/agreements/agreements.service';
import type { Actor } from '@app/audit/actor';
import { CurrentAuth } from '@app/auth/current-actor.decorator';
import type { RequestAuth } from '@app/auth/request-auth';
import { ClockService } from '@app/clock/clock.service';
import { requireArea, signedInActor } from './access';
import { minePage } from './views/mine.view';
import { pager } from './views/pager';
import { portfolioCsv, portfolioPage, portfolioPrintPage, sortOverview, SORT_KEYS, type SortKey, type SortOrder } from './views/portfolio.view';
import { watchPage } from './views/watch.view';
import { WebExceptionFilter } from './web-exception.filter';
import { WebReadService } from './web-read.service';

const sortOf = (key: unknown, order: unknown): [SortKey, SortOrder] => [
  (SORT_KEYS as readonly unknown[]).includes(key) ? (key as SortKey) : 'namn',
  order === 'fallande' ? 'fallande' : 'stigande',
];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The lists: Bevakning, a person's own agreements, and the committee's portfolio (table, CSV, print). */
@ApiExcludeController()
@UseFilters(WebExceptionFilter)
@Controller()
export class OverviewPagesController {
  constructor(
    private readonly agreements: AgreementsService,
    private readonly read: WebReadService,
    private readonly clock: ClockService,
  ) {}

  @Get('bevakning')
  @Header('Content-Type', 'text/html; charset=utf-8')
  async watch(@CurrentAuth() auth: RequestAuth, @Query('state') state: unknown, @Query('partner') partner: unknown): Promise<string> {
    const actor = signedInActor(auth);
    requireArea(actor, 'watch');
    const filter = { state: typeof state === 'string' ? state : '', partner: typeof partner === 'string' && UUID.test(partner) ? partner : '' };
    const [{ today, horizonEnd, items, truncated }, organisations, cases] = await Promise.all([this.read.watch(filter), this.read.organisations(), this.read.caseWatch([agreementDefinition.type])]);
    return watchPage({ actor, today, horizonEnd, items, truncated, filter, partners: organisations, cases: cases.items, casesTruncated: cases.truncated });
  }

  @Get('mina-overenskommelser')
  @Header('Content-Type', 'text/html; charset=utf-8')
  async mine(@CurrentAuth() auth: RequestAuth, @Query() query: PageQuery, @Req() req: Request): Promise<string> {
    const actor = signedInActor(auth);
    requireArea(actor, 'mine');
    // A page of the organisation's agreements, each read in full with what the person may do now.
    const after = typeof query.after === 'string' ? query.after : undefined;
    const listed = await this.agreements.list({ after }, actor);
    const rows = await Promise.all(
      listed.items.map(async ({ id }) => ({ agreement: await this.agreements.get(id, actor), allowed: await this.agreements.allowedEvents(id, actor) })),
    );
    return minePage(actor, rows, pager(req.originalUrl, listed.next, after !== undefined));
  }

  @Get('portfolj')
  @Header('Content-Type', 'text/html; charset=utf-8')
  async portfolio(@CurrentAuth() auth: RequestAuth, @Query('sortera') key: unknown, @Query('ordning') order: unknown): Promise<string> {
    const { actor, rows, sort } = await this.portfolioRows(auth, key, order);
    return portfolioPage(actor, rows, ...sort);
  }

  @Get('portfolj/utskrift')
  @Header('Content-Type', 'text/html; charset=utf-8')
  async portfolioPrint(@CurrentAuth() auth: RequestAuth, @Query('sortera') key: unknown, @Query('ordning') order: unknown): Promise<string> {
    const { actor, rows, sort } = await this.portfolioRows(auth, key, order);
    return portfolioPrintPage(actor, rows, ...sort, this.clock.today());
  }

  @Get('portfolj.csv')
  @Header('Content-Type', 'text/csv; charset=utf-8')
  async portfolioCsv(@CurrentAuth() auth: RequestAuth, @Query('sortera') key: unknown, @Query('ordning') order: unknown, @Res({ passthrough: true }) res: Response): Promise<string> {
    const { rows } = await this.portfolioRows(auth, key, order);
    res.setHeader('Content-Disposition', `attachment; filename="iop-portfolj-${this.clock.today()}.csv"`);
    return portfolioCsv(rows);
  }

  /** The committee's overview as this person may see it, sorted as asked. */
  private async portfolioRows(auth: RequestAuth, key: unknown, order: unknown): Promise<{ actor: Actor; rows: OverviewRow[]; sort: [SortKey, SortOrder] }> {
    const actor = signedInActor(auth);
    requireArea(actor, 'portfolio');
    const sort = sortOf(key, order);
    return { actor, rows: sortOverview(await this.agreements.overview(actor), ...sort), sort };
  }
}

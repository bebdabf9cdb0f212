import { BoundedWork } from '@app/common/bounded-work';
import { Controller, Get, Header, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { PageQuery } from '@app/common/paged-query.decorator';
import { agreementDefinition } from '@workflows/agreement/definition';
import type { AgreementStateCode } from '@workflows/agreement/persistence';
import { AgreementsService, type OverviewRow } from '@app/agreements/agreements.service';
import type { Actor } from '@app/audit/actor';
import { CurrentAuth } from '@app/auth/current-actor.decorator';
import type { RequestAuth } from '@app/auth/request-auth';
import { ClockService } from '@app/clock/clock.service';
import { requireArea, signedInActor } from './access';
import { minePage } from './views/mine.view';
import { pager } from './views/pager';
import { OVERVIEW_SORT, portfolioCsvHeader, portfolioCsvLines, portfolioPage, portfolioPrintPage, portfolioStateFilter, SORT_KEYS, type PortfolioTotals, type SortKey, type SortOrder } from './views/portfolio.view';
import { PAGE_SIZE, pageRequestOf, type Page, type PageRequest } from '@app/common/paging';
import { watchPage } from './views/watch.view';
import { WebExceptionFilter } from './web-exception.filter';
import { WebReadService } from './web-read.service';

/** Rows per read when the CSV export walks the whole overview. */
const CSV_PAGE_ROWS = 5000;

/** Agreements per page of Mina överenskommelser, each read in full. */
const MINE_PAGE_ROWS = 20;

const sortOf = (key: unknown, order: unknown): [SortKey, SortOrder] => [
  (SORT_KEYS as readonly unknown[]).includes(key) ? (key as SortKey) : 'namn',
  order === 'fallande' ? 'fallande' : 'stigande',
];

/** The portfolio's query: the page, the sort and the state filter. */
type PortfolioQuery = PageQuery & { sortera?: unknown; ordning?: unknown; tillstand?: unknown };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Writes a chunk and waits for the socket to take it when its buffer is full (or the client has gone). */
async function written(res: Response, chunk: string): Promise<void> {
  if (res.write(chunk)) return;
  await new Promise<void>((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/** The lists: Bevakning, a person's own agreements, and the committee's portfolio (table, CSV, print). */
@ApiExcludeController()
@UseFilters(WebExceptionFilter)
@Controller()
export class OverviewPagesController {
  private readonly exports = new BoundedWork({ concurrency: 2, queueSize: 8, busyMessage: 'Många hämtar portföljen som CSV just nu. Försök igen om 10 sekunder.', retryAfterSeconds: 10 });

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
    // A page of the organisation's agreements from the list's columns, and what the person may do in each (one more query).
    const after = typeof query.after === 'string' ? query.after : undefined;
    const listed = await this.agreements.list({ after, limit: String(MINE_PAGE_ROWS) }, actor);
    const allowed = await this.agreements.allowedEventsOfMany(listed.items.map((a) => a.id), actor);
    const rows = listed.items.flatMap((agreement) => {
      const may = allowed.get(agreement.id);
      return may ? [{ agreement, allowed: may }] : [];
    });
    return minePage(actor, rows, pager(req.originalUrl, listed.next, after !== undefined));
  }

  @Get('portfolj')
  @Header('Content-Type', 'text/html; charset=utf-8')
  async portfolio(@CurrentAuth() auth: RequestAuth, @Query() query: PortfolioQuery, @Req() req: Request): Promise<string> {
    const { actor, rows, sort, totals, state } = await this.portfolioRows(auth, query, pageRequestOf(query, 3));
    return portfolioPage(actor, rows.items, ...sort, totals, state, pager(req.originalUrl, rows.next, query.after !== undefined));
  }

  @Get('portfolj/utskrift')
  @Header('Content-Type', 'text/html; charset=utf-8')
  async portfolioPrint(@CurrentAuth() auth: RequestAuth, @Query() query: PortfolioQuery): Promise<string> {
    // The print view is the page asked for (the first by default), at most the largest page: 200 rows on A4.
    const { actor, rows, sort, totals, state } = await this.portfolioRows(auth, query, pageRequestOf({ limit: query.limit ?? String(PAGE_SIZE.max), after: query.after }, 3));
    return portfolioPrintPage(actor, rows.items, ...sort, this.clock.today(), totals, state);
  }

  /** Every row, written as it is read, a page at a time: constant memory at any size. */
  @Get('portfolj.csv')
  async portfolioCsv(@CurrentAuth() auth: RequestAuth, @Query() query: PortfolioQuery, @Res() res: Response): Promise<void> {
    const actor = signedInActor(auth);
    requireArea(actor, 'portfolio');
    const [sortKey, sortOrder] = sortOf(query.sortera, query.ordning);
    const filter = this.filterOf(query);
    // An export reads every agreement in the selection: two at once, a few waiting, the rest told to come back.
    await this.exports.run(async () => {
      // Read in large keyset pages (an export is not a page a person reads): each is one sorted index or top-N read.
      let page: PageRequest = { limit: CSV_PAGE_ROWS, after: null };
      let rows = await this.agreements.overview(actor, { sort: OVERVIEW_SORT[sortKey], descending: sortOrder === 'fallande', page, filter });
      res.setHeader('Content-Type', 'text/csv; charset=utf-8');
      res.setHeader('Content-Disposition', `attachment; filename="iop-portfolj-${this.clock.today()}.csv"`);
      await written(res, portfolioCsvHeader(filter.year));
      for (;;) {
        // At the client's pace: what it has not taken yet is not kept piling up in the process.
        await written(res, portfolioCsvLines(rows.items, filter.year));
        if (!rows.next) break;
        page = { limit: CSV_PAGE_ROWS, after: pageRequestOf({ after: rows.next }, 3).after };
        rows = await this.agreements.overview(actor, { sort: OVERVIEW_SORT[sortKey], descending: sortOrder === 'fallande', page, filter });
      }
      res.end();
    });
  }

  /** The states the query asks for (in force by default) and this year, whose figures the portfolio shows. */
  private filterOf(query: PortfolioQuery): { states: readonly AgreementStateCode[]; year: number } {
    return { states: portfolioStateFilter(query.tillstand).states, year: Number(this.clock.today().slice(0, 4)) };
  }

  /** A page of the committee's overview as this person may see it, filtered and sorted as asked, and the sums over all of it. */
  private async portfolioRows(
    auth: RequestAuth,
    query: PortfolioQuery,
    page: PageRequest,
  ): Promise<{ actor: Actor; rows: Page<OverviewRow>; sort: [SortKey, SortOrder]; totals: PortfolioTotals; state: { value: string; label: string } }> {
    const actor = signedInActor(auth);
    requireArea(actor, 'portfolio');
    const sort = sortOf(query.sortera, query.ordning);
    const filter = this.filterOf(query);
    const [rows, byState] = await Promise.all([
      this.agreements.overview(actor, { sort: OVERVIEW_SORT[sort[0]], descending: sort[1] === 'fallande', page, filter }),
      this.agreements.overviewTotals(actor, filter),
    ]);
    return { actor, rows, sort, totals: { year: filter.year, byState }, state: portfolioStateFilter(query.tillstand) };
  }
}

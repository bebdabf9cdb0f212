import { Controller, Get, Header, Param, Query, Res, StreamableFile, UseFilters } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Actor } from '@app/audit/actor';
import { CurrentActor, CurrentAuth } from '@app/auth/current-actor.decorator';
import type { RequestAuth } from '@app/auth/request-auth';
import { ClockService } from '@app/clock/clock.service';
import { signedInActor } from '@app/web/access';
import { SCRIPT, STYLESHEET } from '@app/web/assets';
import { WebExceptionFilter } from '@app/web/web-exception.filter';
import { CommitteeReportService, reportYearOf } from './committee-report.service';
import { PdfRendererService } from './pdf-renderer.service';
import { REPORT_STYLESHEET, REPORT_STYLESHEET_PATH, reportPage, reportPagePath, reportTitle } from './views/report.view';
import { fileContent } from '@app/common/view-properties';
import { CommitteeReportView } from './dto/committee-view.dto';

/** The committee's yearly report as data and as the PDF for the committee's papers. */
@ApiTags('Nämndens årsrapport')
@Controller('committee/reports')
export class CommitteeReportController {
  constructor(
    private readonly reports: CommitteeReportService,
    private readonly pdf: PdfRendererService,
  ) {}

  // Declared before ':year' so that "2021.pdf" is never read as a year.
  @Get(':year.pdf')
  @ApiOperation({ summary: 'Nämndens årsrapport som PDF (A4), utskriven av Chromium; 503 om Chromium saknas (CHROMIUM_PATH), och med Retry-After när PDF-kön är full' })
  @ApiProduces('application/pdf')
  @ApiOkResponse({ description: 'Årsrapporten som PDF.', content: fileContent('application/pdf') })
  async reportPdf(@Param('year') year: string, @CurrentActor() actor: Actor): Promise<StreamableFile> {
    const report = await this.reports.report(year, actor);
    const pdf = await this.pdf.render(
      reportPage(actor, report),
      {
        '/assets/iop.css': { contentType: 'text/css; charset=utf-8', body: STYLESHEET },
        '/assets/iop.js': { contentType: 'text/javascript; charset=utf-8', body: SCRIPT },
        [REPORT_STYLESHEET_PATH]: { contentType: 'text/css; charset=utf-8', body: REPORT_STYLESHEET },
      },
      reportTitle(report),
    );
    return new StreamableFile(pdf, { type: 'application/pdf', disposition: `inline; filename="iop-arsrapport-${report.year}.pdf"`, length: pdf.length });
  }

  @Get(':year')
  @ApiOperation({ summary: 'Nämndens årsrapport för ett år: översikten som nämnden såg den, summor, varje IOP:s återrapport och vad som löper ut året efter' })
  @ApiOkResponse({ type: CommitteeReportView })
  report(@Param('year') year: string, @CurrentActor() actor: Actor) {
    return this.reports.report(year, actor);
  }
}

/** The same report as a Swedish page for signed-in readers, printable on A4. */
@UseFilters(WebExceptionFilter)
@Controller('rapporter')
export class CommitteeReportPagesController {
  constructor(
    private readonly reports: CommitteeReportService,
    private readonly clock: ClockService,
  ) {}

  /** The year form's target: on to the chosen year's page (last year's by default). */
  @Get()
  @ApiExcludeEndpoint()
  choose(@CurrentAuth() auth: RequestAuth, @Query('ar') year: unknown, @Res() res: Response): void {
    signedInActor(auth);
    const chosen = typeof year === 'string' && year.trim() !== '' ? year.trim() : String(Number(this.clock.today().slice(0, 4)) - 1);
    res.redirect(303, reportPagePath(reportYearOf(chosen, this.clock.today())));
  }

  @Get('arsrapport.css')
  @ApiExcludeEndpoint()
  @Header('Content-Type', 'text/css; charset=utf-8')
  @Header('Cache-Control', 'public, max-age=3600')
  stylesheet(): string {
    return REPORT_STYLESHEET;
  }

  @Get(':year')
  @ApiExcludeEndpoint()
  @Header('Content-Type', 'text/html; charset=utf-8')
  async page(@CurrentAuth() auth: RequestAuth, @Param('year') year: string): Promise<string> {
    const actor = signedInActor(auth);
    return reportPage(actor, await this.reports.report(year, actor));
  }
}

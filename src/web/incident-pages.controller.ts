import { Controller, Get, Header, Param, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { Actor } from '@app/audit/actor';
import { CurrentAuth } from '@app/auth/current-actor.decorator';
import type { RequestAuth } from '@app/auth/request-auth';
import { DomainError } from '@app/common/domain-error';
import type { PageQuery } from '@app/common/paged-query.decorator';
import { PAGE_SIZE, pageRequestOf, type PageRequest } from '@app/common/paging';
import { IncidentsService } from '@app/incidents/incidents.service';
import { mayOpen, requireArea, signedInActor } from './access';
import type { Flash } from './layout';
import { incidentsPage } from './views/incidents.view';
import { WebExceptionFilter } from './web-exception.filter';

const DONE: Record<string, string> = {
  'forsok-igen': 'Incidenten är löst och raden tas med i nästa körning.',
  avfardad: 'Incidenten är avfärdad.',
};

/** Incidents in the administration: administrators retry or dismiss, auditors read. */
@ApiExcludeController()
@UseFilters(WebExceptionFilter)
@Controller('administration/incidenter')
export class IncidentPagesController {
  constructor(private readonly incidents: IncidentsService) {}

  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  async show(@CurrentAuth() auth: RequestAuth, @Query() query: PageQuery & { klart?: unknown }, @Req() req: Request): Promise<string> {
    const actor = signedInActor(auth);
    requireArea(actor, 'incidents');
    const done = query.klart;
    return this.page(actor, typeof done === 'string' && DONE[done] ? { kind: 'success', text: DONE[done] } : null, pageRequestOf(query, 3), req.originalUrl);
  }

  @Post(':id/forsok-igen')
  async retry(@Param('id') id: string, @CurrentAuth() auth: RequestAuth, @Res() res: Response): Promise<void> {
    const actor = this.administrator(auth);
    await this.attempt(res, actor, 'forsok-igen', () => this.incidents.retry(id, actor));
  }

  @Post(':id/avfarda')
  async dismiss(@Param('id') id: string, @CurrentAuth() auth: RequestAuth, @Res() res: Response): Promise<void> {
    const actor = this.administrator(auth);
    await this.attempt(res, actor, 'avfardad', () => this.incidents.dismiss(id, actor));
  }

  private administrator(auth: RequestAuth): Actor {
    const actor = signedInActor(auth);
    requireArea(actor, 'administration');
    return actor;
  }

  /** POST-redirect-GET; an incident already handled is shown on the page, an unknown one is the 404 page. */
  private async attempt(res: Response, actor: Actor, done: string, change: () => Promise<unknown>): Promise<void> {
    try {
      await change();
      res.redirect(303, `/administration/incidenter?klart=${done}`);
    } catch (error) {
      if (!(error instanceof DomainError) || error.code !== 'conflict') throw error;
      res.status(409).type('html').send(await this.page(actor, { kind: 'error', text: error.message }));
    }
  }

  private async page(actor: Actor, flash: Flash | null, request: PageRequest = { limit: PAGE_SIZE.default, after: null }, path = '/administration/incidenter'): Promise<string> {
    const [incidents, openCount] = await Promise.all([this.incidents.list(request), this.incidents.countOpen()]);
    return incidentsPage({ actor, incidents: incidents.items, openCount, path, next: incidents.next, onLaterPage: request.after !== null, mayAct: mayOpen(actor, 'administration'), flash });
  }
}

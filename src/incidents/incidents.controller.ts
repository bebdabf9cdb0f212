import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@app/audit/actor';
import { requireAnyRole } from '@app/auth/access';
import { CurrentActor } from '@app/auth/current-actor.decorator';
import { PagedQuery, type PageQuery } from '@app/common/paged-query.decorator';
import { pageRequestOf } from '@app/common/paging';
import { IncidentsService } from './incidents.service';
import { IncidentView } from './dto/incident-view.dto';

const READERS = 'administratörer och revisorer ser incidenter';
const ADMIN_ONLY = 'administratörer hanterar incidenter';

/** Background work that keeps failing: read by administrators and auditors, acted on by administrators. */
@ApiTags('Incidenter')
@Controller('incidents')
export class IncidentsController {
  constructor(private readonly incidents: IncidentsService) {}

  @Get()
  @ApiOperation({ summary: 'Incidenter: öppna först, sedan de senast hanterade (?status=open för bara öppna)' })
  @ApiOkResponse({ type: [IncidentView] })
  @PagedQuery()
  list(@CurrentActor() actor: Actor, @Query() query: PageQuery & { status?: unknown }) {
    requireAnyRole(actor, ['administrator', 'auditor'], READERS);
    return this.incidents.list(pageRequestOf(query, 3), query.status === 'open');
  }

  @Post(':id/retry')
  @HttpCode(200)
  @ApiOperation({ summary: 'Försök igen: löser incidenten och ställer raden i kö till nästa körning' })
  @ApiOkResponse({ type: IncidentView })
  retry(@Param('id') id: string, @CurrentActor() actor: Actor) {
    requireAnyRole(actor, ['administrator'], ADMIN_ONLY);
    return this.incidents.retry(id, actor);
  }

  @Post(':id/dismiss')
  @HttpCode(200)
  @ApiOperation({ summary: 'Avfärda incidenten; datumet eller påminnelsen försöks inte igen (e-post lämnas som den är)' })
  @ApiOkResponse({ type: IncidentView })
  dismiss(@Param('id') id: string, @CurrentActor() actor: Actor) {
    requireAnyRole(actor, ['administrator'], ADMIN_ONLY);
    return this.incidents.dismiss(id, actor);
  }
}

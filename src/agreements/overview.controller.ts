import { Controller, Get, Query } from '@nestjs/common';
import { PagedQuery, type PageQuery } from '@app/common/paged-query.decorator';
import { pageRequestOf } from '@app/common/paging';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@app/audit/actor';
import { CurrentActor } from '@app/auth/current-actor.decorator';
import { AgreementsService } from './agreements.service';
import { OverviewRowView } from './dto/agreement-view.dto';

@ApiTags('Översikt')
@Controller('overview')
export class OverviewController {
  constructor(private readonly agreements: AgreementsService) {}

  @Get()
  @ApiOperation({ summary: 'Nämndens översikt: namn, parter, kategori, syfte, beräknat värde och nämndens kostnad per år, giltighet' })
  @ApiOkResponse({ type: [OverviewRowView] })
  @PagedQuery()
  overview(@CurrentActor() actor: Actor, @Query() query: PageQuery) {
    return this.agreements.overview(actor, { page: pageRequestOf(query, 3) });
  }
}

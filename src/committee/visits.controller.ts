import { Body, Controller, Get, NotFoundException, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@app/audit/actor';
import { CurrentActor } from '@app/auth/current-actor.decorator';
import { CreateCommitteeVisitDto, CreateVisitTemplateDto, ListVisitsQuery, ListVisitTemplatesQuery } from './dto/visit.dto';
import { VisitsService } from './visits.service';
import { Idempotent } from '@app/idempotency/idempotent.decorator';
import { CommitteeVisitView, VisitTemplateView } from './dto/committee-view.dto';

const uuid = (what: string) => new ParseUUIDPipe({ exceptionFactory: () => new NotFoundException(`${what} finns inte.`) });

@ApiTags('Nämndbesök')
@Controller('committee')
export class VisitsController {
  constructor(private readonly visits: VisitsService) {}

  @Post('visit-templates')
  @Idempotent()
  @ApiOperation({ summary: 'Ny mall för nämndbesök, eller nästa års version av en (nämndkansliet); gamla besök behåller sina frågor' })
  @ApiCreatedResponse({ type: VisitTemplateView })
  createTemplate(@Body() dto: CreateVisitTemplateDto, @CurrentActor() actor: Actor) {
    return this.visits.createTemplate(dto, actor);
  }

  @Get('visit-templates')
  @ApiOperation({ summary: 'Mallarna för nämndbesök, senaste versionen först' })
  @ApiOkResponse({ type: [VisitTemplateView] })
  templates(@Query() query: ListVisitTemplatesQuery, @CurrentActor() actor: Actor) {
    return this.visits.listTemplates(actor, query.verksamhetsinriktning);
  }

  @Get('visit-templates/:id')
  @ApiOperation({ summary: 'En mall för nämndbesök' })
  @ApiOkResponse({ type: VisitTemplateView })
  template(@Param('id', uuid('Mallen')) id: string, @CurrentActor() actor: Actor) {
    return this.visits.getTemplate(id, actor);
  }

  @Post('visits')
  @Idempotent()
  @ApiOperation({ summary: 'Dokumentera ett nämndbesök: datum, ledamöter (majoritet och opposition), tjänstepersoner och svar per fråga' })
  @ApiCreatedResponse({ type: CommitteeVisitView })
  createVisit(@Body() dto: CreateCommitteeVisitDto, @CurrentActor() actor: Actor) {
    return this.visits.createVisit(dto, actor);
  }

  @Get('visits')
  @ApiOperation({ summary: 'Nämndbesöken, senaste först; filter ?year= och ?agreementId=' })
  @ApiOkResponse({ type: [CommitteeVisitView] })
  list(@Query() query: ListVisitsQuery, @CurrentActor() actor: Actor) {
    return this.visits.listVisits(query, actor);
  }

  @Get('visits/:id')
  @ApiOperation({ summary: 'Ett nämndbesök' })
  @ApiOkResponse({ type: CommitteeVisitView })
  visit(@Param('id', uuid('Nämndbesöket')) id: string, @CurrentActor() actor: Actor) {
    return this.visits.getVisit(id, actor);
  }
}

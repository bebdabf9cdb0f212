import { Body, Controller, Get, HttpCode, NotFoundException, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@app/audit/actor';
import { CurrentActor } from '@app/auth/current-actor.decorator';
import { Idempotent } from '@app/idempotency/idempotent.decorator';
import { CreateFundingDecisionDto, FundingDecisionView, FundingEventDto, FundingTransitionView, ListFundingDecisionsQuery } from './dto/funding-decision.dto';
import { FundingDecisionsService } from './funding-decisions.service';

const uuid = new ParseUUIDPipe({ exceptionFactory: () => new NotFoundException('Beslutet om medel finns inte.') });

@ApiTags('Beslut om medel')
@Controller('funding-decisions')
export class FundingDecisionsController {
  constructor(private readonly decisions: FundingDecisionsService) {}

  @Post()
  @Idempotent()
  @ApiOperation({ summary: 'Registrera ett förslag till beslut om medel (nämndkansliet)' })
  @ApiCreatedResponse({ type: FundingDecisionView })
  create(@Body() dto: CreateFundingDecisionDto, @CurrentActor() actor: Actor) {
    return this.decisions.create(dto, actor);
  }

  @Get()
  @ApiOperation({ summary: 'Beslut om medel, nyaste först, en sida i taget, filtrerat på läge' })
  @ApiOkResponse({ type: [FundingDecisionView] })
  list(@Query() query: ListFundingDecisionsQuery, @CurrentActor() actor: Actor) {
    return this.decisions.list(query, actor);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Ett beslut om medel med förslag, beslut, uppföljning och datum' })
  @ApiOkResponse({ type: FundingDecisionView })
  get(@Param('id', uuid) id: string, @CurrentActor() actor: Actor) {
    return this.decisions.get(id, actor);
  }

  @Post(':id/events')
  @Idempotent()
  @HttpCode(200)
  @ApiOperation({ summary: 'Skicka en händelse: sätt upp på dagordningen, besluta, återremittera, expediera, registrera uppföljning …' })
  @ApiOkResponse({ type: FundingTransitionView })
  send(@Param('id', uuid) id: string, @Body() dto: FundingEventDto, @CurrentActor() actor: Actor) {
    return this.decisions.sendEvent(id, dto, actor);
  }
}

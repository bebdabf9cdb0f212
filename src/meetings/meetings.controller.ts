import { Body, Controller, Get, Param, Post, Put, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@app/audit/actor';
import { CurrentActor } from '@app/auth/current-actor.decorator';
import { Idempotent } from '@app/idempotency/idempotent.decorator';
import { CreateMeetingDto, ListMeetingsQuery, MeetingDatesDto, MeetingView, MovedMeetingView } from './dto/meeting.dto';
import { MeetingsService } from './meetings.service';

@ApiTags('Sammanträdesplan')
@Controller('meetings')
export class MeetingsController {
  constructor(private readonly meetings: MeetingsService) {}

  @Get()
  @ApiOperation({ summary: 'Nämndernas sammanträden, med sista dag för underlag' })
  @ApiOkResponse({ type: [MeetingView] })
  list(@Query() query: ListMeetingsQuery, @CurrentActor() actor: Actor) {
    return this.meetings.list(query, actor);
  }

  @Post()
  @Idempotent()
  @ApiOperation({ summary: 'Lägg till ett sammanträde i sammanträdesplanen (nämndkansliet)' })
  @ApiCreatedResponse({ type: MeetingView })
  create(@Body() dto: CreateMeetingDto, @CurrentActor() actor: Actor) {
    return this.meetings.create(dto, actor);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Ett sammanträde' })
  @ApiOkResponse({ type: MeetingView })
  get(@Param('id') id: string, @CurrentActor() actor: Actor) {
    return this.meetings.get(id, actor);
  }

  @Put(':id')
  @ApiOperation({ summary: 'Flytta ett sammanträde; datum som hänger på det flyttas med, i varje ärendes historik' })
  @ApiOkResponse({ type: MovedMeetingView })
  move(@Param('id') id: string, @Body() dto: MeetingDatesDto, @CurrentActor() actor: Actor) {
    return this.meetings.move(id, dto, actor);
  }
}

import { Body, Controller, Get, NotFoundException, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@app/audit/actor';
import { CurrentActor } from '@app/auth/current-actor.decorator';
import { RecordMeetingDto, SubmitReportDto } from './dto/follow-up.dto';
import { FollowUpService } from './follow-up.service';
import { Idempotent } from '@app/idempotency/idempotent.decorator';
import { FollowUpView } from './dto/follow-up-view.dto';

const uuid = new ParseUUIDPipe({ exceptionFactory: () => new NotFoundException('Överenskommelsen finns inte.') });

@ApiTags('Uppföljning')
@Controller('agreements/:id/follow-up')
export class FollowUpController {
  constructor(private readonly followUp: FollowUpService) {}

  @Get()
  @ApiOperation({ summary: 'Uppföljningsplikter per år med status, registrerade möten och årsrapporter' })
  @ApiOkResponse({ type: FollowUpView })
  get(@Param('id', uuid) id: string, @CurrentActor() actor: Actor) {
    return this.followUp.get(id, actor);
  }

  @Post('meetings')
  @Idempotent()
  @ApiOperation({ summary: 'Registrera ett möte i samverkansgruppen (nämndkansliet)' })
  @ApiCreatedResponse({ type: FollowUpView, description: 'Uppföljningen med mötet.' })
  recordMeeting(@Param('id', uuid) id: string, @Body() dto: RecordMeetingDto, @CurrentActor() actor: Actor) {
    return this.followUp.recordMeeting(id, dto, actor);
  }

  @Post('reports')
  @Idempotent()
  @ApiOperation({ summary: 'Lämna årsrapporten: fritext och sammanräknade uppgifter, inga personuppgifter (den idéburna parten)' })
  @ApiCreatedResponse({ type: FollowUpView, description: 'Uppföljningen med rapporten.' })
  submitReport(@Param('id', uuid) id: string, @Body() dto: SubmitReportDto, @CurrentActor() actor: Actor) {
    return this.followUp.submitReport(id, dto, actor);
  }
}

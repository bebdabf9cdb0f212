import { Body, Controller, NotFoundException, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@app/audit/actor';
import { CurrentActor } from '@app/auth/current-actor.decorator';
import { AmendmentsService } from './amendments.service';
import { ProposeAmendmentDto } from './dto/amendment.dto';
import { Idempotent } from '@app/idempotency/idempotent.decorator';
import { AgreementView } from './dto/agreement-view.dto';

const uuid = new ParseUUIDPipe({ exceptionFactory: () => new NotFoundException('Överenskommelsen finns inte.') });

@ApiTags('Överenskommelser')
@Controller('agreements/:id/amendments')
export class AmendmentsController {
  constructor(private readonly amendments: AmendmentsService) {}

  @Post()
  @Idempotent()
  @ApiOperation({
    summary: 'Föreslå ett tillägg: ny ekonomi från ett kommande kalenderår (nämndkansliet); varje parts firmatecknare godkänner med AGREE_TO_AMENDMENT',
  })
  @ApiCreatedResponse({ type: AgreementView, description: 'Överenskommelsen med tillägget som väntar på parterna.' })
  propose(@Param('id', uuid) id: string, @Body() dto: ProposeAmendmentDto, @CurrentActor() actor: Actor) {
    return this.amendments.propose(id, dto, actor);
  }
}

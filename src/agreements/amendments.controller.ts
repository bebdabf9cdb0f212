import { Body, Controller, NotFoundException, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@app/audit/actor';
import { CurrentActor } from '@app/auth/current-actor.decorator';
import { AmendmentsService } from './amendments.service';
import { ProposeAmendmentDto } from './dto/amendment.dto';
import { Idempotent } from '@app/idempotency/idempotent.decorator';

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
  propose(@Param('id', uuid) id: string, @Body() dto: ProposeAmendmentDto, @CurrentActor() actor: Actor) {
    return this.amendments.propose(id, dto, actor);
  }
}

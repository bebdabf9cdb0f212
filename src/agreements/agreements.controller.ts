import { Body, Controller, Get, HttpCode, NotFoundException, Param, ParseUUIDPipe, Post, Put, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@app/audit/actor';
import { CurrentActor, CurrentAuth } from '@app/auth/current-actor.decorator';
import type { RequestAuth } from '@app/auth/request-auth';
import { SessionsService } from '@app/auth/sessions.service';
import { signInMethodOf } from '@app/auth/sign-in-method';
import { ACTOR_HEADER } from '@app/auth/actor.resolver';
import { AgreementsService } from './agreements.service';
import { CreateAgreementDto, UpdateAgreementDto } from './dto/agreement-terms.dto';
import { ReminderPolicyDto } from './dto/reminder-policy.dto';
import { ListAgreementsQuery, SendEventDto } from './dto/send-event.dto';
import { Idempotent } from '@app/idempotency/idempotent.decorator';
import { AgreementEconomicsProjectionView, AgreementView, AllowedEventsView, ReminderPolicyView, TransitionView } from './dto/agreement-view.dto';

const uuid = new ParseUUIDPipe({ exceptionFactory: () => new NotFoundException('Överenskommelsen finns inte.') });

@ApiTags('Överenskommelser')
@ApiHeader({ name: ACTOR_HEADER, required: false, description: 'Person-id för den som agerar; gäller bara med TRUST_ACTOR_HEADER=on (test och lokala verktyg). Annars sessionscookie eller Bearer-token.' })
@Controller('agreements')
export class AgreementsController {
  constructor(
    private readonly agreements: AgreementsService,
    private readonly sessions: SessionsService,
  ) {}

  @Post()
  @Idempotent()
  @ApiOperation({ summary: 'Registrera ett initiativ från en idéburen organisation' })
  @ApiCreatedResponse({ type: AgreementView, description: 'Initiativet som registrerades.' })
  create(@Body() dto: CreateAgreementDto, @CurrentActor() actor: Actor) {
    return this.agreements.create(dto, actor);
  }

  @Get()
  @ApiOperation({ summary: 'Lista överenskommelser, filtrerat på tillstånd, part och bevakningsdatum' })
  @ApiOkResponse({ type: [AgreementView] })
  list(@Query() query: ListAgreementsQuery, @CurrentActor() actor: Actor) {
    return this.agreements.list(query, actor);
  }

  @Get(':id')
  @ApiOperation({ summary: 'En överenskommelse med villkor, tillstånd och radversion' })
  @ApiOkResponse({ type: AgreementView })
  get(@Param('id', uuid) id: string, @CurrentActor() actor: Actor) {
    return this.agreements.get(id, actor);
  }

  @Put(':id')
  @ApiOperation({ summary: 'Ändra villkoren (endast som initiativ eller utkast)' })
  @ApiOkResponse({ type: AgreementView, description: 'Överenskommelsen med de nya villkoren.' })
  update(@Param('id', uuid) id: string, @Body() dto: UpdateAgreementDto, @CurrentActor() actor: Actor) {
    return this.agreements.update(id, dto, actor);
  }

  @Post(':id/events')
  @Idempotent()
  @HttpCode(200)
  @ApiOperation({ summary: 'Skicka en händelse i livscykeln (signera, samtycka, häva …)' })
  @ApiOkResponse({ type: TransitionView, description: 'Övergången händelsen gav.' })
  async send(@Param('id', uuid) id: string, @Body() dto: SendEventDto, @CurrentActor() actor: Actor, @CurrentAuth() auth: RequestAuth) {
    return this.agreements.sendEvent(id, dto, actor, await signInMethodOf(auth, this.sessions));
  }

  @Put(':id/reminder-policy')
  @ApiOperation({ summary: 'Ändra när påminnelser skickas för den här överenskommelsen (utelämnade listor följer standard)' })
  @ApiOkResponse({ type: ReminderPolicyView })
  setReminderPolicy(@Param('id', uuid) id: string, @Body() dto: ReminderPolicyDto, @CurrentActor() actor: Actor) {
    return this.agreements.setReminderPolicy(id, dto, actor);
  }

  @Get(':id/allowed-events')
  @ApiOperation({ summary: 'Vad den inloggade personen får göra nu: tillståndets händelser som reglerna och villkoren tillåter' })
  @ApiOkResponse({ type: AllowedEventsView })
  allowed(@Param('id', uuid) id: string, @CurrentActor() actor: Actor) {
    return this.agreements.allowedEvents(id, actor);
  }

  @Get(':id/economics')
  @ApiOperation({ summary: 'Ekonomi per år och part under hela giltigheten, förlängningar och uppräkning inräknade' })
  @ApiOkResponse({ type: AgreementEconomicsProjectionView })
  economics(@Param('id', uuid) id: string, @CurrentActor() actor: Actor) {
    return this.agreements.economics(id, actor);
  }
}

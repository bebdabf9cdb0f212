import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@app/audit/actor';
import { CurrentActor } from '@app/auth/current-actor.decorator';
import { NoticePreferencesView, SetNoticePreferencesDto } from './dto/notice-preferences.dto';
import { NoticePreferencesService, type NoticePreferences } from './notice-preferences.service';

@ApiTags('Utskick')
@Controller('me/notice-preferences')
export class NoticePreferencesController {
  constructor(private readonly preferences: NoticePreferencesService) {}

  @Get()
  @ApiOperation({ summary: 'Vilka meddelanden vid varje steg du får med e-post (påminnelser om datum kommer alltid)' })
  @ApiOkResponse({ type: NoticePreferencesView })
  get(@CurrentActor() actor: Actor): Promise<NoticePreferences> {
    return this.preferences.get(actor);
  }

  @Put()
  @ApiOperation({ summary: 'Väljer vilka meddelanden du inte vill ha med e-post; alla andra är på' })
  @ApiOkResponse({ type: NoticePreferencesView })
  set(@Body() dto: SetNoticePreferencesDto, @CurrentActor() actor: Actor): Promise<NoticePreferences> {
    return this.preferences.setOff(actor, dto.off);
  }
}

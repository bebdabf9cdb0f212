import { Body, Controller, Get, NotFoundException, Param, ParseUUIDPipe, Put, Query } from '@nestjs/common';
import { PagedQuery, type PageQuery } from '@app/common/paged-query.decorator';
import { pageRequestOf } from '@app/common/paging';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@app/audit/actor';
import { requireAnyRole } from './access';
import { AccountsService } from './accounts.service';
import { CurrentActor } from './current-actor.decorator';
import { SetDisabledDto, SetPasswordDto, SetRolesDto } from './dto/account-admin.dto';
import { AccountChangeView, AccountView } from './dto/account-view.dto';

const personId = new ParseUUIDPipe({ exceptionFactory: () => new NotFoundException('Personen finns inte.') });
const ADMIN_ONLY = 'administratörer hanterar konton och roller';

/** Account administration: who may sign in and in which roles. Administrators only; every change is kept. */
@ApiTags('Konton')
@Controller('accounts')
export class AccountsController {
  constructor(private readonly accounts: AccountsService) {}

  @Get()
  @ApiOperation({ summary: 'Alla konton med roller och status' })
  @ApiOkResponse({ type: [AccountView] })
  @PagedQuery()
  list(@CurrentActor() actor: Actor, @Query() query: PageQuery) {
    requireAnyRole(actor, ['administrator'], ADMIN_ONLY);
    return this.accounts.list(pageRequestOf(query, 3));
  }

  @Put(':personId/roles')
  @ApiOperation({ summary: 'Ge en person ett konto med exakt dessa roller (skapas utan lösenord om det är nytt)' })
  @ApiOkResponse({ type: AccountView })
  setRoles(@Param('personId', personId) id: string, @Body() dto: SetRolesDto, @CurrentActor() actor: Actor) {
    requireAnyRole(actor, ['administrator'], ADMIN_ONLY);
    return this.accounts.setRoles(id, dto.roles, actor);
  }

  @Put(':personId/password')
  @ApiOperation({ summary: 'Sätt ett nytt lösenord för kontot' })
  @ApiOkResponse({ type: AccountView })
  setPassword(@Param('personId', personId) id: string, @Body() dto: SetPasswordDto, @CurrentActor() actor: Actor) {
    requireAnyRole(actor, ['administrator'], ADMIN_ONLY);
    return this.accounts.setPassword(id, dto.password, actor);
  }

  @Put(':personId/disabled')
  @ApiOperation({ summary: 'Stäng av eller öppna ett konto' })
  @ApiOkResponse({ type: AccountView })
  setDisabled(@Param('personId', personId) id: string, @Body() dto: SetDisabledDto, @CurrentActor() actor: Actor) {
    requireAnyRole(actor, ['administrator'], ADMIN_ONLY);
    return this.accounts.setDisabled(id, dto.disabled, actor);
  }

  @Get(':personId/changes')
  @ApiOperation({ summary: 'Kontots historik: roller, lösenord, avstängning, och vem som ändrade' })
  @ApiOkResponse({ type: [AccountChangeView] })
  changes(@Param('personId', personId) id: string, @CurrentActor() actor: Actor) {
    requireAnyRole(actor, ['administrator', 'auditor'], 'administratörer och revisorer ser kontons historik');
    return this.accounts.changes(id);
  }
}

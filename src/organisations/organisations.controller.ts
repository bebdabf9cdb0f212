import { Body, Controller, Get, NotFoundException, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@app/audit/actor';
import { OFFICE_ROLES, requireAnyRole, requireSignedIn } from '@app/auth/access';
import { CurrentActor } from '@app/auth/current-actor.decorator';
import { ROLES_SEEING_ALL } from '@workflows/agreement/rules';
import { CreateOrganisationDto, CreatePersonDto } from './dto/organisation.dto';
import { OrganisationsService } from './organisations.service';
import { PagedQuery, type PageQuery } from '@app/common/paged-query.decorator';
import { pageRequestOf } from '@app/common/paging';
import { Idempotent } from '@app/idempotency/idempotent.decorator';
import { OrganisationView, PersonView } from './dto/organisation-view.dto';

const REGISTERS = 'nämndkansliet och administratörer registrerar organisationer och personer';

const uuid = new ParseUUIDPipe({ exceptionFactory: () => new NotFoundException('Finns inte.') });

@ApiTags('Organisationer och personer')
@Controller()
export class OrganisationsController {
  constructor(private readonly organisations: OrganisationsService) {}

  @Post('organisations')
  @Idempotent()
  @ApiOperation({ summary: 'Registrera en organisation (kommun eller idéburen organisation)' })
  @ApiCreatedResponse({ type: OrganisationView })
  create(@Body() dto: CreateOrganisationDto, @CurrentActor() actor: Actor) {
    requireAnyRole(actor, OFFICE_ROLES, REGISTERS);
    return this.organisations.create(dto);
  }

  @Get('organisations')
  @ApiOperation({ summary: 'Organisationerna' })
  @ApiOkResponse({ type: [OrganisationView] })
  @PagedQuery()
  list(@CurrentActor() actor: Actor, @Query() query: PageQuery) {
    requireSignedIn(actor);
    return this.organisations.list(pageRequestOf(query, 2));
  }

  @Get('organisations/:id')
  @ApiOperation({ summary: 'En organisation' })
  @ApiOkResponse({ type: OrganisationView })
  get(@Param('id', uuid) id: string, @CurrentActor() actor: Actor) {
    requireSignedIn(actor);
    return this.organisations.get(id);
  }

  @Post('people')
  @Idempotent()
  @ApiOperation({ summary: 'Registrera en person i en organisation' })
  @ApiCreatedResponse({ type: PersonView })
  createPerson(@Body() dto: CreatePersonDto, @CurrentActor() actor: Actor) {
    requireAnyRole(actor, OFFICE_ROLES, REGISTERS);
    return this.organisations.createPerson(dto);
  }

  @Get('people')
  @ApiOperation({ summary: 'Personerna' })
  @ApiQuery({ name: 'organisationId', required: false })
  @ApiOkResponse({ type: [PersonView] })
  @PagedQuery()
  listPeople(@CurrentActor() actor: Actor, @Query() query: PageQuery & { organisationId?: string }) {
    requireSignedIn(actor);
    const page = pageRequestOf(query, 2);
    const organisationId = query.organisationId;
    if (organisationId !== undefined && !/^[0-9a-f-]{36}$/i.test(organisationId)) return [];
    // Names and e-mail addresses are personal data: members and signatories see their own organisation's people.
    const seesAll = actor.roles.some((r) => ROLES_SEEING_ALL.includes(r));
    if (seesAll) return this.organisations.listPeople(page, organisationId);
    if (!actor.organisationId || (organisationId !== undefined && organisationId !== actor.organisationId)) return [];
    return this.organisations.listPeople(page, actor.organisationId);
  }
}

import { Body, Controller, Get, NotFoundException, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CreateOrganisationDto, CreatePersonDto } from './dto/organisation.dto';
import { OrganisationsService } from './organisations.service';

const uuid = new ParseUUIDPipe({ exceptionFactory: () => new NotFoundException('Finns inte.') });

@ApiTags('Organisationer och personer')
@Controller()
export class OrganisationsController {
  constructor(private readonly organisations: OrganisationsService) {}

  @Post('organisations')
  @ApiOperation({ summary: 'Registrera en organisation (kommun eller idéburen organisation)' })
  create(@Body() dto: CreateOrganisationDto) {
    return this.organisations.create(dto);
  }

  @Get('organisations')
  list() {
    return this.organisations.list();
  }

  @Get('organisations/:id')
  get(@Param('id', uuid) id: string) {
    return this.organisations.get(id);
  }

  @Post('people')
  @ApiOperation({ summary: 'Registrera en person i en organisation' })
  createPerson(@Body() dto: CreatePersonDto) {
    return this.organisations.createPerson(dto);
  }

  @Get('people')
  @ApiQuery({ name: 'organisationId', required: false })
  listPeople(@Query('organisationId') organisationId?: string) {
    if (organisationId !== undefined && !/^[0-9a-f-]{36}$/i.test(organisationId)) return [];
    return this.organisations.listPeople(organisationId);
  }
}

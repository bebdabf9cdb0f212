import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { AgreementsService } from './agreements.service';

@ApiTags('Översikt')
@Controller('overview')
export class OverviewController {
  constructor(private readonly agreements: AgreementsService) {}

  @Get()
  @ApiOperation({ summary: 'Nämndens översikt: namn, parter, kategori, syfte, beräknat värde och nämndens kostnad per år, giltighet' })
  overview() {
    return this.agreements.overview();
  }
}

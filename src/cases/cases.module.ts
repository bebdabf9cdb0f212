import { CaseDatesService } from './case-dates.service';
import { CaseDeadlineProjector } from './case-deadline.projector';
import { Global, Module } from '@nestjs/common';
import { CaseAccessService } from './case-access.service';
import { CaseRegistry } from './case-registry';

/** The registry of kinds of case, shared by every module (the engine, the sweepers, the views), and who may read a case of any kind. */
@Global()
@Module({ providers: [CaseRegistry, CaseAccessService, CaseDeadlineProjector, CaseDatesService], exports: [CaseRegistry, CaseAccessService, CaseDeadlineProjector, CaseDatesService] })
export class CasesModule {}

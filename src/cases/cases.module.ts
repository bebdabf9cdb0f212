import { Global, Module } from '@nestjs/common';
import { CaseAccessService } from './case-access.service';
import { CaseRegistry } from './case-registry';

/** The registry of kinds of case, shared by every module (the engine, the sweepers, the views), and who may read a case of any kind. */
@Global()
@Module({ providers: [CaseRegistry, CaseAccessService], exports: [CaseRegistry, CaseAccessService] })
export class CasesModule {}

import { Global, Module } from '@nestjs/common';
import { CaseRegistry } from './case-registry';

/** The registry of kinds of case, shared by every module (the engine, the sweepers, the views). */
@Global()
@Module({ providers: [CaseRegistry], exports: [CaseRegistry] })
export class CasesModule {}

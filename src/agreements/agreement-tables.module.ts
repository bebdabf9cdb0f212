import { Module } from '@nestjs/common';
import { AgreementRepository } from './agreement.repository';

/** The agreement's tables alone, on TypeORM only: auth, notifications and follow-up read them without importing AgreementsModule (and its engine). */
@Module({ providers: [AgreementRepository], exports: [AgreementRepository] })
export class AgreementTablesModule {}

import { Module } from '@nestjs/common';
import { AgreementsModule } from '@app/agreements/agreements.module';
import { DocumentsController, DocumentTemplatesController } from './documents.controller';
import { DocumentsModule } from './documents.module';

/** The documents' addresses, behind the agreement's own access rules. */
@Module({ imports: [AgreementsModule, DocumentsModule], controllers: [DocumentsController, DocumentTemplatesController] })
export class DocumentRecordsModule {}

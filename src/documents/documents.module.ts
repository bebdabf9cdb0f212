import { Module } from '@nestjs/common';
import { PdfModule } from '@app/committee/pdf.module';
import { AuditModule } from '@app/audit/audit.module';
import { AgreementDocumentRepository } from './agreement-document.repository';
import { DocumentsService } from './documents.service';

/** The agreement as a document: rendered for signing, stored by its hash (issue 16). */
@Module({
  imports: [PdfModule, AuditModule],
  providers: [AgreementDocumentRepository, DocumentsService],
  exports: [DocumentsService, AgreementDocumentRepository],
})
export class DocumentsModule {}

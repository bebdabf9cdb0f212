import { AgreementTablesModule } from '@app/agreements/agreement-tables.module';
import { Module } from '@nestjs/common';
import { PdfModule } from '@app/committee/pdf.module';
import { AuditModule } from '@app/audit/audit.module';
import { AuditVerifierService } from '@app/audit/audit-verifier.service';
import { AgreementDocumentRepository } from './agreement-document.repository';
import { DocumentsService } from './documents.service';
import { DocumentTemplateRepository } from './document-template.repository';
import { DocumentTemplatesService } from './document-templates.service';

/** The agreement as a document: rendered for signing, stored by its hash (issue 16). */
@Module({
  imports: [PdfModule, AuditModule, AgreementTablesModule],
  providers: [AgreementDocumentRepository, DocumentsService, DocumentTemplateRepository, DocumentTemplatesService],
  exports: [DocumentsService, AgreementDocumentRepository, DocumentTemplatesService],
})
export class DocumentsModule {
  constructor(verifier: AuditVerifierService, documents: AgreementDocumentRepository) {
    // The audit verifier also checks that every stored document still has the hash recorded for it.
    verifier.registerRecordCheck({
      kind: 'agreement_document',
      async run(manager) {
        const found = await documents.integrity(manager);
        return {
          checked: found.checked,
          problems: [
            ...found.altered.map((d) => ({ kind: 'agreement_document', caseId: d.agreementId, key: d.hash, problem: 'bytes_altered' })),
            ...found.missing.map((d) => ({ kind: 'agreement_document', caseId: d.agreementId, key: d.hash, problem: 'missing' })),
          ],
        };
      },
    });
  }
}

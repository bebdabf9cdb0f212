import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AgreementView } from '@app/agreements/agreements.service';
import { ClockService } from '@app/clock/clock.service';
import { DomainError } from '@app/common/domain-error';
import { PdfRendererService } from '@app/committee/pdf-renderer.service';
import { agreementDocument, type AgreementDocument, type DocumentInput } from '@workflows/agreement/document';
import { AgreementDocumentRepository, type StoredDocument } from './agreement-document.repository';
import { documentHtml } from './document-html';

export interface ListedDocument {
  hash: string;
  kind: 'draft' | 'signed';
  signingRound: number;
  termsRowVersion: number;
  createdAt: string;
  size: number;
  status: 'for_signing' | 'signed' | 'superseded';
  href: string;
}

export const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/** What the document says, from the agreement as the service shows it. */
export function documentOf(a: AgreementView): AgreementDocument {
  const input: DocumentInput = {
    title: a.title,
    diarienummer: a.diarienummer,
    committee: a.committee,
    purpose: a.purpose,
    targetGroup: a.targetGroup,
    activities: a.activities,
    places: a.places,
    placeCategory: a.placeCategory,
    texts: a.texts,
    parties: a.parties,
    economics: a.economics,
    invoicing: a.invoicing,
    startDate: a.startDate,
    endDate: a.endDate,
    extension: a.extension,
    followUp: a.followUp.duties,
    signatories: a.signatories,
  };
  return agreementDocument(input);
}

export const STALE_DOCUMENT_MESSAGE =
  'Dokumentet har ändrats sedan du öppnade det: villkoren har skickats för signering på nytt med en ny version. Läs den nya versionen och signera den i stället.';

/**
 * The agreement's documents: the PDF rendered when it is sent for signing (one per signing round),
 * stored content-addressed by its SHA-256, and the check that a signature is for that document.
 */
@Injectable()
export class DocumentsService {
  constructor(
    private readonly pdf: PdfRendererService,
    private readonly documents: AgreementDocumentRepository,
    private readonly clock: ClockService,
  ) {}

  /**
   * The PDF for the terms as they are now. Rendered before the transition's transaction opens (a
   * Chromium print takes about a second; no row lock is held meanwhile); the caller binds it to
   * the row version it was rendered from, so terms changed in between refuse the sending.
   */
  async render(a: AgreementView): Promise<{ hash: string; bytes: Buffer }> {
    const doc = documentOf(a);
    const footer = [doc.municipality, doc.diarienummer ? `Dnr ${doc.diarienummer}` : null, doc.title].filter(Boolean).join(' · ');
    const bytes = await this.pdf.render(documentHtml(doc, 'Version för underskrift. Dokumentets SHA-256 visas på signeringssidan.'), {}, footer, { tagged: true, outline: true });
    return { hash: sha256(bytes), bytes };
  }

  /** Stores the round's document in the transition's transaction (after the machine moved to signing). */
  async storeForSigning(manager: EntityManager, agreementId: string, rendered: { hash: string; bytes: Buffer }, termsRowVersion: number): Promise<void> {
    const round = await this.documents.signingRound(agreementId, manager);
    await this.documents.insert(manager, { ...rendered, agreementId, signingRound: round, termsRowVersion, kind: 'draft', createdAt: this.clock.now() });
  }

  /** The document now out for signing, if any. */
  current(agreementId: string, manager?: EntityManager): Promise<StoredDocument | null> {
    return this.documents.currentDraft(agreementId, manager);
  }

  /**
   * The hash a signature is recorded with: the round's document. A signature given for another
   * hash is refused (409); one given without a hash (an API client that predates documents) is
   * recorded with the round's.
   */
  async requireSignable(agreementId: string, given: string | undefined, manager?: EntityManager): Promise<string | undefined> {
    const doc = await this.current(agreementId, manager);
    if (!doc) {
      if (given !== undefined) throw new DomainError('conflict', STALE_DOCUMENT_MESSAGE, { documentHash: null });
      return undefined;
    }
    if (given !== undefined && given !== doc.hash) throw new DomainError('conflict', STALE_DOCUMENT_MESSAGE, { documentHash: doc.hash });
    return doc.hash;
  }

  /**
   * The agreement's documents with their status: the current round's is out for signing, or was
   * signed once the agreement left signing for force; every earlier round's was superseded.
   */
  async list(a: Pick<AgreementView, 'id' | 'state' | 'lifecycle'>): Promise<ListedDocument[]> {
    const docs = await this.documents.ofAgreement(a.id);
    const round = Number(a.lifecycle.signingRound ?? 0);
    const notInForce = ['initiative', 'declined', 'draft', 'signing'];
    return docs.map((d) => ({
      hash: d.hash,
      kind: d.kind,
      signingRound: d.signingRound,
      termsRowVersion: d.termsRowVersion,
      createdAt: d.createdAt.toISOString(),
      size: d.size,
      status: d.kind === 'signed' ? 'signed' : d.signingRound !== round ? 'superseded' : a.state === 'signing' ? 'for_signing' : notInForce.includes(a.state) ? 'superseded' : 'signed',
      href: `/agreements/${a.id}/documents/${d.hash}.pdf`,
    }));
  }

  bytes(agreementId: string, hash: string): Promise<Buffer | null> {
    return this.documents.bytes(agreementId, hash);
  }
}

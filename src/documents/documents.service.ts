import { AgreementRepository } from '@app/agreements/agreement.repository';
import { createHash } from 'node:crypto';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AgreementView } from '@app/agreements/agreements.service';
import { ClockService } from '@app/clock/clock.service';
import { DomainError } from '@app/common/domain-error';
import { PdfRendererService } from '@app/committee/pdf-renderer.service';
import { agreementDocument, amendmentDocument, type AgreementDocument, type DocumentInput, type TemplateSection } from '@workflows/agreement/document';
import { DocumentTemplatesService } from './document-templates.service';
import { AuditService } from '@app/audit/audit.service';
import type { Actor } from '@app/audit/actor';
import { AppConfig } from '@app/config/app-config';
import { actorRoleLabel } from '@workflows/agreement/labels';
import { AgreementDocumentRepository, type StoredDocument } from './agreement-document.repository';
import { appendixHtml, type HistoryLine, type Signatory } from './appendix-html';
import { documentHtml } from './document-html';
import { sealDocument } from './document-sealer';
import { loadSealCertificate, type SealCertificate } from './seal-certificate';

/** A sealed agreement, made before the last signature's transaction and stored in it. */
export interface SealedDocument {
  hash: string;
  bytes: Buffer;
  /** The hash of the last history row it shows: stored only if the history has not moved on since. */
  chainHash: string;
}

export interface ListedDocument {
  hash: string;
  kind: 'draft' | 'signed' | 'amendment';
  signingRound: number;
  termsRowVersion: number;
  createdAt: string;
  size: number;
  status: 'for_signing' | 'signed' | 'superseded';
  href: string;
}

export const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/** What the document says, from the agreement as the service shows it. */
export function documentOf(a: AgreementView, standard?: Partial<Record<TemplateSection, string>>): AgreementDocument {
  return agreementDocument(inputOf(a, standard));
}

function inputOf(a: AgreementView, standard?: Partial<Record<TemplateSection, string>>): DocumentInput {
  return {
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
    standard,
  };
}

export const STALE_DOCUMENT_MESSAGE =
  'Dokumentet har ändrats sedan du öppnade det: villkoren har skickats för signering på nytt med en ny version. Läs den nya versionen och signera den i stället.';

/**
 * The agreement's documents: the PDF rendered when it is sent for signing (one per signing round),
 * stored content-addressed by its SHA-256, and the check that a signature is for that document.
 */
@Injectable()
export class DocumentsService implements OnModuleInit {
  private certificate: Promise<SealCertificate> | null = null;

  constructor(
    private readonly pdf: PdfRendererService,
    private readonly documents: AgreementDocumentRepository,
    private readonly tables: AgreementRepository,
    private readonly clock: ClockService,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
    private readonly templates: DocumentTemplatesService,
  ) {}

  /** At start: a missing or wrong certificate file stops the start, and the development certificate is made on the first. */
  async onModuleInit(): Promise<void> {
    await this.sealCertificate();
  }

  /** The sealing certificate, read (or for development made) once. */
  sealCertificate(): Promise<SealCertificate> {
    if (!this.certificate) {
      this.certificate = loadSealCertificate(this.config);
      this.certificate.catch(() => (this.certificate = null));
    }
    return this.certificate;
  }

  /**
   * The signed agreement: the document signed, a signature page (each signatory with their time in
   * Stockholm, how they signed in and the hash they signed) and the history up to signing with its
   * chain hash, sealed with PAdES. `last` is the signature about to be recorded (not yet in the
   * history); without it every signature is read from the history.
   */
  async seal(a: AgreementView, documentHash: string, last: { actor: Actor; at: Date; authentication: string } | null): Promise<SealedDocument> {
    const [bytes, history, certificate] = await Promise.all([this.documents.bytes(a.id, documentHash), this.audit.history(a.id), this.sealCertificate()]);
    if (!bytes) throw new DomainError('not_found', 'Dokumentet som signerades finns inte.');
    const sentAt = history.reduce((seq, h) => (h.eventType === 'SEND_FOR_SIGNING' && h.outcome === 'applied' ? h.seq : seq), 0);
    const signatories: Signatory[] = history
      .filter((h) => h.eventType === 'SIGN' && h.outcome === 'applied' && h.seq > sentAt)
      .map((h) => ({
        name: h.actorName,
        organisation: h.actorOrganisationName ?? '',
        role: actorRoleLabel(h.actorRole),
        at: h.occurredAt,
        authentication: typeof h.payload.authentication === 'string' ? h.payload.authentication : 'inte registrerat',
        documentHash: typeof h.payload.documentHash === 'string' ? h.payload.documentHash : '',
      }));
    if (last) signatories.push({ name: last.actor.name, organisation: last.actor.organisationName ?? '', role: actorRoleLabel(last.actor.role), at: last.at, authentication: last.authentication, documentHash });
    const lines: HistoryLine[] = history.map((h) => ({ seq: h.seq, at: h.occurredAt, event: h.eventType, actor: h.actorName, role: h.actorRole, organisation: h.actorOrganisationName, outcome: h.outcome, fromState: h.fromState, toState: h.toState, hash: h.hash }));
    const chainHash = history[history.length - 1]?.hash ?? '';
    const doc = documentOf(a);
    const appendix = await this.pdf.render(
      appendixHtml({ title: a.title, municipality: doc.municipality, diarienummer: a.diarienummer, documentHash, signatories, history: lines, chainHash, certificate }),
      {},
      [doc.municipality, a.diarienummer ? `Dnr ${a.diarienummer}` : null, `${a.title}, bilaga: underskrifter och historik`].filter(Boolean).join(' · '),
      { tagged: true },
    );
    const sealed = await sealDocument(bytes, appendix, certificate, { title: `${a.title} (undertecknad)`, municipality: doc.municipality, signingTime: last?.at ?? this.clock.now() });
    return { hash: sha256(sealed), bytes: sealed, chainHash };
  }

  /**
   * An amendment's own sealed document, when the last party agrees to it: the amendment (what changes
   * from which year and why, the new economics, the signed agreement's hash it belongs to), each
   * party's agreement with time and sign-in, and the history up to it, sealed as the agreement is.
   */
  async sealAmendment(a: AgreementView, last: { actor: Actor; at: Date; authentication: string }): Promise<SealedDocument> {
    const amendment = a.pendingAmendment;
    if (!amendment) throw new DomainError('event_not_allowed', 'Det finns inget tillägg att godkänna.');
    const [history, certificate, docs] = await Promise.all([this.audit.history(a.id), this.sealCertificate(), this.documents.ofAgreement(a.id)]);
    const agreementDocumentHash = docs.filter((d) => d.kind === 'signed').at(-1)?.hash ?? null;
    const doc = amendmentDocument(inputOf(a), { version: amendment.version, effectiveFromYear: amendment.effectiveFromYear, proposedOn: amendment.proposedOn, reason: amendment.reason, economics: amendment.economics, agreementDocumentHash });
    const footer = [doc.municipality, doc.diarienummer ? `Dnr ${doc.diarienummer}` : null, doc.title].filter(Boolean).join(' · ');
    const body = await this.pdf.render(documentHtml(doc, 'Tillägg, godkänt av varje part. Underskrifterna och historiken följer sist.'), {}, footer, { tagged: true, outline: true });
    const bodyHash = sha256(body);
    const proposedAt = history.reduce((seq, h) => (h.eventType === 'PROPOSE_AMENDMENT' && h.outcome === 'applied' ? h.seq : seq), 0);
    const signatories: Signatory[] = history
      .filter((h) => h.eventType === 'AGREE_TO_AMENDMENT' && h.outcome === 'applied' && h.seq > proposedAt)
      .map((h) => ({ name: h.actorName, organisation: h.actorOrganisationName ?? '', role: actorRoleLabel(h.actorRole), at: h.occurredAt, authentication: typeof h.payload.authentication === 'string' ? h.payload.authentication : 'inte registrerat', documentHash: bodyHash }));
    signatories.push({ name: last.actor.name, organisation: last.actor.organisationName ?? '', role: actorRoleLabel(last.actor.role), at: last.at, authentication: last.authentication, documentHash: bodyHash });
    const lines: HistoryLine[] = history.map((h) => ({ seq: h.seq, at: h.occurredAt, event: h.eventType, actor: h.actorName, role: h.actorRole, organisation: h.actorOrganisationName, outcome: h.outcome, fromState: h.fromState, toState: h.toState, hash: h.hash }));
    const chainHash = history[history.length - 1]?.hash ?? '';
    const appendix = await this.pdf.render(
      appendixHtml({
        title: doc.title,
        municipality: doc.municipality,
        diarienummer: a.diarienummer,
        documentHash: bodyHash,
        intro: 'Varje parts firmatecknare har godkänt tillägget i tjänsten, så som det föreslogs; tilläggets sidor ovan har kontrollsumman (SHA-256):',
        signatories,
        history: lines,
        chainHash,
        certificate,
      }),
      {},
      `${footer}, bilaga: underskrifter och historik`,
      { tagged: true },
    );
    const sealed = await sealDocument(body, appendix, certificate, { title: doc.title, municipality: doc.municipality, signingTime: last.at });
    return { hash: sha256(sealed), bytes: sealed, chainHash };
  }

  /** Stores a sealed document in the last signature's (or agreement's) transaction; a history that moved on since the seal was made refuses it (the signature is tried again). */
  async storeSealed(manager: EntityManager, agreementId: string, sealed: SealedDocument, termsRowVersion: number, kind: 'signed' | 'amendment' = 'signed'): Promise<void> {
    const head = await this.documents.lastHistoryHash(agreementId, manager);
    if (head !== sealed.chainHash) {
      throw new DomainError('conflict', 'Överenskommelsens historik ändrades medan det undertecknade dokumentet förseglades. Försök igen.');
    }
    const round = await this.tables.signingRoundOf(agreementId, manager);
    await this.documents.insert(manager, { hash: sealed.hash, bytes: sealed.bytes, agreementId, signingRound: round, termsRowVersion, kind, createdAt: this.clock.now() });
  }

  /** Seals and stores after the fact (two last signatures at once, each thinking another was missing): the document alone records the seal then. */
  async sealAfterwards(a: AgreementView, documentHash: string): Promise<void> {
    if ((await this.documents.ofAgreement(a.id)).some((d) => d.kind === 'signed' && d.signingRound === Number(a.lifecycle.signingRound ?? 0))) return;
    const sealed = await this.seal(a, documentHash, null);
    await this.documents.insert(this.documents.manager, { hash: sealed.hash, bytes: sealed.bytes, agreementId: a.id, signingRound: Number(a.lifecycle.signingRound ?? 0), termsRowVersion: a.rowVersion, kind: 'signed', createdAt: this.clock.now() });
  }

  /**
   * The PDF for the terms as they are now. Rendered before the transition's transaction opens (a
   * Chromium print takes about a second; no row lock is held meanwhile); the caller binds it to
   * the row version it was rendered from, so terms changed in between refuse the sending.
   */
  async render(a: AgreementView): Promise<{ hash: string; bytes: Buffer }> {
    const doc = documentOf(a, await this.templates.standardTexts());
    // The case and the round it is sent in are on every page: two documents never share their bytes (nor their hash),
    // however alike two agreements' texts, or two rounds' of one agreement, are.
    const round = Number(a.lifecycle.signingRound ?? 0) + 1;
    const footer = [doc.municipality, doc.diarienummer ? `Dnr ${doc.diarienummer}` : null, doc.title, `Ärende ${a.id}, signeringsomgång ${round}`].filter(Boolean).join(' · ');
    const bytes = await this.pdf.render(documentHtml(doc, 'Version för underskrift. Dokumentets SHA-256 visas på signeringssidan.'), {}, footer, { tagged: true, outline: true });
    return { hash: sha256(bytes), bytes };
  }

  /** Stores the round's document in the transition's transaction (after the machine moved to signing). */
  async storeForSigning(manager: EntityManager, agreementId: string, rendered: { hash: string; bytes: Buffer }, termsRowVersion: number): Promise<void> {
    const round = await this.tables.signingRoundOf(agreementId, manager);
    await this.documents.insert(manager, { ...rendered, agreementId, signingRound: round, termsRowVersion, kind: 'draft', createdAt: this.clock.now() });
  }

  /** The document now out for signing, if any. */
  async current(agreementId: string, manager?: EntityManager): Promise<StoredDocument | null> {
    return this.documents.currentDraft(agreementId, await this.tables.signingRoundOf(agreementId, manager), manager);
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
      status: d.kind !== 'draft' ? 'signed' : d.signingRound !== round ? 'superseded' : a.state === 'signing' ? 'for_signing' : notInForce.includes(a.state) ? 'superseded' : 'signed',
      href: `/agreements/${a.id}/documents/${d.hash}.pdf`,
    }));
  }

  bytes(agreementId: string, hash: string): Promise<Buffer | null> {
    return this.documents.bytes(agreementId, hash);
  }
}

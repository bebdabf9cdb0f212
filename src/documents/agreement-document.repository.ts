import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';

export type DocumentKind = 'draft' | 'signed' | 'amendment';

export interface StoredDocument {
  hash: string;
  agreementId: string;
  signingRound: number;
  termsRowVersion: number;
  kind: DocumentKind;
  createdAt: Date;
  size: number;
}

interface Row {
  hash: string;
  agreement_id: string;
  signing_round: number;
  terms_row_version: number;
  kind: DocumentKind;
  created_at: Date;
  size: number;
}

const COLUMNS = `hash, agreement_id, signing_round, terms_row_version, kind, created_at, octet_length(bytes) AS size`;
const of = (r: Row): StoredDocument => ({ hash: r.hash, agreementId: r.agreement_id, signingRound: r.signing_round, termsRowVersion: r.terms_row_version, kind: r.kind, createdAt: new Date(r.created_at), size: Number(r.size) });

/** The one owner of agreement_document: rendered and sealed documents, content-addressed, append-only (the database refuses UPDATE and DELETE). */
@Injectable()
export class AgreementDocumentRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Stores a document once; the same bytes again (same hash) are the same document. */
  async insert(manager: EntityManager, doc: { hash: string; bytes: Buffer; agreementId: string; signingRound: number; termsRowVersion: number; kind: DocumentKind; createdAt: Date }): Promise<void> {
    await manager.query(
      `INSERT INTO agreement_document (hash, bytes, agreement_id, signing_round, terms_row_version, kind, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (hash) DO NOTHING`,
      [doc.hash, doc.bytes, doc.agreementId, doc.signingRound, doc.termsRowVersion, doc.kind, doc.createdAt],
    );
    // The same bytes again are the same document; under another agreement or round they would be lost, so refused.
    const [kept] = await manager.query<Array<{ agreement_id: string; signing_round: number; kind: string }>>(`SELECT agreement_id, signing_round, kind FROM agreement_document WHERE hash = $1`, [doc.hash]);
    if (!kept || kept.agreement_id !== doc.agreementId || kept.signing_round !== doc.signingRound || kept.kind !== doc.kind) {
      throw new Error(`Dokumentet ${doc.hash} finns redan för ett annat ärende eller en annan omgång`);
    }
  }

  /** The agreement's documents, oldest first. */
  async ofAgreement(agreementId: string, manager: EntityManager = this.dataSource.manager): Promise<StoredDocument[]> {
    const rows = await manager.query<Row[]>(`SELECT ${COLUMNS} FROM agreement_document WHERE agreement_id = $1 ORDER BY created_at, signing_round, kind`, [agreementId]);
    return rows.map(of);
  }

  /** The newest document of this signing round of the agreement (the round read by the caller, under its lock when in the engine's transaction), if any. */
  async currentDraft(agreementId: string, signingRound: number, manager: EntityManager = this.dataSource.manager): Promise<StoredDocument | null> {
    const [row] = await manager.query<Row[]>(
      `SELECT ${COLUMNS} FROM agreement_document WHERE agreement_id = $1 AND kind = 'draft' AND signing_round = $2 ORDER BY created_at DESC LIMIT 1`,
      [agreementId, signingRound],
    );
    return row ? of(row) : null;
  }

  get manager(): EntityManager {
    return this.dataSource.manager;
  }

  /** The hash of the agreement's last history row (read, never written, here: the audit service owns audit_event). */
  async lastHistoryHash(agreementId: string, manager: EntityManager): Promise<string> {
    const [row] = await manager.query<Array<{ hash: string }>>(`SELECT hash FROM audit_event WHERE case_id = $1 ORDER BY seq DESC LIMIT 1`, [agreementId]);
    return row?.hash ?? '';
  }

  async bytes(agreementId: string, hash: string): Promise<Buffer | null> {
    const [row] = await this.dataSource.query<Array<{ bytes: Buffer }>>(`SELECT bytes FROM agreement_document WHERE agreement_id = $1 AND hash = $2`, [agreementId, hash]);
    return row ? row.bytes : null;
  }

  /**
   * The verifier's check, in its snapshot: every stored document whose bytes no longer hash to its
   * key, and every hash the history records (documentHash, sealedDocumentHash) with no document
   * kept under it (the store is content-addressed: the chain binds the hash to its case).
   */
  async integrity(manager: EntityManager): Promise<{ checked: number; altered: Array<{ hash: string; agreementId: string }>; missing: Array<{ hash: string; agreementId: string }> }> {
    const [count] = await manager.query<Array<{ n: string }>>(`SELECT count(*) AS n FROM agreement_document`);
    const altered = await manager.query<Array<{ hash: string; agreement_id: string }>>(
      `SELECT hash, agreement_id FROM agreement_document WHERE encode(sha256(bytes), 'hex') <> hash ORDER BY agreement_id, hash`,
    );
    const missing = await manager.query<Array<{ hash: string; agreement_id: string }>>(
      `SELECT DISTINCT r.hash, e.case_id AS agreement_id
         FROM audit_event e CROSS JOIN LATERAL (VALUES (e.payload->>'documentHash'), (e.payload->>'sealedDocumentHash')) AS r(hash)
        WHERE e.outcome = 'applied' AND e.event_type IN ('SEND_FOR_SIGNING', 'SIGN', 'AGREE_TO_AMENDMENT') AND r.hash IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM agreement_document d WHERE d.hash = r.hash)
        ORDER BY 2, 1`,
    );
    const of = (r: { hash: string; agreement_id: string }) => ({ hash: r.hash, agreementId: r.agreement_id });
    return { checked: Number(count?.n ?? 0), altered: altered.map(of), missing: missing.map(of) };
  }
}

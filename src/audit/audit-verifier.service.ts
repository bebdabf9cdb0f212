import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditService, type ChainBreak, type ChainCheck, type ChainHead, type VerificationReport } from './audit.service';
import { AuditCheckpointService, type StoredCheckpoint } from './audit-checkpoint.service';
import { headsDigest, signedText } from './audit-checkpoint';

export type ChainStatus = 'intact' | 'row_altered' | 'rows_missing_at_end' | 'chain_missing';

export interface ChainFinding {
  agreementId: string;
  status: Exclude<ChainStatus, 'intact'>;
  /** What told: the chain itself, the head written with the last append, or the signed checkpoint. */
  against: 'chain' | 'chain_head' | 'checkpoint';
  /** The first altered or missing position (for row_altered against a head: at or before it). */
  seq: number | null;
  expectedEvents: number | null;
  foundEvents: number;
}

export interface CheckpointCheck {
  id: string;
  createdAt: string;
  keyId: string;
  chainCount: number;
  eventCount: number;
  signatureValid: boolean;
  /** Why the signature does not hold, when it does not. */
  problem: null | 'signature_invalid' | 'other_key' | 'heads_altered' | 'previous_checkpoint_missing';
}

export interface AgreementVerification {
  /** The case's id, of any kind (the report's name from before there were other kinds). */
  agreementId: string;
  caseType: string;
  status: ChainStatus;
  events: number;
  inCheckpoint: boolean;
}

export interface AuditVerificationReport extends VerificationReport {
  /** The latest checkpoint, checked against the signing key; null before the first. */
  checkpoint: CheckpointCheck | null;
  /** Events appended after the latest checkpoint: only the chain vouches for them. */
  eventsAfterCheckpoint: number;
  findings: ChainFinding[];
  agreements: AgreementVerification[];
}

export interface VerifyOptions {
  /** Rows per query; AUDIT_READ_BATCH_ROWS unless given. */
  batchRows?: number;
  /** List every case in `agreements` (the API's report); false leaves it empty, for callers that only show findings and counts. */
  listCases?: boolean;
}

/**
 * /audit/verify: every chain re-computed, then held against the heads written with each append
 * and the latest signed checkpoint, so a shortened or removed chain shows even when the rows that
 * are left hash correctly.
 *
 * Streamed: the rows, in (case_id, seq) order, and the heads, in case_id order, are read in keyset
 * batches from one read-only snapshot and merged with the checkpoint's heads (sorted by case id);
 * each chain is checked as its rows arrive and only its state is held, so memory does not grow with
 * the table. What does grow with the number of cases: the checkpoint's heads (one jsonb row) and
 * the report's list of cases.
 */
@Injectable()
export class AuditVerifierService {
  constructor(
    private readonly audit: AuditService,
    private readonly checkpoints: AuditCheckpointService,
  ) {}

  verify(now: Date, options: VerifyOptions = {}): Promise<AuditVerificationReport> {
    const batchRows = options.batchRows ?? this.audit.batchRows;
    const listCases = options.listCases ?? true;
    return this.audit.snapshot(async (manager) => {
      const latest = await this.checkpoints.latest(manager);
      const checkpoint = latest === null ? null : await this.checkCheckpoint(latest, manager);
      const signedHeads = new Map((latest?.heads ?? []).map((head) => [head.agreementId, head]));
      const signedIds = [...signedHeads.keys()].sort();
      const tableRows = await this.audit.eventCount(manager);
      const events = this.audit.eventCursor(manager, batchRows);
      const heads = this.audit.headCursor(manager, batchRows);

      const breaks: ChainBreak[] = [];
      const findings: ChainFinding[] = [];
      const agreements: AgreementVerification[] = [];
      let agreementsChecked = 0;
      let eventsChecked = 0;
      let eventsAfterCheckpoint = 0;
      let signedIndex = 0;
      for (;;) {
        // The next case id of the three sources, each in the same (case id) order.
        const nextEvent = await events.peek();
        const nextHead = await heads.peek();
        const nextSigned = signedIds[signedIndex] as string | undefined;
        const agreementId = [nextEvent?.caseId, nextHead?.agreementId, nextSigned].reduce<string | undefined>(
          (least, id) => (id !== undefined && (least === undefined || id < least) ? id : least),
          undefined,
        );
        if (agreementId === undefined) break;
        const recorded = nextHead?.agreementId === agreementId ? heads.take() : undefined;
        const signed = nextSigned === agreementId ? signedHeads.get(signedIds[signedIndex++]) : undefined;
        const positions = [signed, recorded].filter((head) => head !== undefined).map((head) => Number(head.count));
        const chain = nextEvent?.caseId === agreementId ? await this.audit.checkChain(events, tableRows, positions) : null;

        agreementsChecked += 1;
        eventsChecked += chain?.rows ?? 0;
        if (chain?.break) breaks.push(chain.break);
        const found = chain?.length ?? 0;
        if (latest !== null) eventsAfterCheckpoint += Math.max(0, found - (signed?.count ?? 0));
        const finding = chain?.break
          ? { agreementId, status: 'row_altered' as const, against: 'chain' as const, seq: chain.break.seq, expectedEvents: null, foundEvents: found }
          : (compare(agreementId, chain, signed, 'checkpoint') ?? compare(agreementId, chain, recorded, 'chain_head'));
        if (finding) findings.push(finding);
        if (listCases) {
          const caseType = chain?.caseType ?? recorded?.caseType ?? 'agreement';
          agreements.push({ agreementId, caseType, status: finding?.status ?? 'intact', events: found, inCheckpoint: signed !== undefined });
        }
      }
      return {
        verifiedAt: now.toISOString(),
        agreementsChecked,
        eventsChecked,
        intact: breaks.length === 0 && findings.length === 0 && (checkpoint?.signatureValid ?? true),
        breaks,
        checkpoint,
        eventsAfterCheckpoint,
        findings,
        agreements,
      };
    });
  }

  private async checkCheckpoint(stored: StoredCheckpoint, manager: EntityManager): Promise<CheckpointCheck> {
    const key = this.checkpoints.signingKey;
    const { signed } = stored;
    let problem: CheckpointCheck['problem'] = null;
    if (signed.keyId !== key.keyId) problem = 'other_key';
    else if (!key.verify(signedText(signed), stored.signature)) problem = 'signature_invalid';
    else if (headsDigest(stored.heads) !== signed.headsDigest || stored.heads.length !== signed.chainCount) problem = 'heads_altered';
    else if (signed.previousCheckpointId !== null) {
      const previous = await this.checkpoints.byId(signed.previousCheckpointId, manager);
      if (previous === null || previous.signature !== signed.previousSignature) problem = 'previous_checkpoint_missing';
    }
    return {
      id: signed.id,
      createdAt: signed.createdAt,
      keyId: signed.keyId,
      chainCount: signed.chainCount,
      eventCount: signed.eventCount,
      signatureValid: problem === null,
      problem,
    };
  }
}

/** A chain held against a head it once had: gone, shorter, or different at that position. */
function compare(agreementId: string, chain: ChainCheck | null, head: ChainHead | undefined, against: 'checkpoint' | 'chain_head'): ChainFinding | null {
  if (head === undefined) return null;
  const length = chain?.length ?? 0;
  const base = { agreementId, against, expectedEvents: head.count, foundEvents: length };
  if (length === 0) return { ...base, status: 'chain_missing', seq: null };
  if (length < head.count) return { ...base, status: 'rows_missing_at_end', seq: length + 1 };
  if (chain?.hashAt(Number(head.count)) !== head.lastHash) return { ...base, status: 'row_altered', seq: head.count };
  return null;
}

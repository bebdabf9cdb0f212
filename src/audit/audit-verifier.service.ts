import { Injectable } from '@nestjs/common';
import { AuditService, type ChainHead, type VerificationReport } from './audit.service';
import { AuditCheckpointService } from './audit-checkpoint.service';
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

/**
 * /audit/verify: every chain re-computed, then held against the heads written with each append
 * and the latest signed checkpoint, so a shortened or removed chain shows even when the rows that
 * are left hash correctly.
 */
@Injectable()
export class AuditVerifierService {
  constructor(
    private readonly audit: AuditService,
    private readonly checkpoints: AuditCheckpointService,
  ) {}

  async verify(now: Date): Promise<AuditVerificationReport> {
    const [inspection, storedHeads, latest] = await Promise.all([this.audit.inspect(now), this.audit.heads(), this.checkpoints.latest()]);
    const checkpoint = latest === null ? null : await this.checkCheckpoint(latest);
    const signedHeads = new Map((latest?.heads ?? []).map((head) => [head.agreementId, head]));
    const recordedHeads = new Map(storedHeads.map((head) => [head.agreementId, head]));
    const ids = [...new Set([...inspection.chains.keys(), ...recordedHeads.keys(), ...signedHeads.keys()])].sort();

    const findings: ChainFinding[] = [];
    const agreements: AgreementVerification[] = [];
    let eventsAfterCheckpoint = 0;
    for (const agreementId of ids) {
      const chain = inspection.chains.get(agreementId);
      const found = chain?.hashes.length ?? 0;
      const signed = signedHeads.get(agreementId);
      if (latest !== null) eventsAfterCheckpoint += Math.max(0, found - (signed?.count ?? 0));
      const finding = chain?.break
        ? { agreementId, status: 'row_altered' as const, against: 'chain' as const, seq: chain.break.seq, expectedEvents: null, foundEvents: found }
        : (compare(agreementId, chain?.hashes ?? [], signed, 'checkpoint') ?? compare(agreementId, chain?.hashes ?? [], recordedHeads.get(agreementId), 'chain_head'));
      if (finding) findings.push(finding);
      const caseType = chain?.caseType ?? recordedHeads.get(agreementId)?.caseType ?? 'agreement';
      agreements.push({ agreementId, caseType, status: finding?.status ?? 'intact', events: found, inCheckpoint: signed !== undefined });
    }
    return {
      verifiedAt: inspection.verifiedAt,
      agreementsChecked: ids.length,
      eventsChecked: inspection.eventsChecked,
      intact: inspection.breaks.length === 0 && findings.length === 0 && (checkpoint?.signatureValid ?? true),
      breaks: inspection.breaks,
      checkpoint,
      eventsAfterCheckpoint,
      findings,
      agreements,
    };
  }

  private async checkCheckpoint(stored: NonNullable<Awaited<ReturnType<AuditCheckpointService['latest']>>>): Promise<CheckpointCheck> {
    const key = this.checkpoints.signingKey;
    const { signed } = stored;
    let problem: CheckpointCheck['problem'] = null;
    if (signed.keyId !== key.keyId) problem = 'other_key';
    else if (!key.verify(signedText(signed), stored.signature)) problem = 'signature_invalid';
    else if (headsDigest(stored.heads) !== signed.headsDigest || stored.heads.length !== signed.chainCount) problem = 'heads_altered';
    else if (signed.previousCheckpointId !== null) {
      const previous = await this.checkpoints.byId(signed.previousCheckpointId);
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
function compare(agreementId: string, hashes: string[], head: ChainHead | undefined, against: 'checkpoint' | 'chain_head'): ChainFinding | null {
  if (head === undefined) return null;
  const base = { agreementId, against, expectedEvents: head.count, foundEvents: hashes.length };
  if (hashes.length === 0) return { ...base, status: 'chain_missing', seq: null };
  if (hashes.length < head.count) return { ...base, status: 'rows_missing_at_end', seq: hashes.length + 1 };
  if (hashes[head.count - 1] !== head.lastHash) return { ...base, status: 'row_altered', seq: head.count };
  return null;
}

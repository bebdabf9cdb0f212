import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditService, ChainCheck, type ChainBreak, type ChainHead, type VerificationReport } from './audit.service';
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

/** A record kept beside the history (a stored document) that no longer is what the history says. */
export interface RecordProblem {
  kind: string;
  caseId: string;
  /** The record's key, e.g. a document's SHA-256. */
  key: string;
  problem: string;
}

/** A check of records kept beside the chains, registered by the module that owns them (DocumentsModule). */
export interface RecordCheck {
  kind: string;
  run(manager: EntityManager): Promise<{ checked: number; problems: RecordProblem[] }>;
}

export interface AuditVerificationReport extends VerificationReport {
  /** Records beside the chains (stored documents), each checked against the hash recorded for it. */
  records: { checked: number; problems: RecordProblem[] };
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
  /** Awaited after every batch with the rows and the chains reached so far (a stored run writes its progress here). */
  onProgress?: (progress: VerifyProgress) => Promise<void>;
}

export interface VerifyProgress {
  rowsChecked: number;
  chainsChecked: number;
}

/** A case id the chain check reaches, with what the heads say of it. */
interface Visit {
  agreementId: string;
  chain: ChainCheck | null;
  recorded: ChainHead | undefined;
  signed: ChainHead | undefined;
}

/**
 * /audit/verify: every chain re-computed, then held against the heads written with each append
 * and the latest signed checkpoint, so a shortened or removed chain shows even when the rows that
 * are left hash correctly.
 *
 * Streamed: the rows come in (case_id, seq) order, a chain's first with its recorded head, in keyset
 * batches from one read-only snapshot, and are checked one by one as they arrive; only the current
 * chain's state is held, so memory does not grow with the number of rows. The checkpoint's heads
 * (one jsonb row) and the report's list of cases grow with the number of cases.
 */
@Injectable()
export class AuditVerifierService {
  private readonly recordChecks: RecordCheck[] = [];

  constructor(
    private readonly audit: AuditService,
    private readonly checkpoints: AuditCheckpointService,
  ) {}

  /** Adds a check of records kept beside the chains; it runs in the same snapshot as the chains'. */
  registerRecordCheck(check: RecordCheck): void {
    this.recordChecks.push(check);
  }

  verify(now: Date, options: VerifyOptions = {}): Promise<AuditVerificationReport> {
    return this.audit.snapshot((manager) => this.verifyIn(manager, now, options));
  }

  /** The same check inside a snapshot the caller opened (AuditService.snapshot), e.g. one that also holds a stored run's lock. */
  verifyIn(manager: EntityManager, now: Date, options: VerifyOptions = {}): Promise<AuditVerificationReport> {
    const batchRows = options.batchRows ?? this.audit.batchRows;
    const listCases = options.listCases ?? true;
    const onProgress = options.onProgress;
    return (async () => {
      const latest = await this.checkpoints.latest(manager);
      const checkpoint = latest === null ? null : await this.checkCheckpoint(latest, manager);
      // The checkpoint's heads by case id, in one sorted array (no map beside it: it has a head per case). The sort is
      // stable, so a case named twice keeps its heads in order, and the last one counts (as a map's set would have it).
      const signedHeads = [...(latest?.heads ?? [])].sort(byAgreementId);
      let signedIndex = 0;
      /** The next signed case id, or undefined after the last. */
      const nextSignedId = (): string | undefined => signedHeads[signedIndex]?.agreementId;
      /** The signed head of that case id, and on past it. */
      const takeSigned = (): ChainHead => {
        const id = signedHeads[signedIndex].agreementId;
        while (signedHeads[signedIndex + 1]?.agreementId === id) signedIndex += 1;
        return signedHeads[signedIndex++];
      };
      const tableRows = await this.audit.eventCount(manager);
      // Heads whose chain has no row at all: none unless someone removed rows; the rest come with the rows.
      const headsWithoutRows = await this.audit.headsWithoutRows(manager);

      const breaks: ChainBreak[] = [];
      const findings: ChainFinding[] = [];
      const agreements: AgreementVerification[] = [];
      let agreementsChecked = 0;
      let eventsAfterCheckpoint = 0;

      const report = ({ agreementId, chain, recorded, signed }: Visit): void => {
        agreementsChecked += 1;
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
      };

      // Case ids without rows (only signed, or only a recorded head) before `until` (all when undefined), in id order.
      let headIndex = 0;
      const reportWithoutRows = (until: string | undefined): void => {
        for (;;) {
          const nextSigned = nextSignedId();
          const nextHead = headsWithoutRows[headIndex] as ChainHead | undefined;
          const id = nextHead === undefined || (nextSigned !== undefined && nextSigned < nextHead.agreementId) ? nextSigned : nextHead.agreementId;
          if (id === undefined || (until !== undefined && !(id < until))) return;
          const signed = nextSigned === id ? takeSigned() : undefined;
          const recorded = nextHead?.agreementId === id ? headsWithoutRows[headIndex++] : undefined;
          report({ agreementId: id, chain: null, recorded, signed });
        }
      };

      let current: Visit | null = null;
      const eventsChecked = await this.audit.forEachRow(manager, batchRows, (row) => {
        if (row.caseId !== current?.agreementId) {
          if (current !== null) report(current);
          reportWithoutRows(row.caseId);
          const signed = nextSignedId() === row.caseId ? takeSigned() : undefined;
          const recorded =
            row.headCount === null ? undefined : { agreementId: row.caseId, caseType: row.headCaseType ?? undefined, count: row.headCount, lastHash: row.headHash ?? '' };
          const positions = [signed, recorded].filter((head) => head !== undefined).map((head) => Number(head.count));
          current = { agreementId: row.caseId, chain: new ChainCheck(row.caseId, row.caseType, tableRows, positions), recorded, signed };
        }
        current.chain?.add(row);
      }, onProgress === undefined ? undefined : (rowsChecked) => onProgress({ rowsChecked, chainsChecked: agreementsChecked + (current === null ? 0 : 1) }));
      if (current !== null) report(current);
      reportWithoutRows(undefined);
      const records = { checked: 0, problems: [] as RecordProblem[] };
      for (const check of this.recordChecks) {
        const found = await check.run(manager);
        records.checked += found.checked;
        // One by one: a spread of a long list overflows the stack.
        for (const problem of found.problems) records.problems.push(problem);
      }

      return {
        verifiedAt: now.toISOString(),
        agreementsChecked,
        eventsChecked,
        intact: breaks.length === 0 && findings.length === 0 && records.problems.length === 0 && (checkpoint?.signatureValid ?? true),
        records,
        breaks,
        checkpoint,
        eventsAfterCheckpoint,
        findings,
        agreements,
      };
    })();
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

const byAgreementId = (a: ChainHead, b: ChainHead): number => (a.agreementId < b.agreementId ? -1 : a.agreementId > b.agreementId ? 1 : 0);

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

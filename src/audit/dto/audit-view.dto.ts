import { AnyObject, Bool, DateTime, Int, ListOf, Nested, OneOf, Str, Uuid } from '@app/common/view-properties';

/** One event in a case's hash-chained history. */
export class AuditEventView {
  @Uuid() id!: string;
  @Str() caseType!: string;
  @Uuid() caseId!: string;
  /** The case's id again, under the name the API had before there were other kinds of case. */
  @Uuid() agreementId!: string;
  @Int() chainVersion!: number;
  @Int() seq!: number;
  @DateTime() occurredAt!: string;
  @Uuid({ nullable: true }) actorPersonId!: string | null;
  @Str() actorName!: string;
  @Str() actorRole!: string;
  @Uuid({ nullable: true }) actorOrganisationId!: string | null;
  @Str({ nullable: true }) actorOrganisationName!: string | null;
  @Str() eventType!: string;
  @AnyObject('Händelsens innehåll som det skickades.') payload!: Record<string, unknown>;
  @Str() fromState!: string;
  @Str() toState!: string;
  @Str({ nullable: true }) reason!: string | null;
  @OneOf(['applied', 'refused', 'forbidden', 'skipped']) outcome!: string;
  @Str() prevHash!: string;
  @Str() hash!: string;
}

export class CheckpointCheckView {
  @Str() id!: string;
  @DateTime() createdAt!: string;
  @Str() keyId!: string;
  @Int() chainCount!: number;
  @Int() eventCount!: number;
  @Bool() signatureValid!: boolean;
  @OneOf(['signature_invalid', 'other_key', 'heads_altered', 'previous_checkpoint_missing'], { nullable: true }) problem!: string | null;
}

export class ChainFindingView {
  @Uuid() agreementId!: string;
  @OneOf(['row_altered', 'rows_missing_at_end', 'chain_missing']) status!: string;
  @OneOf(['chain', 'chain_head', 'checkpoint']) against!: string;
  @Int({ nullable: true }) seq!: number | null;
  @Int({ nullable: true }) expectedEvents!: number | null;
  @Int() foundEvents!: number;
}

export class AgreementVerificationView {
  @Uuid() agreementId!: string;
  @OneOf(['intact', 'row_altered', 'rows_missing_at_end', 'chain_missing']) status!: string;
  @Int() events!: number;
  @Bool() inCheckpoint!: boolean;
}

export class ChainBreakView {
  @Uuid() agreementId!: string;
  @Int() seq!: number;
  @Uuid() auditEventId!: string;
  @OneOf(['hash_mismatch', 'broken_link', 'gap_in_sequence']) problem!: string;
}

export class RecordProblemView {
  @Str({ example: 'agreement_document' }) kind!: string;
  @Uuid() caseId!: string;
  @Str({ description: 'Postens nyckel, t.ex. dokumentets SHA-256.' }) key!: string;
  @OneOf(['bytes_altered', 'missing']) problem!: string;
}

export class RecordsCheckView {
  @Int() checked!: number;
  @ListOf(() => RecordProblemView) problems!: RecordProblemView[];
}

export class AuditVerificationView {
  @Nested(() => RecordsCheckView, { description: 'Poster vid sidan av kedjorna (lagrade dokument), kontrollerade mot sin hash.' }) records!: RecordsCheckView;
  @Nested(() => CheckpointCheckView, { nullable: true }) checkpoint!: CheckpointCheckView | null;
  @Int() eventsAfterCheckpoint!: number;
  @ListOf(() => ChainFindingView) findings!: ChainFindingView[];
  @ListOf(() => AgreementVerificationView) agreements!: AgreementVerificationView[];
  @DateTime() verifiedAt!: string;
  @Int() agreementsChecked!: number;
  @Int() eventsChecked!: number;
  @Bool() intact!: boolean;
  @ListOf(() => ChainBreakView) breaks!: ChainBreakView[];
}

export class SignedCheckpointView {
  @OneOf(['iop-audit-checkpoint/1']) format!: string;
  @Str() id!: string;
  @DateTime() createdAt!: string;
  @Int() chainCount!: number;
  @Int() eventCount!: number;
  @Str() headsDigest!: string;
  @Str({ nullable: true }) previousCheckpointId!: string | null;
  @Str({ nullable: true }) previousSignature!: string | null;
  @Str() keyId!: string;
}

export class ChainHeadView {
  @Uuid() agreementId!: string;
  @Int() count!: number;
  @Str() lastHash!: string;
}

/** A signed checkpoint with everything needed to check it elsewhere. */
export class CheckpointReceiptView {
  @Nested(() => SignedCheckpointView) checkpoint!: SignedCheckpointView;
  @OneOf(['Ed25519']) algorithm!: string;
  @Str() signature!: string;
  @Str() publicKeyPem!: string;
  @ListOf(() => ChainHeadView) heads!: ChainHeadView[];
}

export class CheckpointSummaryView {
  @Str() id!: string;
  @DateTime() createdAt!: string;
  @Int() chainCount!: number;
  @Int() eventCount!: number;
  @Str() requestedBy!: string;
  @Str() keyId!: string;
}

export class PublicKeyView {
  @Str({ example: 'Ed25519' }) algorithm!: string;
  @Str() keyId!: string;
  @Str() publicKeyPem!: string;
}

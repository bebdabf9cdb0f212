import { createHash } from 'node:crypto';
import { canonicalJson } from './audit-chain';
import type { ChainHead } from './audit.service';

export const CHECKPOINT_FORMAT = 'iop-audit-checkpoint/1';

/** Exactly what the signature covers; the heads themselves through their digest. */
export interface SignedCheckpoint {
  format: typeof CHECKPOINT_FORMAT;
  id: string;
  createdAt: string;
  chainCount: number;
  eventCount: number;
  /** SHA-256 over the canonical JSON of every head, sorted by agreement id. */
  headsDigest: string;
  /** The checkpoint before, so a removed one in between shows. */
  previousCheckpointId: string | null;
  previousSignature: string | null;
  keyId: string;
}

/** The downloadable and mailed receipt: everything needed to check a checkpoint without this service. */
export interface CheckpointReceipt {
  checkpoint: SignedCheckpoint;
  algorithm: 'Ed25519';
  /** Base64 over `signedText`: the canonical JSON (keys sorted, no spaces) of `checkpoint`. */
  signature: string;
  publicKeyPem: string;
  heads: ChainHead[];
}

const byAgreementId = (a: ChainHead, b: ChainHead): number => (a.agreementId < b.agreementId ? -1 : a.agreementId > b.agreementId ? 1 : 0);

export function sortedHeads(heads: ChainHead[]): ChainHead[] {
  return [...heads].map((head) => ({ agreementId: head.agreementId, count: head.count, lastHash: head.lastHash })).sort(byAgreementId);
}

/**
 * SHA-256 over canonicalJson(sortedHeads(heads)), fed a head at a time: the same bytes without
 * copying every head or holding the whole text (a checkpoint has one head per case).
 */
export function headsDigest(heads: ChainHead[]): string {
  const digest = createHash('sha256');
  digest.update('[');
  // The sort is stable, so equal ids keep their order as sortedHeads kept them.
  [...heads].sort(byAgreementId).forEach((head, i) => {
    digest.update((i === 0 ? '' : ',') + canonicalJson({ agreementId: head.agreementId, count: head.count, lastHash: head.lastHash }));
  });
  digest.update(']');
  return digest.digest('hex');
}

export function signedText(checkpoint: SignedCheckpoint): string {
  return canonicalJson(checkpoint);
}

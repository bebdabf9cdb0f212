import type { EntityManager } from 'typeorm';
import type { CaseKind } from '@app/cases/case-kind';
import { storedCases, type StoredCase } from '@app/cases/stored-cases';

/**
 * Open cases of the given kinds (every kind but the agreement, whose reads are AgreementRepository.watched),
 * each with its unfired timers and its snapshot, for the digest and the calendar. Knows no kind: each is
 * read from the table its module registered.
 */
export async function watchedCases(manager: EntityManager, kinds: readonly CaseKind[]): Promise<StoredCase[]> {
  const all: StoredCase[] = [];
  for (const kind of kinds) all.push(...(await storedCases(manager, kind, { openOnly: true })));
  return all;
}

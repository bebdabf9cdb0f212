import type { EntityManager } from 'typeorm';
import type { PersistedAgreement } from '@workflows/agreement/persistence';
import type { AgreementContext, Economics } from '@workflows/agreement/types';
import { AgreementCostLine } from './agreement-cost-line.entity';
import { AgreementParty } from './agreement-party.entity';

const sameLines = (rows: AgreementCostLine[], economics: Economics | null): boolean =>
  rows.length === (economics?.costLines.length ?? 0) &&
  rows.every((r, i) => r.label === economics?.costLines[i].label && r.amountKr === economics.costLines[i].amountKr);

const termsOf = (context: AgreementContext): string => JSON.stringify([context.terms.parties, context.terms.economics]);

/**
 * The terms tables (each party with its contribution, the cost lines) as projections of the
 * snapshot's context, written by the engine in the transition's transaction whenever the parties or
 * the economics changed (new terms, an amendment taking effect). The context is the one truth; a
 * cost line that did not change keeps its row (and the party the form said bears it).
 */
export async function projectTermsTables(manager: EntityManager, agreementId: string, next: PersistedAgreement, previous: PersistedAgreement | null): Promise<void> {
  if (previous && termsOf(previous.context) === termsOf(next.context)) return;
  const { parties, economics } = next.context.terms;
  const partyRepo = manager.getRepository(AgreementParty);
  await partyRepo.delete({ agreementId });
  if (parties.length > 0) {
    await partyRepo.insert(
      parties.map((p, position) => {
        const contribution = economics?.contributions.find((c) => c.organisationId === p.organisationId);
        return { agreementId, organisationId: p.organisationId, kind: p.kind, position, contributionKr: contribution?.amountKr ?? null, shareBasisPoints: contribution?.shareBasisPoints ?? null };
      }),
    );
  }
  const lineRepo = manager.getRepository(AgreementCostLine);
  const lines = await lineRepo.find({ where: { agreementId }, order: { position: 'ASC' } });
  if (sameLines(lines, economics)) return;
  await lineRepo.delete({ agreementId });
  const bearer = (label: string, position: number) => lines.find((l) => l.position === position && l.label === label)?.organisationId ?? null;
  if (economics && economics.costLines.length > 0) {
    await lineRepo.insert(economics.costLines.map((l, position) => ({ agreementId, position, label: l.label, amountKr: l.amountKr, organisationId: bearer(l.label, position) })));
  }
}

import type { EntityManager } from 'typeorm';
import type { Economics } from '@workflows/agreement/types';
import { AgreementCostLine } from './agreement-cost-line.entity';
import { AgreementParty } from './agreement-party.entity';
import { Agreement } from './agreement.entity';

const sameLines = (rows: AgreementCostLine[], economics: Economics): boolean =>
  rows.length === economics.costLines.length && rows.every((r, i) => r.label === economics.costLines[i].label && r.amountKr === economics.costLines[i].amountKr);

/**
 * Keeps the terms tables (cost lines, each party's contribution) showing the agreement's current
 * economics after an amendment took effect, inside the transition's transaction. The versions
 * before stay in the agreement's terms versions. Lines that did not change keep their rows.
 */
export async function mirrorEconomicsRows(manager: EntityManager, agreementId: string): Promise<void> {
  const agreement = await manager.getRepository(Agreement).findOneBy({ id: agreementId });
  const economics = agreement?.context.terms.economics;
  if (!economics) return;
  const lines = await manager.getRepository(AgreementCostLine).find({ where: { agreementId }, order: { position: 'ASC' } });
  if (!sameLines(lines, economics)) {
    await manager.getRepository(AgreementCostLine).delete({ agreementId });
    if (economics.costLines.length > 0) {
      await manager
        .getRepository(AgreementCostLine)
        .insert(economics.costLines.map((l, position) => ({ agreementId, position, label: l.label, amountKr: l.amountKr, organisationId: null })));
    }
  }
  for (const c of economics.contributions) {
    await manager.getRepository(AgreementParty).update({ agreementId, organisationId: c.organisationId }, { contributionKr: c.amountKr, shareBasisPoints: c.shareBasisPoints });
  }
}

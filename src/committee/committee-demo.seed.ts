import type { DataSource } from 'typeorm';
import { AgreementRepository } from '@app/agreements/agreement.repository';
import { Person } from '@app/organisations/person.entity';
import { DEMO_VISIT, DEMO_VISIT_TEMPLATE } from './demo-visits';
import { VisitsRepository } from './visits.repository';

/** Who wrote the demo's committee papers: the demo secretariat (Karin Ek). */
const DEMO_SECRETARIAT_EMAIL = 'karin.ek@example.se';

/**
 * The committee's part of the demo data, loaded by the demo seeder after the agreements: the visit
 * template of seed 003 and one visit documented on it. Nothing dated after `until` (the demo's
 * "now") is written, as the seeder does with the agreements' stories.
 */
export async function seedCommitteeDemo(dataSource: DataSource, until: Date): Promise<void> {
  const visits = new VisitsRepository(dataSource, new AgreementRepository(dataSource));
  const secretariat = await dataSource.getRepository(Person).findOneBy({ email: DEMO_SECRETARIAT_EMAIL });
  const by = secretariat?.id ?? null;
  const { createdAt, ...template } = DEMO_VISIT_TEMPLATE;
  if (new Date(createdAt) > until) return;
  const saved = await visits.insertTemplate(template, new Date(createdAt), by);
  if (new Date(DEMO_VISIT.documentedAt) > until) return;
  await visits.insertVisit(
    {
      templateId: saved.id,
      visitDate: DEMO_VISIT.visitDate,
      verksamhetsinriktning: saved.verksamhetsinriktning,
      agreementId: null,
      participants: DEMO_VISIT.participants,
      answers: DEMO_VISIT.answers,
    },
    new Date(DEMO_VISIT.documentedAt),
    by,
  );
}

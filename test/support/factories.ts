import type { AccountRole } from '@app/audit/actor';
import type { TestClients } from './test-app';

/**
 * Bromodellen's parties and people, registered through the API by the administrator as on a real
 * installation: the secretariat in kommunen, and one signatory for each party.
 */
export async function createBromodellenParties(t: TestClients) {
  const org = async (name: string, organisationNumber: string, kind: string) =>
    (await t.admin().post('/organisations').send({ name, organisationNumber, kind }).expect(201)).body as { id: string; name: string };
  const kommun = await org('Linköpings kommun', '212000-0449', 'municipality');
  const bilda = await org('Studieförbundet Bilda Sydöst', '817602-0520', 'civil_society');
  const erikshjalpen = await org('Erikshjälpen Linköping', '802011-1913', 'civil_society');
  const person = (name: string, email: string, organisationId: string, roles: AccountRole[]) => createPerson(t, { name, email, organisationId }, roles);
  const secretariat = await person('Nämndsekreterare Nina', 'nina@example.se', kommun.id, ['secretariat']);
  const kommunSignatory = await person('Mikaela Schullström', 'mikaela@example.se', kommun.id, ['signatory']);
  const bildaSignatory = await person('Bilda Firmatecknare', 'bilda@example.se', bilda.id, ['signatory']);
  const ehSignatory = await person('Erikshjälpen Firmatecknare', 'eh@example.se', erikshjalpen.id, ['signatory']);
  return { kommun, bilda, erikshjalpen, secretariat, kommunSignatory, bildaSignatory, ehSignatory };
}

/** A person registered by the administrator, with an account in `roles` (none: no account). */
export async function createPerson(t: TestClients, fields: { name: string; email: string; organisationId: string }, roles: AccountRole[] = []) {
  const created = (await t.admin().post('/people').send(fields).expect(201)).body as { id: string; name: string };
  if (roles.length > 0) await t.admin().put(`/accounts/${created.id}/roles`).send({ roles }).expect(200);
  return created;
}

/**
 * Who sends an event by the rules table: the secretariat, or the signatory of the party the event
 * is for (its organisationId, or declaredBy). Lets a test say what happens, not who may do it.
 */
export function senderOf(p: BromodellenParties, body: { type: string; organisationId?: string; declaredBy?: string }): string {
  const party = body.type === 'DECLARE_TERMINATION' ? body.declaredBy : body.organisationId;
  if (party === undefined || party === 'secretariat') return p.secretariat.id;
  const signatory = ({ [p.kommun.id]: p.kommunSignatory, [p.bilda.id]: p.bildaSignatory, [p.erikshjalpen.id]: p.ehSignatory } as Record<string, { id: string }>)[party];
  if (!signatory) throw new Error(`Ingen firmatecknare för ${party} i Bromodellen`);
  return signatory.id;
}

/** Sends an event as whoever the rules say sends it. */
export function sendEvent(t: TestClients, p: BromodellenParties, agreementId: string, body: Record<string, unknown> & { type: string }) {
  return t.as(senderOf(p, body)).post(`/agreements/${agreementId}/events`).send(body);
}

export type BromodellenParties = Awaited<ReturnType<typeof createBromodellenParties>>;

export function bromodellenBody(p: BromodellenParties, overrides: Record<string, unknown> = {}) {
  return {
    title: 'Bromodellen',
    diarienummer: 'AN 2023-0042',
    committee: 'Arbetsmarknadsnämnden',
    purpose: 'Stärka individer långt från arbetsmarknaden att närma sig egenförsörjning.',
    targetGroup: 'Personer med ekonomiskt bistånd och sammansatta behov.',
    activities: 'Bildande insatser i studiecirkelform kombinerade med arbetsträning.',
    places: 40,
    placeCategory: 'förberedande arbetsträning, delvis självständig → mycket självständig',
    proposedByOrganisationId: p.bilda.id,
    parties: [
      { organisationId: p.kommun.id, contributionKr: 1658160, shareBasisPoints: 7000 },
      { organisationId: p.bilda.id, contributionKr: 592200, shareBasisPoints: 2500 },
      { organisationId: p.erikshjalpen.id, contributionKr: 118440, shareBasisPoints: 500 },
    ],
    validity: { startDate: '2024-01-01', endDate: '2025-12-31' },
    extension: { periodMonths: 24, maxExtensions: 2, decisionNoticeMonths: 3 },
    economics: {
      costLines: [
        { label: 'undervisning, handledning, uppföljning (3 tjänster)', amountKr: 1670400 },
        { label: 'handledarstöd (0,5 tjänst)', amountKr: 278400 },
        { label: 'lokaler', amountKr: 372000 },
        { label: 'utbildningsmaterial', amountKr: 48000 },
      ],
      totalKr: 2368800,
      indexationBasisPoints: 200,
    },
    invoicing: { gln: '7332776000001', organisationNumber: '212000-0449', peppolId: '0007:2120000449', reference: '150Z', marking: 'IOP Bromodellen samt faktureringsperiod' },
    signatoryIds: [p.kommunSignatory.id, p.bildaSignatory.id, p.ehSignatory.id],
    samverkansgruppIds: [p.secretariat.id, p.bildaSignatory.id, p.ehSignatory.id],
    ...overrides,
  };
}

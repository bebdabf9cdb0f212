import type { TestApp } from './test-app';

/** Bromodellen's parties and people, created through the API as a user would. */
export async function createBromodellenParties(t: TestApp) {
  const org = async (name: string, organisationNumber: string, kind: string) =>
    (await t.http().post('/organisations').send({ name, organisationNumber, kind }).expect(201)).body as { id: string; name: string };
  const kommun = await org('Linköpings kommun', '212000-0449', 'municipality');
  const bilda = await org('Studieförbundet Bilda Sydöst', '817602-0520', 'civil_society');
  const erikshjalpen = await org('Erikshjälpen Linköping', '802011-1913', 'civil_society');
  const person = async (name: string, email: string, organisationId: string) =>
    (await t.http().post('/people').send({ name, email, organisationId }).expect(201)).body as { id: string };
  const secretariat = await person('Nämndsekreterare Nina', 'nina@example.se', kommun.id);
  const kommunSignatory = await person('Mikaela Schullström', 'mikaela@example.se', kommun.id);
  const bildaSignatory = await person('Bilda Firmatecknare', 'bilda@example.se', bilda.id);
  const ehSignatory = await person('Erikshjälpen Firmatecknare', 'eh@example.se', erikshjalpen.id);
  return { kommun, bilda, erikshjalpen, secretariat, kommunSignatory, bildaSignatory, ehSignatory };
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

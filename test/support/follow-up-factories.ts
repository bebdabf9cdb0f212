import { bromodellenBody, type BromodellenParties } from './factories';

/** Hoppfull framtid's follow-up clause: the samverkansgrupp meets at least once a year, a written report by 31 March. */
export const FOLLOW_UP_DUTIES = { meetingsPerYear: 1, yearlyReport: { dueMonth: 3, dueDay: 31 } };

/** A samverkansgrupp meeting as the secretariat records it. */
export function meetingBody(heldOn: string, overrides: Record<string, unknown> = {}) {
  return { heldOn, participants: [{ name: 'Anna Berg, Integrations- och arbetsmarknadsförvaltningen' }, { name: 'Bo Ek, Bilda' }], notes: 'Genomgång av årets verksamhet.', ...overrides };
}

/** A yearly report with aggregate figures only, as the partner hands it in. */
export function reportBody(year: number, organisationId: string, overrides: Record<string, unknown> = {}) {
  return {
    year,
    organisationId,
    text: `Verksamheten under ${year}: studiecirklar och arbetsträning enligt plan.`,
    participantsCount: 64,
    gaProgressCount: 23,
    outcomes: { work: 9, studies: 6, otherActivity: 14, noChange: 11 },
    placesUsed: 38,
    ...overrides,
  };
}

/**
 * Bromodellen's economics amended from `year`: a fourth service at Bilda (invented figures),
 * 2 829 600 kr a year, the kommun 70 %, Bilda 25 %, Erikshjälpen 5 %.
 */
export function amendmentBody(p: BromodellenParties, effectiveFromYear: number, overrides: Record<string, unknown> = {}) {
  const signed = bromodellenBody(p);
  const totalKr = 2829600;
  return {
    effectiveFromYear,
    reason: 'Bilda utökar med en fjärde tjänst.',
    economics: {
      ...signed.economics,
      costLines: [{ label: 'undervisning, handledning, uppföljning (4 tjänster)', amountKr: 2131200 }, ...signed.economics.costLines.slice(1)],
      totalKr,
    },
    // The shares stay 70 / 25 / 5 %, and divide the new total exactly.
    contributions: signed.parties.map((party) => ({ organisationId: party.organisationId, contributionKr: (totalKr * party.shareBasisPoints) / 10000, shareBasisPoints: party.shareBasisPoints })),
    ...overrides,
  };
}

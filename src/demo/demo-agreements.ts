import type { CalendarDate } from '../../workflows/calendar/calendar';
import { apportionKronor, sharesInBasisPoints } from '../../workflows/agreement/economics';
import { startAgreement, type PersistedAgreement } from '../../workflows/agreement/persistence';
import {
  DEFAULT_EXTENSION_TERMS,
  type AgreementTerms,
  type CostLine,
  type Economics,
  type ExtensionTerms,
  type Party,
  type PartyKind,
} from '../../workflows/agreement/types';
import type { StoryStep } from './replay';

/**
 * Demo data from the seeds (000 Bromodellen 2024, 001 Hoppfull framtid,
 * 002 the committee's follow-up of 2021). Plain data: the seeder maps the keys
 * to database ids. Whatever the seeds do not give is invented and marked
 * "fiktivt"/"fiktiv"; e-mail addresses are all @example.se.
 */

/** The date the demo is set up to look right on. */
export const DEMO_TODAY: CalendarDate = '2026-11-23';

export type DemoRole = 'secretariat' | 'signatory' | 'samverkansgrupp' | 'member' | 'auditor' | 'administrator';

export interface DemoOrganisation {
  key: string;
  name: string;
  organisationNumber: string;
  kind: PartyKind;
  /** True when the number is made up (passes the Luhn check, but is not from the seeds). */
  organisationNumberIsFictional: boolean;
}

export interface DemoPerson {
  key: string;
  name: string;
  email: string;
  organisationKey: string;
  roles: DemoRole[];
  title: string | null;
  /** False only for the names the seeds give; their e-mail addresses are still made up. */
  fictional: boolean;
}

export interface DemoInvoicing {
  gln: string | null;
  organisationNumber: string;
  peppolId: string | null;
  reference: string | null;
  /** Text the invoice must carry, followed by the invoiced period (see invoiceMarking). */
  marking: string | null;
  /** Account coding the invoice must carry besides the marking. */
  coding: string | null;
  address: string | null;
}

export interface DemoCommittee {
  name: string;
  /** The committee's (the municipality's) cost per year, whole kronor. */
  costPerYearKr: number;
  /** Other municipal committees that co-fund the agreement. */
  alsoFundedBy: string[];
}

export interface DemoAgreement {
  key: string;
  title: string;
  diarienummer: string;
  purpose: string;
  targetGroup: string;
  activities: string[];
  /** Helårsplatser, where the seeds give them. */
  places: number | null;
  placeCategory: string | null;
  committee: DemoCommittee;
  invoicing: DemoInvoicing;
  /** Who proposed the partnership, for startAgreement. */
  initiative: { organisationKey: string; by: string; on: CalendarDate };
  /** organisationId in the terms and the story is an organisation key. */
  terms: AgreementTerms;
  /** Person keys per organisation key. */
  signatories: Record<string, string[]>;
  samverkansgrupp: string[];
  story: StoryStep[];
  /** The seeds the agreement comes from. */
  sources: string[];
}

export const DEMO_ORGANISATIONS: DemoOrganisation[] = [
  { key: 'kommun', name: 'Linköpings kommun', organisationNumber: '212000-0449', kind: 'municipality', organisationNumberIsFictional: false },
  // fiktivt organisationsnummer
  { key: 'bilda', name: 'Studieförbundet Bilda Sydöst', organisationNumber: '802477-3510', kind: 'civil_society', organisationNumberIsFictional: true },
  // fiktivt organisationsnummer
  { key: 'erikshjalpen', name: 'Erikshjälpen', organisationNumber: '802418-6200', kind: 'civil_society', organisationNumberIsFictional: true },
  { key: 'stadsmissionen', name: 'Linköpings Stadsmission', organisationNumber: '822001-0022', kind: 'civil_society', organisationNumberIsFictional: false },
  // fiktivt organisationsnummer
  { key: 'rodakorset', name: 'Svenska Röda Korset', organisationNumber: '802491-7349', kind: 'civil_society', organisationNumberIsFictional: true },
  // fiktivt organisationsnummer
  { key: 'ikf', name: 'Internationella Kvinnoföreningen', organisationNumber: '802466-2895', kind: 'civil_society', organisationNumberIsFictional: true },
];

const person = (
  key: string,
  name: string,
  organisationKey: string,
  roles: DemoRole[],
  title: string | null = null,
  fictional = true,
): DemoPerson => {
  const local = name
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/\s+/g, '.');
  return { key, name, email: `${local}@example.se`, organisationKey, roles, title, fictional };
};

export const DEMO_PEOPLE: DemoPerson[] = [
  // Seed 000 (2024) and 002 (2022): förvaltningsdirektör, signs for the kommun from 2019 on in the demo.
  person('kommun.schullstrom', 'Mikaela Schullström', 'kommun', ['signatory'], 'förvaltningsdirektör', false),
  // Seed 001: signed Hoppfull framtid for the kommun in 2017.
  person('kommun.paulsson', 'Helena Paulsson', 'kommun', ['signatory'], null, false),
  // fiktiva
  person('kommun.sekretariat', 'Karin Ek', 'kommun', ['secretariat'], 'nämndsekreterare'),
  person('kommun.samverkan', 'Johan Berg', 'kommun', ['samverkansgrupp'], 'arbetsmarknadskonsulent'),
  person('kommun.admin', 'Lena Holm', 'kommun', ['administrator'], 'systemförvaltare'),
  person('kommun.revisor', 'Per Nyström', 'kommun', ['auditor'], 'revisor'),
  person('bilda.firmatecknare', 'Maria Lund', 'bilda', ['signatory', 'member'], 'regionchef'),
  person('bilda.samverkan', 'Ahmed Rahimi', 'bilda', ['samverkansgrupp', 'member'], 'verksamhetsutvecklare'),
  person('erikshjalpen.firmatecknare', 'Sofia Wiklund', 'erikshjalpen', ['signatory', 'member'], 'butikschef'),
  person('erikshjalpen.samverkan', 'Daniel Ström', 'erikshjalpen', ['samverkansgrupp', 'member'], 'arbetsledare'),
  // Seed 001: signed Hoppfull framtid for Stadsmissionen.
  person('stadsmissionen.detlefsen', 'Sanna Detlefsen', 'stadsmissionen', ['signatory', 'member'], null, false),
  // fiktiva
  person('stadsmissionen.samverkan', 'Elin Sandberg', 'stadsmissionen', ['samverkansgrupp', 'member'], 'verksamhetsledare'),
  person('rodakorset.firmatecknare', 'Anders Falk', 'rodakorset', ['signatory', 'member'], 'kretsordförande'),
  person('rodakorset.samverkan', 'Fatima Hassan', 'rodakorset', ['samverkansgrupp', 'member'], 'samordnare'),
  person('ikf.firmatecknare', 'Nadia Osman', 'ikf', ['signatory', 'member'], 'ordförande'),
  person('ikf.samverkan', 'Leyla Karimi', 'ikf', ['samverkansgrupp', 'member'], 'samordnare'),
];

function partyOf(organisationKey: string): Party {
  const organisation = DEMO_ORGANISATIONS.find((o) => o.key === organisationKey);
  if (!organisation) throw new Error(`Okänd demoorganisation: ${organisationKey}`);
  return { organisationId: organisation.key, name: organisation.name, kind: organisation.kind };
}

/** Shares by largest remainder, so they sum to exactly 100 %. */
function economicsOf(costLines: CostLine[], contributions: Array<[string, number]>, indexationBasisPoints: number): Economics {
  const shares = sharesInBasisPoints(contributions.map(([, amountKr]) => amountKr));
  return {
    costLines,
    totalKr: costLines.reduce((sum, line) => sum + line.amountKr, 0),
    contributions: contributions.map(([organisationId, amountKr], i) => ({ organisationId, amountKr, shareBasisPoints: shares[i] })),
    indexationBasisPoints,
  };
}

/** The seed-002 agreements give only the yearly value; one line keeps the terms complete. */
const valueLine = (amountKr: number): CostLine[] => [{ label: 'Beräknat värde per år (nämndens uppföljning 2021)', amountKr }];

const TWO_TIMES_TWO_YEARS: ExtensionTerms = { ...DEFAULT_EXTENSION_TERMS, periodMonths: 24, maxExtensions: 2 };

/** Invoice marking for a period, e.g. "IOP Bromodellen, helår 2024". */
export function invoiceMarking(invoicing: DemoInvoicing, period: string): string | null {
  return invoicing.marking === null ? null : `${invoicing.marking}, ${period}`;
}

const LINKOPING_INVOICING_BROMODELLEN: DemoInvoicing = {
  gln: '7332776000001',
  organisationNumber: '212000-0449',
  peppolId: '0007:2120000449',
  reference: '150Z',
  marking: 'IOP Bromodellen',
  coding: 'ID 150010, AKTIVITET: 450211',
  address: 'Linköpings kommun, Integration- och arbetsmarknadsförvaltningen, Skanningcentralen 150Z, 581 81 Linköping',
};

/** Only the organisationsnummer is known for the seed-002 agreements. */
const INVOICING_UNKNOWN: DemoInvoicing = {
  gln: null,
  organisationNumber: '212000-0449',
  peppolId: null,
  reference: null,
  marking: null,
  coding: null,
  address: null,
};

const SECRETARIAT = 'kommun.sekretariat';
const KOMMUN_2019_ON = 'kommun.schullstrom';

// --- Seed 000 ---------------------------------------------------------------

const bromodellen2024: DemoAgreement = {
  key: 'bromodellen-2024',
  title: 'Bromodellen 2024',
  diarienummer: 'AN 2023-00187', // fiktivt
  purpose:
    'Stötta personer i målgruppen att närma sig arbetsmarknaden och på sikt bli självförsörjande, och bygga samsyn mellan parterna: ' +
    'ett gemensamt språk om målen, en miljö som bygger tillit, helhetssyn med individen i centrum och gemensamma sätt att mäta progression.',
  targetGroup:
    'Personer aktuella för arbetsmarknadsnämndens insatser som står långt från arbetsmarknaden och behöver sammansatta insatser. ' +
    'Många har komplex ohälsa, begränsade kunskaper i svenska och låg tilltro till myndigheter, och behöver ett relationsskapande bemötande i en trygg och kontinuerlig miljö.',
  activities: [
    'Bildande insatser i studiecirkelform hos Bilda, med fritt och frivilligt deltagande',
    'Arbetsträning i arbetslik miljö hos Erikshjälpen: butik, café, administration och lager',
    'Anvisning i mån av plats genom koordinator på integrations- och arbetsmarknadsförvaltningen, som bedömer behov och tid i insatsen',
    'Uppföljning av närvaro (Bilda och Erikshjälpen) och löpande dialog om deltagarnas progression',
    'Samverkansgrupp med representanter för varje part, sammankallad av förvaltningen',
  ],
  places: 40,
  placeCategory: 'förberedande arbetsträning, delvis självständig → mycket självständig',
  committee: { name: 'Arbetsmarknadsnämnden', costPerYearKr: 1_658_160, alsoFundedBy: [] },
  invoicing: LINKOPING_INVOICING_BROMODELLEN,
  initiative: { organisationKey: 'bilda', by: 'bilda.samverkan', on: '2023-03-14' },
  terms: {
    parties: [partyOf('kommun'), partyOf('bilda'), partyOf('erikshjalpen')],
    validity: { startDate: '2024-01-01', endDate: '2025-12-31' },
    extension: TWO_TIMES_TWO_YEARS,
    economics: economicsOf(
      [
        { label: 'Undervisning, handledning, uppföljning (3 tjänster)', amountKr: 1_670_400 },
        { label: 'Handledarstöd (0,5 tjänst)', amountKr: 278_400 },
        { label: 'Lokaler', amountKr: 372_000 },
        { label: 'Utbildningsmaterial', amountKr: 48_000 },
      ],
      [
        ['kommun', 1_658_160],
        ['bilda', 592_200],
        ['erikshjalpen', 118_440],
      ],
      200,
    ),
  },
  signatories: { kommun: [KOMMUN_2019_ON], bilda: ['bilda.firmatecknare'], erikshjalpen: ['erikshjalpen.firmatecknare'] },
  samverkansgrupp: ['kommun.samverkan', 'bilda.samverkan', 'erikshjalpen.samverkan'],
  story: [
    { on: '2023-04-04', event: { type: 'ACCEPT_INITIATIVE' }, by: SECRETARIAT },
    { on: '2023-09-19', event: { type: 'SEND_FOR_SIGNING' }, by: SECRETARIAT },
    { on: '2023-10-03', event: { type: 'SIGN', organisationId: 'bilda' }, by: 'bilda.firmatecknare' },
    { on: '2023-10-10', event: { type: 'SIGN', organisationId: 'erikshjalpen' }, by: 'erikshjalpen.firmatecknare' },
    { on: '2023-10-24', event: { type: 'SIGN', organisationId: 'kommun' }, by: KOMMUN_2019_ON },
    // 2024-01-01 active; 2025-03-31 the first extension decision opens (due 2025-09-30).
    { on: '2025-04-23', event: { type: 'CONSENT_TO_EXTENSION', organisationId: 'bilda' }, by: 'bilda.firmatecknare' },
    { on: '2025-05-07', event: { type: 'CONSENT_TO_EXTENSION', organisationId: 'erikshjalpen' }, by: 'erikshjalpen.firmatecknare' },
    { on: '2025-06-12', event: { type: 'CONSENT_TO_EXTENSION', organisationId: 'kommun' }, by: KOMMUN_2019_ON },
    // Renewed to 2027-12-31; active again 2026-01-01.
  ],
  sources: ['000'],
};

// --- Seed 001 ---------------------------------------------------------------

const hoppfullFramtid: DemoAgreement = {
  key: 'hoppfull-framtid',
  title: 'Hoppfull framtid',
  diarienummer: 'AN 2017-00412', // fiktivt
  purpose:
    'Stödja personer som är isolerade för att de inte kan omsätta sina kunskaper och sin kompetens i egen försörjning, så att de bryter utanförskapet, ' +
    'blir mer anställningsbara och närmar sig arbetsmarknaden, och stärka samspelet mellan offentlig och idéburen sektor för ett långsiktigt hållbart Linköping.',
  targetGroup:
    'Kommuninvånare långt från arbetsmarknaden, ofta utan fullgjord skolgång och med eller i risk för ekonomiskt bistånd, från socioekonomiskt utsatta områden, ' +
    'med en bedömd arbetsförmåga om minst 10 timmar i veckan. Många lever med psykisk ohälsa som behöver mötas för att de ska kunna lära och utvecklas.',
  activities: [
    'Kontinuerligt intag; 40–80 deltagare per kalenderår',
    'Kompetensinventering och kontakt med arbetsplatser inom bristyrken och lågtröskelyrken, med yrkesinriktad språkträning',
    'Coachning och handledande samtal; individuella utvecklingsplaner med regelbunden uppföljning',
    'Progression mäts med GA-modellen (grundläggande anställningsbarhet)',
    'Arbetsmarknadspolitiska anställningar i Stadsmissionens verksamheter som utvecklingssteg',
    'Uppföljningsmöte minst en gång per år och skriftlig årsrapport till arbetsmarknadsnämnden',
  ],
  places: 40, // seed 002: 40 helårsplatser
  placeCategory: 'delvis självständig → mycket självständig',
  committee: { name: 'Arbetsmarknadsnämnden', costPerYearKr: 1_100_000, alsoFundedBy: [] },
  invoicing: {
    gln: null,
    organisationNumber: '212000-0449',
    peppolId: null,
    reference: '385-612',
    marking: null,
    coding: null,
    address: 'Linköpings kommun, Scanningscentralen 123 E, 581 81 Linköping',
  },
  initiative: { organisationKey: 'stadsmissionen', by: 'stadsmissionen.samverkan', on: '2017-05-22' },
  terms: {
    parties: [partyOf('kommun'), partyOf('stadsmissionen')],
    validity: { startDate: '2018-01-01', endDate: '2019-12-31' },
    // "två år i taget, högst två gånger"; the notice period is not in the seed, the default three months is used.
    extension: TWO_TIMES_TWO_YEARS,
    economics: economicsOf(
      [
        { label: 'Linköpings kommun: heltidstjänst 1 handläggarstöd inkl. sociala avgifter och semesterersättning', amountKr: 550_000 },
        { label: 'Linköpings kommun: heltidstjänst 2 handläggarstöd inkl. sociala avgifter och semesterersättning', amountKr: 550_000 },
        { label: 'Stadsmissionen: yrkescoachning (5 yrkescoacher) och verksamhetsledare', amountKr: 649_500 },
        { label: 'Stadsmissionen: utbildningslokal', amountKr: 120_000 },
        { label: 'Stadsmissionen: teknik, utbildning och utbildningsmaterial', amountKr: 70_000 },
        { label: 'Stadsmissionen: volontärsinsats, mentorskap för deltagarna', amountKr: 141_000 },
      ],
      [
        ['kommun', 1_100_000],
        ['stadsmissionen', 980_500],
      ],
      0, // the seed has no indexation clause
    ),
  },
  signatories: { kommun: ['kommun.paulsson', KOMMUN_2019_ON], stadsmissionen: ['stadsmissionen.detlefsen'] },
  samverkansgrupp: ['kommun.samverkan', 'stadsmissionen.samverkan'],
  story: [
    { on: '2017-06-07', event: { type: 'ACCEPT_INITIATIVE' }, by: SECRETARIAT },
    { on: '2017-11-20', event: { type: 'SEND_FOR_SIGNING' }, by: SECRETARIAT },
    { on: '2017-11-28', event: { type: 'SIGN', organisationId: 'stadsmissionen' }, by: 'stadsmissionen.detlefsen' },
    { on: '2017-12-05', event: { type: 'SIGN', organisationId: 'kommun' }, by: 'kommun.paulsson' },
    // 2018-01-01 active; first decision opens 2019-03-31 (due 2019-09-30).
    { on: '2019-04-16', event: { type: 'CONSENT_TO_EXTENSION', organisationId: 'stadsmissionen' }, by: 'stadsmissionen.detlefsen' },
    { on: '2019-05-21', event: { type: 'CONSENT_TO_EXTENSION', organisationId: 'kommun' }, by: 'kommun.paulsson' },
    // Renewed to 2021-12-31; second decision opens 2021-03-31.
    { on: '2021-04-13', event: { type: 'CONSENT_TO_EXTENSION', organisationId: 'stadsmissionen' }, by: 'stadsmissionen.detlefsen' },
    { on: '2021-05-25', event: { type: 'CONSENT_TO_EXTENSION', organisationId: 'kommun' }, by: KOMMUN_2019_ON },
    // Renewed to 2023-12-31 with both extensions used; expired 2024-01-01.
  ],
  sources: ['001', '002'],
};

// --- Seed 002: the committee's overview -------------------------------------
// Only the yearly value, the committee's cost and the end date are given. The civil-society
// side contributes the difference; start dates, extension terms and the stories are invented.

const bromodellen2020: DemoAgreement = {
  key: 'bromodellen-2020',
  title: 'Bromodellen (till 2023)',
  diarienummer: 'AN 2019-00233', // fiktivt
  purpose: 'Arbetslik aktivitet och kompletterande insatser för personer långt från arbetsmarknaden.',
  targetGroup: 'Personer som behöver förberedande arbetsträning för att på sikt bli självständiga i en arbetslik situation.',
  activities: ['Arbetslik aktivitet hos Erikshjälpen', 'Kompletterande bildande insatser hos Bilda, under 2021 delvis på distans'],
  places: 40,
  placeCategory: 'förberedande arbetsträning, delvis självständig → mycket självständig',
  committee: { name: 'Arbetsmarknadsnämnden', costPerYearKr: 1_150_000, alsoFundedBy: [] },
  invoicing: { ...INVOICING_UNKNOWN },
  initiative: { organisationKey: 'bilda', by: 'bilda.samverkan', on: '2019-04-08' },
  terms: {
    parties: [partyOf('kommun'), partyOf('bilda'), partyOf('erikshjalpen')],
    // fiktivt: two years from 2020 and one two-year extension reach the seed's end date 2023-12-31.
    validity: { startDate: '2020-01-01', endDate: '2021-12-31' },
    extension: { ...TWO_TIMES_TWO_YEARS, maxExtensions: 1 },
    economics: economicsOf(
      valueLine(1_791_200),
      (() => {
        // The seed does not split the 641 200 kr between Bilda and Erikshjälpen: split as in 2024 (25 : 5).
        const [bilda, erikshjalpen] = apportionKronor(1_791_200 - 1_150_000, [592_200, 118_440]);
        return [
          ['kommun', 1_150_000],
          ['bilda', bilda],
          ['erikshjalpen', erikshjalpen],
        ] as Array<[string, number]>;
      })(),
      0,
    ),
  },
  signatories: { kommun: [KOMMUN_2019_ON], bilda: ['bilda.firmatecknare'], erikshjalpen: ['erikshjalpen.firmatecknare'] },
  samverkansgrupp: ['kommun.samverkan', 'bilda.samverkan', 'erikshjalpen.samverkan'],
  story: [
    { on: '2019-04-24', event: { type: 'ACCEPT_INITIATIVE' }, by: SECRETARIAT },
    { on: '2019-10-07', event: { type: 'SEND_FOR_SIGNING' }, by: SECRETARIAT },
    { on: '2019-10-15', event: { type: 'SIGN', organisationId: 'bilda' }, by: 'bilda.firmatecknare' },
    { on: '2019-10-22', event: { type: 'SIGN', organisationId: 'erikshjalpen' }, by: 'erikshjalpen.firmatecknare' },
    { on: '2019-11-05', event: { type: 'SIGN', organisationId: 'kommun' }, by: KOMMUN_2019_ON },
    { on: '2021-04-13', event: { type: 'CONSENT_TO_EXTENSION', organisationId: 'erikshjalpen' }, by: 'erikshjalpen.firmatecknare' },
    { on: '2021-04-27', event: { type: 'CONSENT_TO_EXTENSION', organisationId: 'bilda' }, by: 'bilda.firmatecknare' },
    { on: '2021-05-11', event: { type: 'CONSENT_TO_EXTENSION', organisationId: 'kommun' }, by: KOMMUN_2019_ON },
    // Renewed to 2023-12-31, the last extension; expired 2024-01-01 and followed by Bromodellen 2024.
  ],
  sources: ['002'],
};

const viSes: DemoAgreement = {
  key: 'vi-ses',
  title: 'Vi Ses!',
  diarienummer: 'AN 2021-00305', // fiktivt
  purpose: 'Stärka svenska språket, främja kunskap om den lokala arbetsmarknaden och bidra till inkluderande arbetsplatser.',
  targetGroup: 'Individer i behov av språkträning, i samverkan med det privata näringslivet och Linköpings kommun.',
  activities: [
    'Språkträning för deltagare i behov av det',
    'Kunskap om den lokala arbetsmarknaden',
    'Samverkan med arbetsgivare för inkluderande arbetsplatser',
  ],
  places: null,
  placeCategory: null,
  committee: { name: 'Arbetsmarknadsnämnden', costPerYearKr: 600_000, alsoFundedBy: [] },
  invoicing: { ...INVOICING_UNKNOWN },
  initiative: { organisationKey: 'rodakorset', by: 'rodakorset.samverkan', on: '2021-05-10' },
  terms: {
    parties: [partyOf('kommun'), partyOf('rodakorset')],
    // Seed 002: a new agreement for 2022-01-01 – 2023-12-31 after Språkvänner; modelled as a fixed period (fiktivt).
    validity: { startDate: '2022-01-01', endDate: '2023-12-31' },
    extension: { ...TWO_TIMES_TWO_YEARS, maxExtensions: 0 },
    economics: economicsOf(
      valueLine(1_156_000),
      [
        ['kommun', 600_000],
        ['rodakorset', 556_000],
      ],
      0,
    ),
  },
  signatories: { kommun: [KOMMUN_2019_ON], rodakorset: ['rodakorset.firmatecknare'] },
  samverkansgrupp: ['kommun.samverkan', 'rodakorset.samverkan'],
  story: [
    { on: '2021-05-26', event: { type: 'ACCEPT_INITIATIVE' }, by: SECRETARIAT },
    { on: '2021-10-18', event: { type: 'SEND_FOR_SIGNING' }, by: SECRETARIAT },
    { on: '2021-11-02', event: { type: 'SIGN', organisationId: 'rodakorset' }, by: 'rodakorset.firmatecknare' },
    { on: '2021-11-16', event: { type: 'SIGN', organisationId: 'kommun' }, by: KOMMUN_2019_ON },
    // 2022-01-01 active; no extension possible; expired 2024-01-01.
  ],
  sources: ['002'],
};

const kompletterandeSpraktraning: DemoAgreement = {
  key: 'kompletterande-spraktraning',
  title: 'Kompletterande språkträning',
  diarienummer: 'AN 2019-00361', // fiktivt
  purpose: 'Underlätta återgången till SFI.',
  targetGroup: 'Personer som på grund av föräldraledighet inte kan delta i SFI.',
  activities: [
    'Språkträning i grupp i Berga, Ryd och Skäggetorp',
    'Digitala lektioner två gånger i veckan',
    'Hälsotips och uppmuntran i samtal med deltagarna',
  ],
  places: 48,
  placeCategory: null,
  // Bildningsnämnden is a committee of the same legal person (212000-0449), so it is no separate
  // party; the seed does not give its share, so the kommun's contribution is the AN cost only.
  committee: { name: 'Arbetsmarknadsnämnden', costPerYearKr: 295_000, alsoFundedBy: ['Bildningsnämnden'] },
  invoicing: { ...INVOICING_UNKNOWN },
  initiative: { organisationKey: 'bilda', by: 'bilda.samverkan', on: '2019-08-20' },
  terms: {
    parties: [partyOf('kommun'), partyOf('bilda')],
    // fiktivt: two years from 2020 and one extension reach the seed's end date 2023-12-31.
    validity: { startDate: '2020-01-01', endDate: '2021-12-31' },
    extension: { ...TWO_TIMES_TWO_YEARS, maxExtensions: 1 },
    economics: economicsOf(
      valueLine(897_626),
      [
        ['kommun', 295_000],
        ['bilda', 602_626],
      ],
      0,
    ),
  },
  signatories: { kommun: [KOMMUN_2019_ON], bilda: ['bilda.firmatecknare'] },
  samverkansgrupp: ['kommun.samverkan', 'bilda.samverkan'],
  story: [
    { on: '2019-09-05', event: { type: 'ACCEPT_INITIATIVE' }, by: SECRETARIAT },
    { on: '2019-11-11', event: { type: 'SEND_FOR_SIGNING' }, by: SECRETARIAT },
    { on: '2019-11-19', event: { type: 'SIGN', organisationId: 'bilda' }, by: 'bilda.firmatecknare' },
    { on: '2019-12-03', event: { type: 'SIGN', organisationId: 'kommun' }, by: KOMMUN_2019_ON },
    { on: '2021-04-20', event: { type: 'CONSENT_TO_EXTENSION', organisationId: 'bilda' }, by: 'bilda.firmatecknare' },
    { on: '2021-05-18', event: { type: 'CONSENT_TO_EXTENSION', organisationId: 'kommun' }, by: KOMMUN_2019_ON },
    // Renewed to 2023-12-31, the last extension; expired 2024-01-01.
  ],
  sources: ['002'],
};

const inkluderingPaLikaVillkor: DemoAgreement = {
  key: 'inkludering-pa-lika-villkor',
  title: 'Inkludering på lika villkor',
  diarienummer: 'AN 2020-00278', // fiktivt
  purpose: 'En schemalagd aktivitet utanför hemmet med hälsa, språk och samhällskunskap.',
  targetGroup: 'Personer som behöver förberedande arbetsträning.',
  activities: [
    'Gruppaktiviteter en till fyra gånger i veckan: språk, samhällsinformation och musik',
    'Handledarledd språkpraktik via föreningen',
    'Gympa',
    'Stöd av familjepedagog',
  ],
  places: null,
  placeCategory: 'förberedande arbetsträning',
  committee: { name: 'Arbetsmarknadsnämnden', costPerYearKr: 230_000, alsoFundedBy: [] },
  invoicing: { ...INVOICING_UNKNOWN },
  initiative: { organisationKey: 'ikf', by: 'ikf.samverkan', on: '2020-06-15' },
  terms: {
    parties: [partyOf('kommun'), partyOf('ikf')],
    // fiktivt: two years ending on the seed's end date 2022-12-31.
    validity: { startDate: '2021-01-01', endDate: '2022-12-31' },
    extension: TWO_TIMES_TWO_YEARS,
    economics: economicsOf(
      valueLine(454_000),
      [
        ['kommun', 230_000],
        ['ikf', 224_000],
      ],
      0,
    ),
  },
  signatories: { kommun: [KOMMUN_2019_ON], ikf: ['ikf.firmatecknare'] },
  samverkansgrupp: ['kommun.samverkan', 'ikf.samverkan'],
  story: [
    { on: '2020-06-30', event: { type: 'ACCEPT_INITIATIVE' }, by: SECRETARIAT },
    { on: '2020-11-09', event: { type: 'SEND_FOR_SIGNING' }, by: SECRETARIAT },
    { on: '2020-11-17', event: { type: 'SIGN', organisationId: 'ikf' }, by: 'ikf.firmatecknare' },
    { on: '2020-12-01', event: { type: 'SIGN', organisationId: 'kommun' }, by: KOMMUN_2019_ON },
    // 2021-01-01 active; the decision opens 2022-03-31 (due 2022-09-30).
    { on: '2022-04-11', event: { type: 'CONSENT_TO_EXTENSION', organisationId: 'ikf' }, by: 'ikf.firmatecknare' },
    {
      on: '2022-06-14',
      event: {
        type: 'REFUSE_EXTENSION',
        organisationId: 'kommun',
        reason: 'Arbetsmarknadsnämnden har inte medel för att fortsätta finansieringen 2023.', // fiktivt
      },
      by: KOMMUN_2019_ON,
    },
    // Extension refused; expired 2023-01-01.
  ],
  sources: ['002'],
};

export const DEMO_AGREEMENTS: DemoAgreement[] = [
  bromodellen2024,
  hoppfullFramtid,
  bromodellen2020,
  viSes,
  kompletterandeSpraktraning,
  inkluderingPaLikaVillkor,
];

/** The agreement as its initiative was registered: the story's starting point. */
export function demoAgreementStart(agreement: DemoAgreement, agreementId: string = agreement.key): PersistedAgreement {
  return startAgreement({
    agreementId,
    proposedBy: agreement.initiative.organisationKey,
    proposedOn: agreement.initiative.on,
    terms: agreement.terms,
  });
}

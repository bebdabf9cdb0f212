import { addDays, type CalendarDate } from '../../workflows/calendar/calendar';
import { apportionKronor, sharesInBasisPoints } from '../../workflows/agreement/economics';
import { startAgreement, type PersistedAgreement } from '../../workflows/agreement/persistence';
import {
  DEFAULT_EXTENSION_TERMS,
  type AgreementTerms,
  type CostLine,
  type Economics,
  type ExtensionTerms,
  type FollowUpDuties,
  type Party,
  type PartyKind,
} from '../../workflows/agreement/types';
import { DEMO_FOLLOW_UP_2021, type DemoYearlyReport } from './demo-follow-up-2021';
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
  /** What the follow-up steps of the story record: the meetings and the yearly reports. */
  followUp?: DemoFollowUp;
  /** The seeds the agreement comes from. */
  sources: string[];
}

/** A samverkansgrupp meeting, recorded by the secretariat a few days after it was held. */
export interface DemoMeeting {
  heldOn: CalendarDate;
  /** Person keys of those who took part. */
  participants: string[];
  notes: string;
}

export interface DemoFollowUp {
  meetings: DemoMeeting[];
  reports: DemoYearlyReport[];
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

/** "Minst en gång per år träffas" and "en gång per år rapportera skriftligt", on the date agreed: 31 March (fiktivt datum). */
const MEETING_AND_YEARLY_REPORT: FollowUpDuties = { meetingsPerYear: 1, yearlyReport: { dueMonth: 3, dueDay: 31 } };

/** The secretariat records a meeting two days after it was held. */
const MEETING_RECORDED_AFTER_DAYS = 2;

/** The story steps that record the follow-up: meetings by the secretariat, reports by whoever handed them in. */
function followUpSteps(followUp: DemoFollowUp): StoryStep[] {
  return [
    ...followUp.meetings.map((m): StoryStep => ({ on: addDays(m.heldOn, MEETING_RECORDED_AFTER_DAYS), event: { type: 'RECORD_FOLLOW_UP_MEETING', heldOn: m.heldOn }, by: SECRETARIAT })),
    ...followUp.reports.map((r): StoryStep => ({ on: r.receivedOn, event: { type: 'SUBMIT_YEARLY_REPORT', year: r.year, organisationId: r.organisationKey }, by: r.submittedBy })),
  ];
}

/** The lifecycle story with the follow-up recorded in it, in date order (a lifecycle step first on the same day). */
function withFollowUp(story: StoryStep[], followUp: DemoFollowUp): StoryStep[] {
  return [...story, ...followUpSteps(followUp)].sort((a, b) => (a.on < b.on ? -1 : a.on > b.on ? 1 : 0));
}

/** What a follow-up step of the story records, for the seeder to hand to the follow-up module. */
export function followUpRecordOf(agreement: DemoAgreement, step: StoryStep): { meeting: DemoMeeting } | { report: DemoYearlyReport } | null {
  const event = step.event;
  if (event.type === 'RECORD_FOLLOW_UP_MEETING') {
    const meeting = agreement.followUp?.meetings.find((m) => m.heldOn === event.heldOn);
    return meeting ? { meeting } : null;
  }
  if (event.type === 'SUBMIT_YEARLY_REPORT') {
    const report = agreement.followUp?.reports.find((r) => r.year === event.year);
    return report ? { report } : null;
  }
  return null;
}

const report = (
  agreementKey: string,
  year: number,
  organisationKey: string,
  submittedBy: string,
  receivedOn: CalendarDate,
  text: string,
  figures: [participants: number, gaProgress: number, work: number, studies: number, otherActivity: number, noChange: number, placesUsed: number],
): DemoYearlyReport => {
  const [participantsCount, gaProgressCount, work, studies, otherActivity, noChange, placesUsed] = figures;
  return { agreementKey, year, organisationKey, submittedBy, receivedOn, text, participantsCount, gaProgressCount, outcomes: { work, studies, otherActivity, noChange }, placesUsed, placesAgreed: null };
};

const reportOf2021 = (agreementKey: string): DemoYearlyReport => {
  const found = DEMO_FOLLOW_UP_2021.find((r) => r.agreementKey === agreementKey && r.year === 2021);
  if (!found) throw new Error(`Ingen årsrapport 2021 för ${agreementKey}`);
  return found;
};

// fiktiva möten och rapporter (utom Hoppfull framtids rapport om 2021, se demo-follow-up-2021.ts)
const BROMODELLEN_FOLLOW_UP: DemoFollowUp = {
  meetings: [
    {
      heldOn: '2024-11-20',
      participants: ['kommun.samverkan', 'bilda.samverkan', 'erikshjalpen.samverkan'],
      notes: 'Första året: flödet från koordinatorerna fungerar, men väntetiden till studiecirklarna blev lång under våren. Parterna enades om gemensamma steg för att mäta progression.',
    },
    {
      heldOn: '2025-11-19',
      participants: ['kommun.samverkan', 'bilda.samverkan', 'erikshjalpen.samverkan'],
      notes: 'Arbetsträningen i butik och lager har utökats. Parterna vill fortsätta samverkan och föreslår att progressionen följs upp halvårsvis.',
    },
  ],
  reports: [
    report('bromodellen-2024', 2024, 'bilda', 'bilda.samverkan', '2025-03-19',
      'Verksamheten kom i gång enligt plan i januari. Deltagarna kombinerar studiecirklar hos Bilda med arbetsträning hos Erikshjälpen; de flesta har haft fyra till sex månader i insatsen.\n\n' +
        'Svenska språket och tilltron till myndigheter är fortfarande de största hindren. Samverkansgruppen har tagit fram gemensamma steg för att mäta progression.',
      [71, 30, 7, 4, 19, 14, 38]),
    report('bromodellen-2024', 2025, 'bilda', 'bilda.samverkan', '2026-03-18',
      'Andra året var alla platser belagda från våren. Fler deltagare gick vidare till studier och arbete än 2024, och fler gjorde en stegförflyttning enligt GA-modellen.\n\n' +
        'Parterna ser behov av fler platser på lagret och av tätare uppföljning av dem som inte gått vidare.',
      [76, 34, 9, 6, 21, 13, 40]),
  ],
};

const HOPPFULL_FRAMTID_FOLLOW_UP: DemoFollowUp = {
  meetings: [
    { heldOn: '2018-11-14', participants: ['kommun.samverkan', 'stadsmissionen.samverkan'], notes: 'Första året: intaget kom i gång under våren, handledarna är på plats och GA-modellen används i alla utvecklingsplaner.' },
    { heldOn: '2019-11-13', participants: ['kommun.samverkan', 'stadsmissionen.samverkan'], notes: 'Fler arbetsmarknadspolitiska anställningar i caféet och second hand. Parterna är överens om att förlänga.' },
    { heldOn: '2020-11-11', participants: ['kommun.samverkan', 'stadsmissionen.samverkan'], notes: 'Pandemin: verksamheten ställde om till mindre grupper och uppföljning per telefon.' },
    { heldOn: '2021-11-10', participants: ['kommun.samverkan', 'stadsmissionen.samverkan'], notes: 'Digitala insatser per bransch har tagits fram; fortsatt svårt att ordna praktikplatser.' },
    { heldOn: '2022-11-09', participants: ['kommun.samverkan', 'stadsmissionen.samverkan'], notes: 'Alla platser belagda igen. Parterna börjar förbereda vad som ska gälla när överenskommelsen löper ut 2023.' },
    { heldOn: '2023-11-15', participants: ['kommun.samverkan', 'stadsmissionen.samverkan'], notes: 'Sista året: erfarenheterna sammanfattas inför en eventuell ny överenskommelse.' },
  ],
  reports: [
    report('hoppfull-framtid', 2018, 'stadsmissionen', 'stadsmissionen.samverkan', '2019-03-20',
      'Första året med partnerskapet. Intaget har varit kontinuerligt, och deltagarna har coachats mot bristyrken och lågtröskelyrken med yrkesinriktad språkträning.',
      [52, 21, 8, 5, 12, 9, 36]),
    report('hoppfull-framtid', 2019, 'stadsmissionen', 'stadsmissionen.samverkan', '2020-03-18',
      'Fler deltagare än första året, och fler fick en arbetsmarknadspolitisk anställning i Stadsmissionens verksamheter som utvecklingssteg.',
      [61, 27, 10, 6, 14, 11, 39]),
    report('hoppfull-framtid', 2020, 'stadsmissionen', 'stadsmissionen.samverkan', '2021-03-17',
      'Pandemin minskade intaget under våren, och praktikplatserna stängde. Uppföljningen skedde per telefon och video.',
      [47, 18, 5, 4, 10, 13, 33]),
    reportOf2021('hoppfull-framtid'),
    report('hoppfull-framtid', 2022, 'stadsmissionen', 'stadsmissionen.samverkan', '2023-03-15',
      'Verksamheten är tillbaka i full omfattning med alla platser belagda. Fler deltagare gick vidare till arbete än något tidigare år.',
      [66, 29, 12, 8, 15, 9, 40]),
  ],
};

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
    // The seed's section 9 names no yearly duties; the demo gives Bromodellen Hoppfull framtid's (fiktivt).
    followUp: MEETING_AND_YEARLY_REPORT,
  },
  signatories: { kommun: [KOMMUN_2019_ON], bilda: ['bilda.firmatecknare'], erikshjalpen: ['erikshjalpen.firmatecknare'] },
  samverkansgrupp: ['kommun.samverkan', 'bilda.samverkan', 'erikshjalpen.samverkan'],
  followUp: BROMODELLEN_FOLLOW_UP,
  story: withFollowUp([
    { on: '2023-04-04', event: { type: 'ACCEPT_INITIATIVE' }, by: SECRETARIAT },
    { on: '2023-09-19', event: { type: 'SEND_FOR_SIGNING' }, by: SECRETARIAT },
    { on: '2023-10-03', event: { type: 'SIGN', organisationId: 'bilda' }, by: 'bilda.firmatecknare' },
    { on: '2023-10-10', event: { type: 'SIGN', organisationId: 'erikshjalpen' }, by: 'erikshjalpen.firmatecknare' },
    { on: '2023-10-24', event: { type: 'SIGN', organisationId: 'kommun' }, by: KOMMUN_2019_ON },
    // 2024-01-01 active; 2025-03-31 the first extension decision opens (due 2025-09-30).
    { on: '2025-04-23', event: { type: 'CONSENT_TO_EXTENSION', organisationId: 'bilda' }, by: 'bilda.firmatecknare' },
    { on: '2025-05-07', event: { type: 'CONSENT_TO_EXTENSION', organisationId: 'erikshjalpen' }, by: 'erikshjalpen.firmatecknare' },
    { on: '2025-06-12', event: { type: 'CONSENT_TO_EXTENSION', organisationId: 'kommun' }, by: KOMMUN_2019_ON },
    // Renewed to 2027-12-31; active again 2026-01-01. The meeting of 2026 is due by 2026-12-31, the report on 2026 by 2027-03-31.
  ], BROMODELLEN_FOLLOW_UP),
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
    // Seed 001 section 9: "minst en gång per år träffas", "en gång per år rapportera arbetet skriftligt"; the date is fiktivt.
    followUp: MEETING_AND_YEARLY_REPORT,
  },
  signatories: { kommun: ['kommun.paulsson', KOMMUN_2019_ON], stadsmissionen: ['stadsmissionen.detlefsen'] },
  samverkansgrupp: ['kommun.samverkan', 'stadsmissionen.samverkan'],
  followUp: HOPPFULL_FRAMTID_FOLLOW_UP,
  story: withFollowUp([
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
    // Renewed to 2023-12-31 with both extensions used; expired 2024-01-01. The report on 2023 fell due after the end.
  ], HOPPFULL_FRAMTID_FOLLOW_UP),
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

/**
 * The agreement as a document (issue 16): the sections of seeds 000 and 001 in their order, the
 * free text the secretariat writes (plain text: paragraphs separated by a blank line, "- " bullet
 * lists) and the sections that are data (parties, ekonomi, giltighet, follow-up duties, termination
 * grounds), rendered from the terms so text and terms cannot disagree. Pure: no HTML, no clock.
 */
import type { Economics, FollowUpDuties, TerminationGround } from './types';
import { TERMINATION_GROUND_LABELS } from './labels';
import { TERMINATION_GROUNDS } from './types';

/** The free-text sections kept beside the terms (syfte, målgrupp and verksamhet have columns of their own). */
export const DOCUMENT_TEXT_KEYS = ['background', 'values', 'organisation', 'followUp', 'termination'] as const;
export type DocumentTextKey = (typeof DOCUMENT_TEXT_KEYS)[number];
export type DocumentTexts = Partial<Record<DocumentTextKey, string>>;

export const DOCUMENT_TEXT_LABELS: Record<DocumentTextKey, string> = {
  background: 'Bakgrund',
  values: 'Värdegrund',
  organisation: 'Organisation och samverkan',
  followUp: 'Kunskapsinhämtning och uppföljning',
  termination: 'Uppsägning och hävning',
};

/** The longest text a section may hold (about four pages). */
export const SECTION_MAX_LENGTH = 20_000;

/**
 * The municipality's standard wording for the fixed sections, used while a draft has none of its
 * own. Kept in code for now (not yet a versioned template the secretariat maintains).
 */
export const DEFAULT_TEXTS: Required<Pick<DocumentTexts, 'values' | 'termination'>> = {
  values:
    'Partnerskapet bygger på den överenskommelse som finns mellan den idéburna sektorn och kommunen, vilken omfattar principerna om integritet, dialog, långsiktighet, öppenhet och mångfald.\n\nDen idéburna parten behåller sin självständighet och sin rätt att verka som röstbärare och opinionsbildare.',
  termination:
    'Om parterna är överens därom, eller om någon part handlar på ett sätt som väsentligt åsidosätter vad som framgår av denna överenskommelse, kan överenskommelsen hävas med omedelbar verkan.\n\nI händelse av att överenskommelsen hävs ska reglering av ekonomi ske på sådant sätt att faktiskt uppkomna kostnader enligt denna överenskommelse ersätts. I övrigt ska parterna inte ha några ekonomiska anspråk.',
};

/** The fixed sections the municipality keeps a standard wording for (a versioned template). */
export const TEMPLATE_SECTIONS = ['values', 'termination'] as const;
export type TemplateSection = (typeof TEMPLATE_SECTIONS)[number];

export type Block = { kind: 'paragraph'; text: string } | { kind: 'list'; items: string[] } | { kind: 'table'; head: string[]; rows: string[][]; foot?: string[] };

export interface DocumentSection {
  number: number;
  heading: string;
  blocks: Block[];
}

export interface AgreementDocument {
  title: string;
  municipality: string;
  committee: string | null;
  diarienummer: string | null;
  parties: Array<{ name: string; organisationNumber: string }>;
  sections: DocumentSection[];
  /** One line per party: the party and the firmatecknare the terms name for it. */
  signatureBlock: Array<{ party: string; signatories: string[] }>;
}

export interface DocumentInput {
  title: string;
  diarienummer: string | null;
  committee: string | null;
  purpose: string;
  targetGroup: string;
  activities: string;
  places: number | null;
  placeCategory: string | null;
  texts: DocumentTexts;
  parties: Array<{ organisationId: string; name: string; organisationNumber: string; kind: string; contributionKr: number | null; shareBasisPoints: number | null }>;
  economics: { totalKr: number | null; indexationBasisPoints: number; costLines: Array<{ label: string; amountKr: number }> };
  invoicing: { gln: string | null; organisationNumber: string | null; peppolId: string | null; reference: string | null; marking: string | null; address: string | null };
  startDate: string | null;
  endDate: string | null;
  extension: { periodMonths: number; maxExtensions: number; decisionNoticeMonths: number } | null;
  followUp: FollowUpDuties | null;
  signatories: Array<{ name: string; organisationId: string }>;
  /** The municipality's standard wording (its current template) for sections the draft leaves empty; DEFAULT_TEXTS without. */
  standard?: Partial<Record<TemplateSection, string>>;
}

const BULLET = /^\s*(?:[-•●*])\s+/;

/** Plain text as blocks: paragraphs split on blank lines; lines starting "- " (or •, ●) are list items, a following indented or plain line continues the item. */
export function blocksOf(text: string): Block[] {
  const blocks: Block[] = [];
  for (const chunk of text.replace(/\r\n?/g, '\n').split(/\n\s*\n/)) {
    const lines = chunk.split('\n').map((l) => l.trimEnd()).filter((l) => l.trim() !== '');
    let paragraph: string[] = [];
    let list: string[] | null = null;
    const flushParagraph = () => {
      if (paragraph.length) blocks.push({ kind: 'paragraph', text: paragraph.join(' ') });
      paragraph = [];
    };
    const flushList = () => {
      if (list?.length) blocks.push({ kind: 'list', items: list });
      list = null;
    };
    for (const line of lines) {
      if (BULLET.test(line)) {
        flushParagraph();
        list = list ?? [];
        list.push(line.replace(BULLET, '').trim());
      } else if (list) {
        list[list.length - 1] = `${list[list.length - 1]} ${line.trim()}`;
      } else {
        paragraph.push(line.trim());
      }
    }
    flushParagraph();
    flushList();
  }
  // Consecutive lists separated only by blank lines are one list (the seeds leave a blank line between bullets).
  return blocks.reduce<Block[]>((merged, b) => {
    const last = merged[merged.length - 1];
    if (b.kind === 'list' && last?.kind === 'list') last.items.push(...b.items);
    else merged.push(b);
    return merged;
  }, []);
}

/** Something that looks like markup: a tag, a comment or a declaration. Text such as "< 5 %" is fine. */
const MARKUP = /<\s*\/?\s*[A-Za-z!?]/;
// Control characters other than tab and newline (and carriage return, normalised away).
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

/** Why a section's text is refused, in Swedish; null when it is fine. */
export function sectionTextProblem(text: string, maxLength = SECTION_MAX_LENGTH): string | null {
  if (text.length > maxLength) return `Texten får vara högst ${maxLength} tecken (nu ${text.length}).`;
  if (MARKUP.test(text)) return 'Texten ska vara vanlig text utan HTML: skriv stycken med en tom rad emellan och punktlistor med "- " först på raden.';
  if (CONTROL.test(text)) return 'Texten innehåller otillåtna kontrolltecken.';
  return null;
}

/** Whole kronor with a space between thousands: 2368800 → "2 368 800 kr". */
export function kronorText(amount: number): string {
  const sign = amount < 0 ? '-' : '';
  return `${sign}${String(Math.abs(Math.round(amount))).replace(/\B(?=(\d{3})+(?!\d))/g, ' ')} kr`;
}

/** Hundredths of a per cent: 7000 → "70 %", 250 → "2,5 %". */
export function shareText(basisPoints: number): string {
  const whole = basisPoints / 100;
  return `${String(Number.isInteger(whole) ? whole : whole.toFixed(2).replace(/0$/, '')).replace('.', ',')} %`;
}

const NUMBER_WORDS = ['noll', 'en', 'två', 'tre', 'fyra', 'fem', 'sex', 'sju', 'åtta', 'nio', 'tio', 'elva', 'tolv'];
const numberWord = (n: number): string => NUMBER_WORDS[n] ?? String(n);

/** 24 → "två år", 18 → "18 månader", 12 → "ett år". */
function periodText(months: number): string {
  if (months % 12 === 0) return months === 12 ? 'ett år' : `${numberWord(months / 12)} år`;
  return months === 1 ? 'en månad' : `${numberWord(months)} månader`;
}

const timesText = (n: number): string => (n === 1 ? 'en gång' : `${numberWord(n)} gånger`);
const MONTH_NAMES = ['januari', 'februari', 'mars', 'april', 'maj', 'juni', 'juli', 'augusti', 'september', 'oktober', 'november', 'december'];

function textOr(text: string | undefined, fallback: string): Block[] {
  const blocks = blocksOf(text ?? '');
  if (blocks.length > 0) return blocks;
  const standard = blocksOf(fallback);
  return standard.length > 0 ? standard : [{ kind: 'paragraph', text: fallback }];
}

/** The municipality among the parties (the first), else a neutral word. */
function municipalityOf(input: DocumentInput): string {
  return input.parties.find((p) => p.kind === 'municipality')?.name ?? 'Kommunen';
}

function partiesSection(input: DocumentInput): Block[] {
  return [
    { kind: 'paragraph', text: 'Denna idéburna offentliga partnerskapsöverenskommelse (IOP) har ingåtts mellan följande parter:' },
    { kind: 'table', head: ['Part', 'Organisationsnummer'], rows: input.parties.map((p) => [p.name, p.organisationNumber]) },
  ];
}

function economicsSection(input: DocumentInput): Block[] {
  const e = input.economics;
  const blocks: Block[] = [];
  if (e.costLines.length > 0) {
    blocks.push({ kind: 'paragraph', text: 'Kostnader per kalenderår:' });
    blocks.push({
      kind: 'table',
      head: ['Kostnad', 'Belopp'],
      rows: e.costLines.map((l) => [l.label, kronorText(l.amountKr)]),
      ...(e.totalKr !== null ? { foot: ['Summa kostnader per kalenderår', kronorText(e.totalKr)] } : {}),
    });
  }
  const contributing = input.parties.filter((p) => p.contributionKr !== null);
  if (contributing.length > 0) {
    const sum = contributing.reduce((s, p) => s + (p.contributionKr ?? 0), 0);
    const shares = contributing.reduce((s, p) => s + (p.shareBasisPoints ?? 0), 0);
    blocks.push({ kind: 'paragraph', text: 'Respektive part bidrar med:' });
    blocks.push({
      kind: 'table',
      head: ['Part', 'Bidrag per år', 'Andel'],
      rows: contributing.map((p) => [p.name, kronorText(p.contributionKr ?? 0), p.shareBasisPoints === null ? '' : shareText(p.shareBasisPoints)]),
      foot: ['Summa', kronorText(sum), shareText(shares)],
    });
  }
  if (e.indexationBasisPoints > 0) {
    blocks.push({ kind: 'paragraph', text: `För varje nytt kalenderår justeras kostnaderna för pris- och löneförändring med ${shareText(e.indexationBasisPoints)}.` });
  }
  const i = input.invoicing;
  const invoiceLines = [
    i.gln ? `GLN-nr ${i.gln}` : '',
    i.organisationNumber ? `Organisationsnummer: ${i.organisationNumber}` : '',
    i.peppolId ? `PEPPOL-ID: ${i.peppolId}` : '',
    i.reference ? `Referenskod: ${i.reference}` : '',
    i.marking ? `Märkning: ${i.marking}` : '',
  ].filter(Boolean);
  if (invoiceLines.length > 0) {
    blocks.push({ kind: 'paragraph', text: 'Elektronisk faktura skickas till:' });
    blocks.push({ kind: 'list', items: invoiceLines });
  }
  if (i.address) blocks.push(...blocksOf(i.address));
  if (blocks.length === 0) blocks.push({ kind: 'paragraph', text: 'Överenskommelsen anger ingen ekonomi.' });
  return blocks;
}

function validitySection(input: DocumentInput): Block[] {
  const from = input.startDate ?? '(datum saknas)';
  const to = input.endDate ?? '(datum saknas)';
  const ext = input.extension;
  const extension =
    ext && ext.maxExtensions > 0
      ? ` med möjlighet till förlängning ${timesText(ext.maxExtensions)} ${periodText(ext.periodMonths)} under förutsättning att alla parter är överens därom. Beslut om förlängning fattas senast ${periodText(ext.decisionNoticeMonths)} före överenskommelsens utgång.`
      : '. Överenskommelsen kan inte förlängas.';
  return [{ kind: 'paragraph', text: `Överenskommelsen gäller från och med ${from} till och med ${to}${extension}` }];
}

function followUpDutyBlocks(duties: FollowUpDuties | null): Block[] {
  const items: string[] = [];
  if (duties && duties.meetingsPerYear > 0) items.push(`Samverkansgruppen träffas minst ${timesText(duties.meetingsPerYear)} per kalenderår.`);
  if (duties?.yearlyReport) {
    items.push(`En skriftlig rapport om föregående kalenderår lämnas till nämnden senast den ${duties.yearlyReport.dueDay} ${MONTH_NAMES[duties.yearlyReport.dueMonth - 1]} varje år.`);
  }
  return items.length ? [{ kind: 'paragraph', text: 'Parterna har åtagit sig följande uppföljning:' }, { kind: 'list', items }] : [];
}

function terminationGroundBlocks(): Block[] {
  return [
    { kind: 'paragraph', text: 'En part kan häva överenskommelsen med omedelbar verkan på någon av följande grunder:' },
    { kind: 'list', items: TERMINATION_GROUNDS.map((g: TerminationGround) => TERMINATION_GROUND_LABELS[g]) },
  ];
}

function placesBlocks(input: DocumentInput): Block[] {
  if (input.places === null) return [];
  return [{ kind: 'paragraph', text: `Parterna strävar efter att kontinuerligt erbjuda ${input.places} platser${input.placeCategory ? ` (${input.placeCategory})` : ''} inom ramen för denna överenskommelse.` }];
}

/** The document as the parties will sign it: numbered sections in the seeds' order. */
export function agreementDocument(input: DocumentInput): AgreementDocument {
  const t = input.texts;
  const sections: Array<{ heading: string; blocks: Block[] }> = [
    { heading: 'Parter', blocks: partiesSection(input) },
    { heading: 'Syfte', blocks: textOr(input.purpose, 'Syftet är inte ifyllt.') },
    { heading: 'Bakgrund', blocks: textOr(t.background, 'Bakgrunden är inte ifylld.') },
    { heading: 'Värdegrund', blocks: textOr(t.values, input.standard?.values ?? DEFAULT_TEXTS.values) },
    { heading: 'Målgrupp', blocks: textOr(input.targetGroup, 'Målgruppen är inte ifylld.') },
    { heading: 'Verksamhet', blocks: [...textOr(input.activities, 'Verksamheten är inte ifylld.'), ...placesBlocks(input)] },
    { heading: 'Organisation och samverkan', blocks: textOr(t.organisation, 'Parterna utser representanter till en samverkansgrupp för gemensam uppföljning och vidareutveckling av verksamheten.') },
    { heading: 'Ekonomi', blocks: economicsSection(input) },
    { heading: 'Giltighet', blocks: validitySection(input) },
    { heading: 'Kunskapsinhämtning och uppföljning', blocks: [...blocksOf(t.followUp ?? ''), ...followUpDutyBlocks(input.followUp)] },
    { heading: 'Uppsägning och hävning', blocks: [...textOr(t.termination, input.standard?.termination ?? DEFAULT_TEXTS.termination), ...terminationGroundBlocks()] },
  ];
  return {
    title: input.title,
    municipality: municipalityOf(input),
    committee: input.committee,
    diarienummer: input.diarienummer,
    parties: input.parties.map((p) => ({ name: p.name, organisationNumber: p.organisationNumber })),
    sections: sections.map((s, i) => ({ number: i + 1, heading: s.heading, blocks: s.blocks.length ? s.blocks : [{ kind: 'paragraph', text: '–' }] })),
    signatureBlock: input.parties.map((p) => ({ party: p.name, signatories: input.signatories.filter((s) => s.organisationId === p.organisationId).map((s) => s.name) })),
  };
}

/** What an amendment (tillägg) changes: the economics from a calendar year on, with its reason. */
export interface AmendmentInput {
  version: number;
  effectiveFromYear: number;
  proposedOn: string;
  reason: string;
  economics: Economics;
  /** The signed agreement's sealed document, which the amendment belongs to; null when there is none. */
  agreementDocumentHash: string | null;
}

/** The amendment as a document of its own: parties, what changes and why, the new economics, and that all else stands. */
export function amendmentDocument(input: DocumentInput, amendment: AmendmentInput): AgreementDocument {
  const contributions = new Map(amendment.economics.contributions.map((c) => [c.organisationId, c]));
  const changed: DocumentInput = {
    ...input,
    parties: input.parties.map((p) => ({ ...p, contributionKr: contributions.get(p.organisationId)?.amountKr ?? null, shareBasisPoints: contributions.get(p.organisationId)?.shareBasisPoints ?? null })),
    economics: { totalKr: amendment.economics.totalKr, indexationBasisPoints: amendment.economics.indexationBasisPoints, costLines: amendment.economics.costLines },
  };
  const sections: Array<{ heading: string; blocks: Block[] }> = [
    { heading: 'Parter', blocks: partiesSection(input) },
    {
      heading: 'Tilläggets innehåll',
      blocks: [
        { kind: 'paragraph', text: `Parterna är överens om att överenskommelsens ekonomi ändras från och med kalenderåret ${amendment.effectiveFromYear}. Tidigare år ändras inte.` },
        { kind: 'paragraph', text: 'Skäl:' },
        ...textOr(amendment.reason, '–'),
      ],
    },
    { heading: `Ekonomi från och med ${amendment.effectiveFromYear}`, blocks: economicsSection(changed) },
    {
      heading: 'Övrigt',
      blocks: [
        { kind: 'paragraph', text: 'I övrigt gäller överenskommelsen oförändrad.' },
        ...(amendment.agreementDocumentHash ? [{ kind: 'paragraph' as const, text: `Tillägget hör till den undertecknade överenskommelsen med kontrollsumman (SHA-256) ${amendment.agreementDocumentHash}.` }] : []),
      ],
    },
  ];
  return {
    title: `Tillägg ${amendment.version - 1} till ${input.title}`,
    municipality: municipalityOf(input),
    committee: input.committee,
    diarienummer: input.diarienummer,
    parties: input.parties.map((p) => ({ name: p.name, organisationNumber: p.organisationNumber })),
    sections: sections.map((x, i) => ({ number: i + 1, heading: x.heading, blocks: x.blocks })),
    signatureBlock: input.parties.map((p) => ({ party: p.name, signatories: input.signatories.filter((x) => x.organisationId === p.organisationId).map((x) => x.name) })),
  };
}

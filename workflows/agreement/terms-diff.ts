import { formatBasisPoints, formatKronor } from './economics';
import type { AgreementTerms, FollowUpDuties } from './types';

/** One field of the terms that an edit changed, in the words of the history: what, before, after. */
export interface TermsChange {
  field: string;
  before: string;
  after: string;
}

const NONE = '–';
const MONTHS = ['januari', 'februari', 'mars', 'april', 'maj', 'juni', 'juli', 'augusti', 'september', 'oktober', 'november', 'december'];

const months = (n: number): string => (n % 12 === 0 && n > 0 ? `${n / 12} år` : `${n} ${n === 1 ? 'månad' : 'månader'}`);
const times = (n: number): string => `${n} ${n === 1 ? 'gång' : 'gånger'}`;

function reportDay(f: FollowUpDuties | null | undefined): string {
  const r = f?.yearlyReport;
  return r ? `${r.dueDay} ${MONTHS[r.dueMonth - 1] ?? r.dueMonth} året efter` : NONE;
}

/** The terms as labelled values, keyed so that the same field of two versions meet (cost lines by their text). */
function fieldsOf(terms: AgreementTerms | null, names: ReadonlyMap<string, string>): Map<string, string> {
  const out = new Map<string, string>();
  if (!terms) return out;
  const name = (id: string): string => names.get(id) ?? id;
  out.set('Parter', terms.parties.map((p) => p.name || name(p.organisationId)).join(', ') || NONE);
  out.set('Gäller från och med', terms.validity.startDate ?? NONE);
  out.set('Gäller till och med', terms.validity.endDate ?? NONE);
  const ext = terms.extension;
  out.set('Förlängningsperiod', ext ? months(ext.periodMonths) : NONE);
  out.set('Antal förlängningar', ext ? `högst ${times(ext.maxExtensions)}` : NONE);
  out.set('Beslut om förlängning', ext ? `senast ${months(ext.decisionNoticeMonths)} före utgången` : NONE);
  out.set('Beslutsfönster', ext ? `${months(ext.decisionWindowMonths)} före beslutsdagen` : NONE);
  const e = terms.economics;
  out.set('Summa per år', e ? formatKronor(e.totalKr) : NONE);
  out.set('Uppräkning per år', e ? formatBasisPoints(e.indexationBasisPoints) : NONE);
  const seen = new Map<string, number>();
  for (const line of e?.costLines ?? []) {
    // Two lines with the same text are told apart by their order.
    const n = (seen.get(line.label) ?? 0) + 1;
    seen.set(line.label, n);
    out.set(`Kostnad: ${line.label}${n > 1 ? ` (${n})` : ''}`, formatKronor(line.amountKr));
  }
  for (const c of e?.contributions ?? []) out.set(`Bidrag: ${name(c.organisationId)}`, `${formatKronor(c.amountKr)} (${formatBasisPoints(c.shareBasisPoints)})`);
  const f = terms.followUp;
  out.set('Uppföljningsmöten per år', f && f.meetingsPerYear > 0 ? `minst ${times(f.meetingsPerYear)}` : NONE);
  out.set('Årsrapport senast', reportDay(f));
  return out;
}

/** Every field whose value differs between two versions of the terms, in the order of the later (then the earlier) version. */
export function termsChanges(before: AgreementTerms | null, after: AgreementTerms): TermsChange[] {
  const names = new Map<string, string>([...(before?.parties ?? []), ...after.parties].map((p) => [p.organisationId, p.name]));
  const a = fieldsOf(before, names);
  const b = fieldsOf(after, names);
  const keys = [...b.keys(), ...[...a.keys()].filter((k) => !b.has(k))];
  return keys
    .map((field) => ({ field, before: a.get(field) ?? NONE, after: b.get(field) ?? NONE }))
    .filter((c) => c.before !== c.after);
}

/** A row of the history as far as the terms go: its event, whether it was applied, and what it carried. */
export interface TermsHistoryRow {
  eventType: string;
  outcome: string;
  payload: Record<string, unknown> | null;
}

/** The agreement's own fields a terms edit carries beside the terms (`texts`), in the form's words. */
const TEXT_FIELDS: ReadonlyArray<[string, string]> = [
  ['title', 'Namn'],
  ['diarienummer', 'Diarienummer'],
  ['committee', 'Nämnd'],
  ['purpose', 'Syfte'],
  ['targetGroup', 'Målgrupp'],
  ['activities', 'Verksamhet'],
  ['places', 'Antal platser'],
  ['placeCategory', 'Kategori av platser'],
];

const shown = (value: unknown): string => (typeof value === 'string' ? value || NONE : typeof value === 'number' ? String(value) : NONE);

/**
 * The fields of `texts` that an edit changed, against what the history said before. A field the
 * history has not said yet (the initiative's row carries only the name) is left out: its value
 * before is not known, and "–" would say it was empty.
 */
function textChanges(before: Record<string, unknown>, texts: Record<string, unknown>): TermsChange[] {
  return TEXT_FIELDS.filter(([key]) => key in texts && key in before && shown(texts[key]) !== shown(before[key])).map(([key, field]) => ({ field, before: shown(before[key]), after: shown(texts[key]) }));
}

const termsIn = (payload: Record<string, unknown> | null): AgreementTerms | null => {
  const terms = payload?.terms as AgreementTerms | undefined;
  return terms && Array.isArray(terms.parties) && terms.validity ? terms : null;
};

/**
 * Reads a history oldest first and says, for each applied terms edit, what it changed from the
 * terms before it (the initiative's, or the previous edit's). One reader per history, fed in order,
 * so an export streamed in batches needs no second pass.
 */
export function termsEditReader(): (row: TermsHistoryRow) => TermsChange[] | null {
  let current: AgreementTerms | null = null;
  let texts: Record<string, unknown> = {};
  return (row) => {
    if (row.outcome !== 'applied') return null;
    const terms = termsIn(row.payload);
    const carried = row.payload?.texts && typeof row.payload.texts === 'object' ? (row.payload.texts as Record<string, unknown>) : {};
    if (row.eventType === 'PROPOSE_INITIATIVE') {
      current = terms;
      texts = { title: row.payload?.title, ...carried };
      return null;
    }
    if (row.eventType !== 'UPDATE_TERMS' || !terms) return null;
    const changes = [...textChanges(texts, carried), ...termsChanges(current, terms)];
    current = terms;
    texts = { ...texts, ...carried };
    return changes;
  };
}

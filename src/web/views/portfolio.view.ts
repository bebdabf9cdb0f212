import { OVERVIEW_STATES, type OverviewSortKey, type OverviewStateTotals } from '@app/agreements/agreement.repository';
import { IN_FORCE_STATE_CODES, type AgreementStateCode } from '@workflows/agreement/persistence';
import { STATE_LABELS } from '@workflows/agreement/labels';
import type { OverviewRow } from '@app/agreements/agreements.service';
import type { Actor } from '@app/audit/actor';
import { csvDocument } from '@app/common/csv';
import { date, kronor, plural } from '../format';
import { FormState, selectField } from '../forms';
import { html, type Html } from '../html';
import { page } from '../layout';
import { agreementPath, heading, tableScroll } from './common';

export const SORT_KEYS = ['namn', 'parter', 'kategori', 'syfte', 'varde', 'kostnad', 'giltig'] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export type SortOrder = 'stigande' | 'fallande';

/** The page's Swedish sort keys as the overview's columns (sorted in SQL). */
export const OVERVIEW_SORT: Record<SortKey, OverviewSortKey> = {
  namn: 'name',
  parter: 'partners',
  kategori: 'category',
  syfte: 'purpose',
  varde: 'value',
  kostnad: 'cost',
  giltig: 'validUntil',
};

/** The overview's sums per state over every agreement in the filter, counted in SQL, and the year they are for. */
export interface PortfolioTotals {
  year: number;
  byState: OverviewStateTotals[];
}

/** The state filter's values: in force (the default), every state, or one state by its code; each with its Swedish name. */
export const STATE_FILTER_DEFAULT = 'i-kraft';
const STATE_FILTERS: { value: string; label: string; states: readonly AgreementStateCode[] }[] = [
  { value: STATE_FILTER_DEFAULT, label: 'I kraft', states: IN_FORCE_STATE_CODES },
  { value: 'alla', label: 'Alla tillstånd', states: OVERVIEW_STATES },
  ...OVERVIEW_STATES.map((code) => ({ value: code, label: STATE_LABELS[code], states: [code] })),
];

/** The filter a query names (in force when it names none or an unknown one). */
export function portfolioStateFilter(value: unknown): { value: string; label: string; states: readonly AgreementStateCode[] } {
  return STATE_FILTERS.find((f) => f.value === value) ?? STATE_FILTERS[0];
}

interface Column {
  key: SortKey;
  label: (year: number) => string;
  numeric?: boolean;
}

const COLUMNS: Column[] = [
  { key: 'namn', label: () => 'Namn' },
  { key: 'parter', label: () => 'Part(er)' },
  { key: 'kategori', label: () => 'Kategori och målgrupp' },
  { key: 'syfte', label: () => 'Syfte' },
  { key: 'varde', label: (year) => `Beräknat värde ${year}`, numeric: true },
  { key: 'kostnad', label: (year) => `Nämndens kostnad ${year}`, numeric: true },
  { key: 'giltig', label: () => 'Gäller till och med' },
];

const queryOf = (key: SortKey, order: SortOrder, state: string): string => `sortera=${key}&ordning=${order}${state === STATE_FILTER_DEFAULT ? '' : `&tillstand=${encodeURIComponent(state)}`}`;

function headerCell(c: Column, key: SortKey, order: SortOrder, sortable: boolean, state: string, year: number): Html {
  const active = c.key === key;
  if (!sortable) return html`<th scope="col"${c.numeric ? html` class="num"` : ''}>${c.label(year)}</th>`;
  const next: SortOrder = active && order === 'stigande' ? 'fallande' : 'stigande';
  const sortState = active ? (order === 'stigande' ? 'ascending' : 'descending') : 'none';
  return html`<th scope="col"${c.numeric ? html` class="num"` : ''} aria-sort="${sortState}"><a href="/portfolj?${queryOf(c.key, next, state)}">${c.label(year)}<span class="visually-hidden">, sortera ${next}</span>${active ? html` <span class="sort-mark" aria-hidden="true">${order === 'stigande' ? '▲' : '▼'}</span>` : ''}</a></th>`;
}

const agreements = (n: number): string => plural(n, 'överenskommelse', 'överenskommelser');

/** The sums: one row per state when there are several, then the sum of all. */
function footer(totals: PortfolioTotals): Html {
  const all = totals.byState.reduce(
    (sum, t) => ({ agreements: sum.agreements + t.agreements, value: sum.value + t.estimatedValuePerYearKr, cost: sum.cost + t.committeeCostPerYearKr }),
    { agreements: 0, value: 0, cost: 0 },
  );
  const perState = totals.byState.length > 1
    ? totals.byState.map((t) => html`<tr class="state-sum"><th scope="row" colspan="4">${STATE_LABELS[t.state]}, ${agreements(t.agreements)}</th><td class="num">${kronor(t.estimatedValuePerYearKr)}</td><td class="num">${kronor(t.committeeCostPerYearKr)}</td><td></td></tr>`)
    : [];
  return html`<tfoot>${perState}<tr><th scope="row" colspan="4">Summa, ${all.agreements === 1 ? '' : 'alla '}${agreements(all.agreements)}</th><td class="num">${kronor(all.value)}</td><td class="num">${kronor(all.cost)}</td><td></td></tr></tfoot>`;
}

function table(rows: OverviewRow[], key: SortKey, order: SortOrder, sortable: boolean, totals: PortfolioTotals, state: { value: string; label: string }): Html {
  const year = totals.year;
  return html`${tableScroll('Portföljens tabell', html`<table class="portfolio">
    <caption>Nämndens överenskommelser: ${state.label.toLowerCase()}, belopp för ${year} med uppräkning${sortable ? '' : html`, sorterade på ${COLUMNS.find((c) => c.key === key)?.label(year).toLowerCase()} (${order})`}</caption>
    <thead><tr>${COLUMNS.map((c) => headerCell(c, key, order, sortable, state.value, year))}</tr></thead>
    <tbody>${rows.map(
      (r) => html`<tr>
        <th scope="row">${sortable ? html`<a href="${agreementPath(r.agreementId)}">${r.name}</a>` : r.name}<br><span class="muted">${r.stateLabel}</span></th>
        <td>${r.partners.join(', ')}</td>
        <td>${r.category ? html`${r.category}<br>` : ''}<span class="muted">${r.targetGroup}</span></td>
        <td class="purpose">${r.purpose || '–'}</td>
        <td class="num">${kronor(r.estimatedValuePerYearKr)}</td>
        <td class="num">${kronor(r.committeeCostPerYearKr)}</td>
        <td class="nowrap">${date(r.validUntil)}</td>
      </tr>`,
    )}</tbody>
    ${footer(totals)}
  </table>`)}
  <p class="hint">Beloppen är för ${year}, uppräknade enligt överenskommelsens villkor (och tillägg) från dess första år. En överenskommelse som inte gäller ${year} visas med sitt första år (om den börjar senare) eller sitt sista år (om den har upphört).</p>`;
}

function stateForm(key: SortKey, order: SortOrder, state: string): Html {
  return html`<form method="get" action="/portfolj" class="filters no-print" aria-label="Filtrera portföljen">
    <input type="hidden" name="sortera" value="${key}"><input type="hidden" name="ordning" value="${order}">
    ${selectField(new FormState({ tillstand: state }), { name: 'tillstand', label: 'Tillstånd', choices: STATE_FILTERS.map((f) => ({ value: f.value, label: f.label })), hint: 'I kraft: signerade, gällande, under beslut om förlängning, förlängs inte och förlängda.' })}
    <div class="buttons"><button type="submit" class="button-secondary">Visa</button></div>
  </form>`;
}

export function portfolioPage(actor: Actor, rows: OverviewRow[], key: SortKey, order: SortOrder, totals: PortfolioTotals, state: { value: string; label: string }, pages: Html): string {
  const query = queryOf(key, order, state.value);
  return page({
    title: 'Portfölj',
    actor,
    current: '/portfolj',
    body: html`${heading('Portfölj', `Nämndens översikt över överenskommelserna, som i den årliga uppföljningen, med beloppen för ${totals.year}. Klicka på en kolumnrubrik för att sortera.`)}
      ${stateForm(key, order, state.value)}
      <p class="actions no-print"><a class="button button-secondary" href="/portfolj.csv?${query}" download>Ladda ner som CSV</a>
      <a class="button button-secondary" href="/portfolj/utskrift?${query}">Utskriftsvy (A4)</a></p>
      ${table(rows, key, order, true, totals, state)}
      ${pages}`,
  });
}

/** The same table without links or navigation, laid out for A4 landscape. */
export function portfolioPrintPage(actor: Actor, rows: OverviewRow[], key: SortKey, order: SortOrder, today: string, totals: PortfolioTotals, state: { value: string; label: string }): string {
  return page({
    title: 'Portfölj – utskrift',
    actor,
    print: true,
    body: html`<h1>Nämndens IOP-portfölj ${today}</h1>
      <p class="no-print"><button type="button" data-print hidden>Skriv ut</button> <a href="/portfolj?${queryOf(key, order, state.value)}">Tillbaka till portföljen</a></p>
      ${table(rows, key, order, false, totals, state)}`,
  });
}

const csvHeader = (year: number): string[] => ['namn', 'parter', 'kategori', 'målgrupp', 'syfte', `beräknat värde ${year} (kr)`, `nämndens kostnad ${year} (kr)`, 'gäller till och med', 'tillstånd'];

/** Semicolon-separated with a BOM, as Swedish spreadsheet programs open it; money as whole kronor, the year's with indexation. The header line. */
export function portfolioCsvHeader(year: number): string {
  return csvDocument(csvHeader(year), [], ';');
}

/** Lines of rows, to follow the header (the export writes them a page at a time). */
export function portfolioCsvLines(rows: OverviewRow[], year: number): string {
  if (rows.length === 0) return '';
  const lines = rows.map((r) => [r.name, r.partners.join(', '), r.category ?? '', r.targetGroup, r.purpose, String(r.estimatedValuePerYearKr ?? ''), String(r.committeeCostPerYearKr ?? ''), r.validUntil ?? '', r.stateLabel]);
  // The same quoting and separators as the header's document, without its BOM and header line.
  const document = csvDocument(csvHeader(year), lines, ';');
  return document.slice(portfolioCsvHeader(year).length);
}

import type { OverviewRow } from '@app/agreements/agreements.service';
import type { Actor } from '@app/audit/actor';
import { csvDocument } from '@app/common/csv';
import { date, kronor } from '../format';
import { html, type Html } from '../html';
import { page } from '../layout';
import { agreementPath, heading } from './common';

export const SORT_KEYS = ['namn', 'parter', 'kategori', 'syfte', 'varde', 'kostnad', 'giltig'] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export type SortOrder = 'stigande' | 'fallande';

interface Column {
  key: SortKey;
  label: string;
  numeric?: boolean;
  compare: (a: OverviewRow, b: OverviewRow) => number;
}

const text = (a: string | null, b: string | null): number => (a ?? '').localeCompare(b ?? '', 'sv');
const num = (a: number | null, b: number | null): number => (a ?? -1) - (b ?? -1);

const COLUMNS: Column[] = [
  { key: 'namn', label: 'Namn', compare: (a, b) => text(a.name, b.name) },
  { key: 'parter', label: 'Part(er)', compare: (a, b) => text(a.partners.join(', '), b.partners.join(', ')) },
  { key: 'kategori', label: 'Kategori och målgrupp', compare: (a, b) => text(a.category ?? a.targetGroup, b.category ?? b.targetGroup) },
  { key: 'syfte', label: 'Syfte', compare: (a, b) => text(a.purpose, b.purpose) },
  { key: 'varde', label: 'Beräknat värde per år', numeric: true, compare: (a, b) => num(a.estimatedValuePerYearKr, b.estimatedValuePerYearKr) },
  { key: 'kostnad', label: 'Nämndens kostnad per år', numeric: true, compare: (a, b) => num(a.committeeCostPerYearKr, b.committeeCostPerYearKr) },
  { key: 'giltig', label: 'Gäller till och med', compare: (a, b) => text(a.validUntil, b.validUntil) },
];

export function sortOverview(rows: OverviewRow[], key: SortKey, order: SortOrder): OverviewRow[] {
  const column = COLUMNS.find((c) => c.key === key) ?? COLUMNS[0];
  const sign = order === 'fallande' ? -1 : 1;
  return [...rows].sort((a, b) => sign * column.compare(a, b) || text(a.name, b.name));
}

function headerCell(c: Column, key: SortKey, order: SortOrder, sortable: boolean): Html {
  const active = c.key === key;
  if (!sortable) return html`<th scope="col"${c.numeric ? html` class="num"` : ''}>${c.label}</th>`;
  const next: SortOrder = active && order === 'stigande' ? 'fallande' : 'stigande';
  const sortState = active ? (order === 'stigande' ? 'ascending' : 'descending') : 'none';
  return html`<th scope="col"${c.numeric ? html` class="num"` : ''} aria-sort="${sortState}"><a href="/portfolj?sortera=${c.key}&amp;ordning=${next}">${c.label}<span class="visually-hidden">, sortera ${next}</span>${active ? html` <span class="sort-mark" aria-hidden="true">${order === 'stigande' ? '▲' : '▼'}</span>` : ''}</a></th>`;
}

function table(rows: OverviewRow[], key: SortKey, order: SortOrder, sortable: boolean): Html {
  const total = (pick: (r: OverviewRow) => number | null): number => rows.reduce((s, r) => s + (pick(r) ?? 0), 0);
  return html`<table class="portfolio">
    <caption>Nämndens överenskommelser${sortable ? '' : html`, sorterade på ${COLUMNS.find((c) => c.key === key)?.label.toLowerCase()} (${order})`}</caption>
    <thead><tr>${COLUMNS.map((c) => headerCell(c, key, order, sortable))}</tr></thead>
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
    <tfoot><tr><th scope="row">Summa</th><td></td><td></td><td></td><td class="num">${kronor(total((r) => r.estimatedValuePerYearKr))}</td><td class="num">${kronor(total((r) => r.committeeCostPerYearKr))}</td><td></td></tr></tfoot>
  </table>`;
}

export function portfolioPage(actor: Actor, rows: OverviewRow[], key: SortKey, order: SortOrder): string {
  const query = `sortera=${key}&ordning=${order}`;
  return page({
    title: 'Portfölj',
    actor,
    current: '/portfolj',
    body: html`${heading('Portfölj', 'Nämndens översikt över överenskommelserna, som i den årliga uppföljningen. Klicka på en kolumnrubrik för att sortera.')}
      <p class="actions no-print"><a class="button button-secondary" href="/portfolj.csv?${query}" download>Ladda ner som CSV</a>
      <a class="button button-secondary" href="/portfolj/utskrift?${query}">Utskriftsvy (A4)</a></p>
      ${table(rows, key, order, true)}`,
  });
}

/** The same table without links or navigation, laid out for A4 landscape. */
export function portfolioPrintPage(actor: Actor, rows: OverviewRow[], key: SortKey, order: SortOrder, today: string): string {
  return page({
    title: 'Portfölj – utskrift',
    actor,
    print: true,
    body: html`<h1>Nämndens IOP-portfölj ${today}</h1>
      <p class="no-print"><button type="button" data-print hidden>Skriv ut</button> <a href="/portfolj?sortera=${key}&amp;ordning=${order}">Tillbaka till portföljen</a></p>
      ${table(rows, key, order, false)}`,
  });
}

/** Semicolon-separated with a BOM, as Swedish spreadsheet programs open it; money as whole kronor. */
export function portfolioCsv(rows: OverviewRow[]): string {
  const header = ['namn', 'parter', 'kategori', 'målgrupp', 'syfte', 'beräknat värde per år (kr)', 'nämndens kostnad per år (kr)', 'gäller till och med', 'tillstånd'];
  const lines = rows.map((r) => [r.name, r.partners.join(', '), r.category ?? '', r.targetGroup, r.purpose, String(r.estimatedValuePerYearKr ?? ''), String(r.committeeCostPerYearKr ?? ''), r.validUntil ?? '', r.stateLabel]);
  return csvDocument(header, lines, ';');
}

import type { OverviewSortKey } from '@app/agreements/agreement.repository';
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

/** The overview's count and sums over every agreement in it, counted in SQL. */
export interface PortfolioTotals {
  agreements: number;
  estimatedValuePerYearKr: number;
  committeeCostPerYearKr: number;
}

interface Column {
  key: SortKey;
  label: string;
  numeric?: boolean;
}

const COLUMNS: Column[] = [
  { key: 'namn', label: 'Namn' },
  { key: 'parter', label: 'Part(er)' },
  { key: 'kategori', label: 'Kategori och målgrupp' },
  { key: 'syfte', label: 'Syfte' },
  { key: 'varde', label: 'Beräknat värde per år', numeric: true },
  { key: 'kostnad', label: 'Nämndens kostnad per år', numeric: true },
  { key: 'giltig', label: 'Gäller till och med' },
];

function headerCell(c: Column, key: SortKey, order: SortOrder, sortable: boolean): Html {
  const active = c.key === key;
  if (!sortable) return html`<th scope="col"${c.numeric ? html` class="num"` : ''}>${c.label}</th>`;
  const next: SortOrder = active && order === 'stigande' ? 'fallande' : 'stigande';
  const sortState = active ? (order === 'stigande' ? 'ascending' : 'descending') : 'none';
  return html`<th scope="col"${c.numeric ? html` class="num"` : ''} aria-sort="${sortState}"><a href="/portfolj?sortera=${c.key}&amp;ordning=${next}">${c.label}<span class="visually-hidden">, sortera ${next}</span>${active ? html` <span class="sort-mark" aria-hidden="true">${order === 'stigande' ? '▲' : '▼'}</span>` : ''}</a></th>`;
}

function table(rows: OverviewRow[], key: SortKey, order: SortOrder, sortable: boolean, totals: PortfolioTotals): Html {
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
    <tfoot><tr><th scope="row">Summa, alla ${totals.agreements} överenskommelser</th><td></td><td></td><td></td><td class="num">${kronor(totals.estimatedValuePerYearKr)}</td><td class="num">${kronor(totals.committeeCostPerYearKr)}</td><td></td></tr></tfoot>
  </table>`;
}

export function portfolioPage(actor: Actor, rows: OverviewRow[], key: SortKey, order: SortOrder, totals: PortfolioTotals, pages: Html): string {
  const query = `sortera=${key}&ordning=${order}`;
  return page({
    title: 'Portfölj',
    actor,
    current: '/portfolj',
    body: html`${heading('Portfölj', 'Nämndens översikt över överenskommelserna, som i den årliga uppföljningen. Klicka på en kolumnrubrik för att sortera.')}
      <p class="actions no-print"><a class="button button-secondary" href="/portfolj.csv?${query}" download>Ladda ner som CSV</a>
      <a class="button button-secondary" href="/portfolj/utskrift?${query}">Utskriftsvy (A4)</a></p>
      ${table(rows, key, order, true, totals)}
      ${pages}`,
  });
}

/** The same table without links or navigation, laid out for A4 landscape. */
export function portfolioPrintPage(actor: Actor, rows: OverviewRow[], key: SortKey, order: SortOrder, today: string, totals: PortfolioTotals): string {
  return page({
    title: 'Portfölj – utskrift',
    actor,
    print: true,
    body: html`<h1>Nämndens IOP-portfölj ${today}</h1>
      <p class="no-print"><button type="button" data-print hidden>Skriv ut</button> <a href="/portfolj?sortera=${key}&amp;ordning=${order}">Tillbaka till portföljen</a></p>
      ${table(rows, key, order, false, totals)}`,
  });
}

const CSV_HEADER = ['namn', 'parter', 'kategori', 'målgrupp', 'syfte', 'beräknat värde per år (kr)', 'nämndens kostnad per år (kr)', 'gäller till och med', 'tillstånd'];

/** Semicolon-separated with a BOM, as Swedish spreadsheet programs open it; money as whole kronor. The header line. */
export function portfolioCsvHeader(): string {
  return csvDocument(CSV_HEADER, [], ';');
}

/** Lines of rows, to follow the header (the export writes them a page at a time). */
export function portfolioCsvLines(rows: OverviewRow[]): string {
  if (rows.length === 0) return '';
  const lines = rows.map((r) => [r.name, r.partners.join(', '), r.category ?? '', r.targetGroup, r.purpose, String(r.estimatedValuePerYearKr ?? ''), String(r.committeeCostPerYearKr ?? ''), r.validUntil ?? '', r.stateLabel]);
  // The same quoting and separators as the header's document, without its BOM and header line.
  const document = csvDocument(CSV_HEADER, lines, ';');
  return document.slice(portfolioCsvHeader().length);
}

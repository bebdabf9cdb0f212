import type { Actor } from '@app/audit/actor';
import { plural } from '@app/common/plural';
import { date, kronor, wholeNumber } from '@app/web/format';
import { html, type Html } from '@app/web/html';
import { page } from '@app/web/layout';
import type { CommitteeReport, CommitteeReportRow } from '../committee-report.service';

/** Where the page, its PDF and its stylesheet live. */
export const reportPagePath = (year: number): string => `/rapporter/${year}`;
export const reportPdfPath = (year: number): string => `/committee/reports/${year}.pdf`;
export const REPORT_STYLESHEET_PATH = '/rapporter/arsrapport.css';

/**
 * The report's own print rules, on top of the service's stylesheet: A4 portrait like the
 * committee's papers (the portfolio's print view is landscape), the table fitted to the width.
 */
export const REPORT_STYLESHEET = `
@page { size: A4 portrait; margin: 16mm 14mm 18mm; }
.committee-report .account { max-width: 45rem; break-inside: avoid; }
.committee-report .account p { margin: 0 0 0.5rem; }
.committee-report .figures { margin: 0.25rem 0 1rem; padding: 0; list-style: none; color: var(--muted); }
.committee-report .figures li { display: inline; }
.committee-report .figures li + li::before { content: " · "; }
@media print {
  body { font-size: 9.5pt; }
  .committee-report h1 { font-size: 15pt; }
  .committee-report h2 { font-size: 12pt; margin: 6mm 0 2mm; break-after: avoid; }
  .committee-report h3 { font-size: 10.5pt; margin: 4mm 0 1mm; break-after: avoid; }
  .committee-report .lead { font-size: 10pt; }
  .committee-report table { font-size: 8.5pt; }
  .committee-report table.committee-overview { table-layout: fixed; font-size: 7.5pt; line-height: 1.3; }
  .committee-report table.committee-overview th, .committee-report table.committee-overview td { padding: 1mm 1.5mm 1mm 0; white-space: normal; overflow-wrap: break-word; }
  .committee-report table.committee-overview td.nowrap, .committee-report table.committee-overview td.num { white-space: nowrap; overflow-wrap: normal; }
  .committee-report table.committee-overview thead th:nth-child(1) { width: 16%; }
  .committee-report table.committee-overview thead th:nth-child(2) { width: 14%; }
  .committee-report table.committee-overview thead th:nth-child(3) { width: 16%; }
  .committee-report table.committee-overview thead th:nth-child(4) { width: 21%; }
  .committee-report table.committee-overview thead th:nth-child(n+5) { width: 11%; }
  .committee-report table.committee-overview tfoot { display: table-row-group; }
}
`;

/** "Arbetsmarknadsnämnden" → "arbetsmarknadsnämndens"; no single committee → "nämndens". */
const committeeGenitive = (committee: string | null): string => (committee ? `${committee.charAt(0).toLowerCase()}${committee.slice(1)}s` : 'nämndens');

export const reportTitle = (report: Pick<CommitteeReport, 'committee' | 'year'>): string =>
  `Uppföljning av ${committeeGenitive(report.committee)} idéburna offentliga partnerskap ${report.year}`;

const paragraphs = (text: string): Html[] =>
  text
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => html`<p>${p}</p>`);

function overviewTable(report: CommitteeReport): Html {
  const purpose = (r: CommitteeReportRow): Html => html`${r.purpose || '–'}${r.places ? html` (${r.places} helårsplatser)` : ''}`;
  return html`<table class="committee-overview">
    <caption class="visually-hidden">Överenskommelser i kraft under ${report.year}: belopp per år och giltighet vid årets slut</caption>
    <thead><tr>
      <th scope="col">Namn</th><th scope="col">${'Samverkans\u00adpart(er)'}</th><th scope="col">${'Kategorisering/\u200bmålgrupp'}</th><th scope="col">Verksamhetens syfte</th>
      <th scope="col" class="num">Beräknat värde/år</th><th scope="col" class="num">Nämndens kostnad/år</th><th scope="col">Giltighet</th>
    </tr></thead>
    <tbody>${report.rows.map(
      (r) => html`<tr>
        <th scope="row">${r.name}</th>
        <td>${r.partners.join(', ')}</td>
        <td>${r.category ?? r.targetGroup}</td>
        <td>${purpose(r)}</td>
        <td class="num">${kronor(r.estimatedValuePerYearKr)}</td>
        <td class="num">${kronor(r.committeeCostPerYearKr)}</td>
        <td class="nowrap">${r.terminatedOn ? html`hävd ${date(r.terminatedOn)}` : date(r.validUntil)}</td>
      </tr>`,
    )}</tbody>
    <tfoot><tr><th scope="row">Summa</th><td></td><td></td><td></td>
      <td class="num">${kronor(report.totals.estimatedValuePerYearKr)}</td><td class="num">${kronor(report.totals.committeeCostPerYearKr)}</td><td></td></tr></tfoot>
  </table>`;
}

function figuresSection(report: CommitteeReport): Html {
  if (report.figures.length === 0) return html`<p>Inga uppföljningssiffror har registrerats för ${report.year}.</p>`;
  return html`<table>
    <caption class="visually-hidden">Summerade uppföljningssiffror ${report.year}</caption>
    <thead><tr><th scope="col">Uppgift</th><th scope="col" class="num">Summa</th><th scope="col" class="num">Antal IOP som redovisat</th></tr></thead>
    <tbody>${report.figures.map((f) => html`<tr><th scope="row">${f.label}</th><td class="num">${wholeNumber(f.value)}</td><td class="num">${f.reportedBy} av ${report.rows.length}</td></tr>`)}</tbody>
  </table>`;
}

function accountsSection(report: CommitteeReport): Html {
  return html`${report.accounts.map(
    (a) => html`<section class="account" aria-labelledby="iop-${a.agreementId}">
      <h3 id="iop-${a.agreementId}">${a.name}</h3>
      ${a.account ? paragraphs(a.account) : html`<p class="muted">Ingen årsrapport för ${report.year} har registrerats.</p>`}
      ${a.figures.length > 0 ? html`<ul class="figures">${a.figures.map((f) => html`<li>${f.label}: ${wholeNumber(f.value)}</li>`)}</ul>` : ''}
    </section>`,
  )}`;
}

function endingSection(report: CommitteeReport): Html {
  const next = report.year + 1;
  if (report.endingNextYear.length === 0) return html`<p>Ingen överenskommelse löper ut under ${next}.</p>`;
  return html`<table>
    <caption class="visually-hidden">Överenskommelser vars giltighet upphör under ${next}</caption>
    <thead><tr><th scope="col">Namn</th><th scope="col">Gäller till och med</th><th scope="col">Förlängning</th><th scope="col">Beslut om förlängning senast</th></tr></thead>
    <tbody>${report.endingNextYear.map(
      (e) => html`<tr><th scope="row">${e.name}</th><td class="nowrap">${date(e.validUntil)}</td>
        <td>${e.extensionsLeft > 0 ? `möjlig (${e.extensionsLeft} kvar)` : 'inte möjlig: en ny överenskommelse krävs för att fortsätta'}</td>
        <td class="nowrap">${date(e.decisionDue)}</td></tr>`,
    )}</tbody>
  </table>`;
}

/** The report as one Swedish page; the PDF is this page printed by Chromium. */
export function reportPage(actor: Actor, report: CommitteeReport): string {
  const title = reportTitle(report);
  return page({
    title,
    actor,
    print: true,
    body: html`<link rel="stylesheet" href="${REPORT_STYLESHEET_PATH}">
      <article class="committee-report">
      <h1>${title}</h1>
      <p class="lead">Årsrapport till nämnden om de idéburna offentliga partnerskap (IOP) som var i kraft under ${report.year}:
        ${plural(report.rows.length, 'överenskommelse', 'överenskommelser')}. Framtagen ${date(report.generatedOn)}; giltighet och belopp som de stod vid årets slut.</p>
      <form class="filters no-print" method="get" action="/rapporter">
        <div class="field"><label for="ar">Visa rapporten för år</label><input class="short" type="number" id="ar" name="ar" value="${report.year}" min="2000" max="2100"></div>
        <div class="buttons"><button type="submit" class="button-secondary">Visa</button> <a class="button" href="${reportPdfPath(report.year)}">Ladda ner som PDF</a></div>
      </form>
      <h2>Översikt IOP${report.committee ? ` inom ${report.committee.charAt(0).toLowerCase()}${report.committee.slice(1)}` : ''}</h2>
      ${report.rows.length > 0 ? overviewTable(report) : html`<p>Ingen överenskommelse var i kraft under ${report.year}.</p>`}
      <h2>Summerade uppföljningssiffror ${report.year}</h2>
      ${figuresSection(report)}
      <h2>Sammanfattning och återrapport ${report.year}</h2>
      ${report.accounts.length > 0 ? accountsSection(report) : html`<p>Inga återrapporter.</p>`}
      <h2>Överenskommelser som löper ut under ${report.year + 1}</h2>
      ${endingSection(report)}
      </article>`,
  });
}

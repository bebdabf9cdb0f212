import type { AgreementView } from '@app/agreements/agreements.service';
import type { Actor } from '@app/audit/actor';
import type { VerificationReport } from '@app/audit/audit.service';
import { dateTime, wholeNumber } from '../format';
import { html } from '../html';
import { page } from '../layout';
import { agreementPath, heading } from './common';

const PROBLEM_WORDS: Record<VerificationReport['breaks'][number]['problem'], string> = {
  hash_mismatch: 'raden har ändrats (hashen stämmer inte)',
  broken_link: 'länken till föregående rad är bruten',
  gap_in_sequence: 'en rad saknas i följden',
};

export interface AuditRow {
  agreement: AgreementView;
  events: number;
  lastAt: Date | null;
}

/** Granskning: every agreement's hash chain verified now, and each history to read or export. */
export function auditPage(actor: Actor, report: VerificationReport, rows: AuditRow[]): string {
  const breakOf = (id: string) => report.breaks.find((b) => b.agreementId === id);
  return page({
    title: 'Granskning',
    actor,
    current: '/granskning',
    body: html`${heading('Granskning', 'Varje överenskommelses historik är en hashkedja som inte kan skrivas om. Kontrollen nedan räknar om varje kedja nu.')}
      <div class="flash ${report.intact ? 'flash-success' : 'flash-error'}" role="status">
        <strong>${report.intact ? 'Alla kedjor är hela.' : `${report.breaks.length} kedjor är brutna.`}</strong>
        Kontrollerat ${dateTime(report.verifiedAt)}: ${wholeNumber(report.agreementsChecked)} överenskommelser, ${wholeNumber(report.eventsChecked)} händelser.
      </div>
      <table><caption>Historik per överenskommelse</caption>
        <thead><tr><th scope="col">Överenskommelse</th><th scope="col">Tillstånd</th><th scope="col" class="num">Händelser</th><th scope="col">Senast</th><th scope="col">Kedjan</th><th scope="col">Export</th></tr></thead>
        <tbody>${rows.map((r) => {
          const broken = breakOf(r.agreement.id);
          return html`<tr><td><a href="${agreementPath(r.agreement.id)}#rubrik-historik">${r.agreement.title}</a></td><td>${r.agreement.stateLabel}</td>
            <td class="num">${wholeNumber(r.events)}</td><td class="nowrap">${dateTime(r.lastAt)}</td>
            <td>${broken ? html`<span class="tag tag-overdue">Bruten</span> vid rad ${broken.seq}: ${PROBLEM_WORDS[broken.problem]}` : html`<span class="tag tag-ok">Hel</span>`}</td>
            <td><a href="${agreementPath(r.agreement.id)}/historik.csv" download>CSV<span class="visually-hidden"> – historiken för ${r.agreement.title}</span></a></td></tr>`;
        })}</tbody>
      </table>`,
  });
}

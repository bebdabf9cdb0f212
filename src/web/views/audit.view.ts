import type { AgreementListItem } from '@app/agreements/agreements.service';
import type { Actor } from '@app/audit/actor';
import type { VerificationReport } from '@app/audit/audit.service';
import type { AuditVerificationReport, ChainFinding, CheckpointCheck } from '@app/audit/audit-verifier.service';
import { dateTime, wholeNumber } from '../format';
import { html, type Html } from '../html';
import { page } from '../layout';
import { agreementPath, heading } from './common';

const PROBLEM_WORDS: Record<VerificationReport['breaks'][number]['problem'], string> = {
  hash_mismatch: 'raden har ändrats (hashen stämmer inte)',
  broken_link: 'länken till föregående rad är bruten',
  gap_in_sequence: 'en rad saknas i följden',
};

const FINDING_WORDS: Record<ChainFinding['status'], string> = {
  row_altered: 'en rad har ändrats',
  rows_missing_at_end: 'rader saknas i slutet',
  chain_missing: 'hela historiken saknas',
};

const AGAINST_WORDS: Record<ChainFinding['against'], string> = {
  chain: 'enligt kedjan',
  chain_head: 'enligt det sparade kedjehuvudet',
  checkpoint: 'enligt den signerade kontrollpunkten',
};

const CHECKPOINT_PROBLEM_WORDS: Record<NonNullable<CheckpointCheck['problem']>, string> = {
  signature_invalid: 'signaturen stämmer inte: kontrollpunkten har ändrats',
  other_key: 'kontrollpunkten är signerad med en annan nyckel än tjänstens',
  heads_altered: 'kedjehuvudena i kontrollpunkten stämmer inte med det signerade',
  previous_checkpoint_missing: 'föregående kontrollpunkt saknas eller har ändrats',
};

function findingText(finding: ChainFinding): string {
  const where = finding.seq === null ? '' : finding.status === 'row_altered' && finding.against !== 'chain' ? ` (vid eller före rad ${finding.seq})` : ` (från rad ${finding.seq})`;
  const counts = finding.expectedEvents === null ? '' : `, ${finding.foundEvents} av ${finding.expectedEvents} händelser finns`;
  return `${FINDING_WORDS[finding.status]}${where} ${AGAINST_WORDS[finding.against]}${counts}`;
}

function checkpointNotice(report: AuditVerificationReport) {
  const checkpoint = report.checkpoint;
  if (checkpoint === null) return html`<p>Ingen signerad kontrollpunkt finns ännu: bara kedjorna själva och kedjehuvudena kontrolleras.</p>`;
  return html`<p>Senaste signerade kontrollpunkt: nr ${checkpoint.id}, ${dateTime(checkpoint.createdAt)}, ${wholeNumber(checkpoint.chainCount)} överenskommelser och ${wholeNumber(checkpoint.eventCount)} händelser (nyckel ${checkpoint.keyId}).
    ${checkpoint.signatureValid ? html`<span class="tag tag-ok">Signaturen stämmer</span>` : html`<span class="tag tag-overdue">Signaturen ogiltig</span> ${CHECKPOINT_PROBLEM_WORDS[checkpoint.problem ?? 'signature_invalid']}`}
    ${report.eventsAfterCheckpoint > 0 ? ` ${wholeNumber(report.eventsAfterCheckpoint)} händelser har tillkommit sedan dess och kontrolleras bara mot kedjan.` : ''}
    <a href="/audit/checkpoints/${checkpoint.id}/receipt" download>Hämta kvittot<span class="visually-hidden"> för kontrollpunkt ${checkpoint.id}</span></a></p>`;
}

export interface AuditRow {
  agreement: Pick<AgreementListItem, 'id' | 'title' | 'stateLabel'>;
  events: number;
  lastAt: Date | null;
}

/** Granskning: every agreement's hash chain verified now, and each history to read or export. */
export function auditPage(actor: Actor, report: AuditVerificationReport, rows: AuditRow[], pages: Html = html``): string {
  const breakOf = (id: string) => report.breaks.find((b) => b.agreementId === id);
  const findingOf = (id: string) => report.findings.find((f) => f.agreementId === id);
  const listed = new Set(rows.map((r) => r.agreement.id));
  // A chain gone together with its agreement has no row of its own in the table.
  const unlisted = report.findings.filter((f) => !listed.has(f.agreementId));
  const problems = report.findings.length + (report.checkpoint?.signatureValid === false ? 1 : 0);
  return page({
    title: 'Granskning',
    actor,
    current: '/granskning',
    body: html`${heading('Granskning', 'Varje överenskommelses historik är en hashkedja som inte kan skrivas om. Kontrollen nedan räknar om varje kedja nu.')}
      <div class="flash ${report.intact ? 'flash-success' : 'flash-error'}" role="status">
        <strong>${report.intact ? 'Alla kedjor är hela.' : `${problems} fel hittades i historiken.`}</strong>
        Kontrollerat ${dateTime(report.verifiedAt)}: ${wholeNumber(report.agreementsChecked)} överenskommelser, ${wholeNumber(report.eventsChecked)} händelser.
      </div>
      ${checkpointNotice(report)}
      ${unlisted.length > 0 ? html`<ul class="flash flash-error">${unlisted.map((f) => html`<li>Överenskommelse ${f.agreementId}: ${findingText(f)}</li>`)}</ul>` : ''}
      <table><caption>Historik per överenskommelse</caption>
        <thead><tr><th scope="col">Överenskommelse</th><th scope="col">Tillstånd</th><th scope="col" class="num">Händelser</th><th scope="col">Senast</th><th scope="col">Kedjan</th><th scope="col">Export</th></tr></thead>
        <tbody>${rows.map((r) => {
          const broken = breakOf(r.agreement.id);
          const finding = findingOf(r.agreement.id);
          return html`<tr><td><a href="${agreementPath(r.agreement.id)}#rubrik-historik">${r.agreement.title}</a></td><td>${r.agreement.stateLabel}</td>
            <td class="num">${wholeNumber(r.events)}</td><td class="nowrap">${dateTime(r.lastAt)}</td>
            <td>${broken ? html`<span class="tag tag-overdue">Bruten</span> vid rad ${broken.seq}: ${PROBLEM_WORDS[broken.problem]}` : finding ? html`<span class="tag tag-overdue">Ändrad</span> ${findingText(finding)}` : html`<span class="tag tag-ok">Hel</span>`}</td>
            <td><a href="${agreementPath(r.agreement.id)}/historik.csv" download>CSV<span class="visually-hidden"> – historiken för ${r.agreement.title}</span></a></td></tr>`;
        })}</tbody>
      </table>
      ${pages}`,
  });
}

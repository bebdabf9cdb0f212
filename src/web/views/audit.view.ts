import type { AgreementListItem } from '@app/agreements/agreements.service';
import type { Actor } from '@app/audit/actor';
import type { VerificationReport } from '@app/audit/audit.service';
import type { AuditVerificationReport, ChainFinding, CheckpointCheck } from '@app/audit/audit-verifier.service';
import { SCHEDULED, type VerificationRun } from '@app/audit/audit-verification-run.repository';
import type { VerificationStatus } from '@app/audit/audit-verification-run.service';
import { dateTime, wholeNumber } from '../format';
import { FormState, formTokenField } from '../forms';
import { html, type Html } from '../html';
import { page, type Flash } from '../layout';
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

/** "1 överenskommelse", "12 händelser". */
const counted = (n: number, one: string, many: string): string => `${wholeNumber(n)} ${n === 1 ? one : many}`;

/** Where "Kontrollera nu" posts. */
export const CHECK_PATH = '/granskning/kontrollera';

/** "Ada Administratör startade" or "Den schemalagda kontrollen startade". */
const startedBy = (run: VerificationRun): string => (run.startedBy === SCHEDULED ? 'schemalagd' : `startad av ${run.startedBy}`);

function verdict(done: VerificationRun | null, listed: ReadonlySet<string>): Html {
  const report = done?.report;
  if (!done || !report) {
    return html`<div class="flash flash-error"><strong>Ingen kontroll av historiken har gjorts ännu.</strong> Tryck på Kontrollera nu för att kontrollera varje kedja.</div>`;
  }
  // Reports stored before documents were checked have no `records`.
  const records = report.records ?? { checked: 0, problems: [] };
  const problems = report.findings.length + records.problems.length + (report.checkpoint?.signatureValid === false ? 1 : 0);
  // A chain gone together with its agreement has no row of its own in the table.
  const unlisted = report.findings.filter((f) => !listed.has(f.agreementId));
  return html`<div class="flash ${report.intact ? 'flash-success' : 'flash-error'}">
      <strong>${report.intact ? 'Alla kedjor är hela.' : `${problems} fel hittades i historiken.`}</strong>
      Senaste kontrollen (${startedBy(done)}) startade ${dateTime(done.startedAt)} och var klar ${dateTime(done.finishedAt)}: ${counted(report.agreementsChecked, 'överenskommelse', 'överenskommelser')}, ${counted(report.eventsChecked, 'händelse', 'händelser')}.
      Händelser efter ${dateTime(done.startedAt)} kontrolleras vid nästa kontroll.
    </div>
    ${checkpointNotice(report)}
    ${unlisted.length > 0 ? html`<ul class="flash flash-error">${unlisted.map((f) => html`<li>Överenskommelse ${f.agreementId}: ${findingText(f)}</li>`)}</ul>` : ''}
    ${records.checked > 0 ? html`<p>${counted(records.checked, 'lagrat dokument', 'lagrade dokument')} kontrollerade mot sin SHA-256${records.problems.length === 0 ? ': alla stämmer.' : '.'}</p>` : ''}
    ${records.problems.length > 0 ? html`<ul class="flash flash-error">${records.problems.map((r) => html`<li>Överenskommelse ${r.caseId}: dokumentet ${r.key.slice(0, 16)}… ${r.problem === 'bytes_altered' ? 'har ändrats sedan det lagrades' : 'som historiken nämner finns inte'}.</li>`)}</ul>` : ''}`;
}

function progress(status: VerificationStatus): Html {
  const { running, aborted } = status;
  if (running) {
    return html`<p><strong>En kontroll pågår</strong> (${startedBy(running)}, startade ${dateTime(running.startedAt)}): ${counted(running.rowsChecked, 'händelse', 'händelser')} i ${counted(running.chainsChecked, 'kedja', 'kedjor')} kontrollerade hittills, senast ${dateTime(running.progressAt)}.</p>`;
  }
  if (aborted) {
    return html`<p class="flash flash-error"><strong>Den senaste kontrollen avbröts</strong> (${startedBy(aborted)}, startade ${dateTime(aborted.startedAt)}) efter ${counted(aborted.rowsChecked, 'händelse', 'händelser')}: ${aborted.failure ?? 'okänt skäl'}. Tryck på Kontrollera nu för att göra om den.</p>`;
  }
  return html``;
}

/** The chain's column: what the latest run said of it, and whether it has grown since. */
function chainCell(report: AuditVerificationReport | null, startedAt: Date | null, r: AuditRow): Html {
  if (report === null || startedAt === null) return html`Inte kontrollerad`;
  const broken = report.breaks.find((b) => b.agreementId === r.agreement.id);
  if (broken) return html`<span class="tag tag-overdue">Bruten</span> vid rad ${broken.seq}: ${PROBLEM_WORDS[broken.problem]}`;
  const finding = report.findings.find((f) => f.agreementId === r.agreement.id);
  if (finding) return html`<span class="tag tag-overdue">Ändrad</span> ${findingText(finding)}`;
  const grown = r.lastAt !== null && r.lastAt.getTime() > startedAt.getTime();
  return html`<span class="tag tag-ok">Hel</span>${grown ? ' vid senaste kontrollen; nya händelser sedan dess' : ''}`;
}

/**
 * Granskning: the latest stored verification of every chain (who started it, when, how many rows,
 * what was found), the run in progress with how far it has come, a button that starts a new one, and
 * each history to read or export. While a run is in progress the script (assets.ts) fetches the
 * page again every few seconds and swaps in the parts marked data-refresh.
 */
export function auditPage(actor: Actor, status: VerificationStatus, rows: AuditRow[], pages: Html = html``, notice: Flash | null = null): string {
  const report = status.done?.report ?? null;
  const running = status.running !== null;
  return page({
    title: 'Granskning',
    actor,
    current: '/granskning',
    flash: notice,
    body: html`${heading('Granskning', 'Varje överenskommelses historik är en hashkedja som inte kan skrivas om. Kontrollen räknar om varje kedja och jämför den med kedjehuvudet och den senaste signerade kontrollpunkten. Den görs varje natt och när någon trycker på Kontrollera nu.')}
      <div id="kontroll-utfall" data-refresh>${verdict(status.done, new Set(rows.map((r) => r.agreement.id)))}</div>
      <div id="kontroll-pagar" role="status" data-refresh${running ? html` data-running` : ''}>${progress(status)}</div>
      <form method="post" action="${CHECK_PATH}">${formTokenField(new FormState())}<button type="submit" aria-describedby="kontrollera-hjalp">Kontrollera nu</button>
        <p class="hint" id="kontrollera-hjalp">Kontrollerar hela historiken från början, i bakgrunden. Med mycket historik tar det en stund; sidan visar hur långt kontrollen har kommit.</p></form>
      <table><caption>Historik per överenskommelse</caption>
        <thead><tr><th scope="col">Överenskommelse</th><th scope="col">Tillstånd</th><th scope="col" class="num">Händelser</th><th scope="col">Senast</th><th scope="col">Kedjan</th><th scope="col">Export</th></tr></thead>
        <tbody id="kontroll-kedjor" data-refresh>${rows.map(
          (r) => html`<tr><td><a href="${agreementPath(r.agreement.id)}#rubrik-historik">${r.agreement.title}</a></td><td>${r.agreement.stateLabel}</td>
            <td class="num">${wholeNumber(r.events)}</td><td class="nowrap">${dateTime(r.lastAt)}</td>
            <td>${chainCell(report, status.done?.startedAt ?? null, r)}</td>
            <td><a href="${agreementPath(r.agreement.id)}/historik.csv" download>CSV<span class="visually-hidden"> – historiken för ${r.agreement.title}</span></a></td></tr>`,
        )}</tbody>
      </table>
      ${pages}`,
  });
}

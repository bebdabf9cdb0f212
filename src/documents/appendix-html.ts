import { actorRoleLabel, historyEventLabel, STATE_LABELS } from '@workflows/agreement/labels';
import type { AgreementStateCode } from '@workflows/agreement/persistence';
import { escapeHtml as e } from '@app/notifications/reminder-mail';
import { DOCUMENT_CSS } from './document-html';

export interface Signatory {
  name: string;
  organisation: string;
  role: string;
  at: Date;
  authentication: string;
  documentHash: string;
}

export interface HistoryLine {
  seq: number;
  at: Date;
  event: string;
  actor: string;
  role: string;
  organisation: string | null;
  outcome: string;
  fromState: string;
  toState: string;
  hash: string;
}

/** Date and time in Stockholm: 2023-10-01 10:00:00. */
export const stockholm = (at: Date): string =>
  new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }).format(at);

const stateWords = (code: string): string => STATE_LABELS[code as AgreementStateCode] ?? code;
const OUTCOME_WORDS: Record<string, string> = { applied: 'genomförd', refused: 'nekad', forbidden: 'ej behörig' };

/** The signature page and the audit page that follow the signed document in the sealed PDF. */
export function appendixHtml(o: {
  title: string;
  municipality: string;
  diarienummer: string | null;
  documentHash: string;
  /** The sentence before the hash; by default that each party signed the document with it. */
  intro?: string;
  signatories: Signatory[];
  history: HistoryLine[];
  chainHash: string;
  certificate: { subject: string; development: boolean };
}): string {
  const dev = o.certificate.development
    ? `<p><strong>Obs: förseglat med ett självsignerat utvecklingscertifikat som tjänsten själv skapat.</strong> Det visar att filen inte ändrats, men inte vem som förseglade den. I drift anges kommunens eget certifikat (DOCUMENT_SEAL_P12_FILE).</p>`
    : '';
  return `<!doctype html><html lang="sv"><head><meta charset="utf-8"><title>Underskrifter – ${e(o.title)}</title><style>${DOCUMENT_CSS}
.appendix { break-before: page; } td.when { white-space: nowrap; } code { font-family: 'DejaVu Sans Mono', monospace; font-size: 8pt; word-break: break-all; } .small td, .small th { font-size: 8.5pt; }</style></head><body>
<section><h1>Underskrifter</h1>
<p>${e(o.title)} · ${e(o.municipality)}${o.diarienummer ? ` · Diarienummer ${e(o.diarienummer)}` : ''}</p>
<p>${e(o.intro ?? 'Varje part har undertecknat elektroniskt dokumentet med kontrollsumman (SHA-256):')}<br><code>${e(o.documentHash)}</code></p>
<table><thead><tr><th scope="col">Namn</th><th scope="col">Organisation</th><th scope="col">Roll</th><th scope="col">Tidpunkt (svensk tid)</th><th scope="col">Inloggning</th></tr></thead><tbody>
${o.signatories.map((s) => `<tr><td>${e(s.name)}</td><td>${e(s.organisation)}</td><td>${e(s.role)}</td><td class="when">${e(stockholm(s.at))}</td><td>${e(s.authentication)}</td></tr>`).join('\n')}
</tbody></table>
${o.signatories.some((s) => s.documentHash !== o.documentHash) ? '<p><strong>Varning: någon underskrift gäller ett annat dokument.</strong></p>' : '<p>Alla underskrifter gäller dokumentet ovan.</p>'}
<p>Hela filen är förseglad med en elektronisk underskrift (PAdES) av ${e(o.certificate.subject)}. En ändring av en enda byte gör förseglingen ogiltig.</p>
${dev}
</section>
<section class="appendix"><h1>Historik fram till undertecknandet</h1>
<p>Överenskommelsens historik ur tjänstens hashkedja. Kedjans hash efter sista raden: <code>${e(o.chainHash)}</code></p>
<table class="small"><thead><tr><th scope="col">Nr</th><th scope="col">Tidpunkt</th><th scope="col">Händelse</th><th scope="col">Vem</th><th scope="col">Utfall</th><th scope="col">Läge</th></tr></thead><tbody>
${o.history
  .map(
    (h) =>
      `<tr><td>${h.seq}</td><td>${e(stockholm(h.at))}</td><td>${e(historyEventLabel(h.event))}</td><td>${e(h.actor)}, ${e(actorRoleLabel(h.role))}${h.organisation ? `, ${e(h.organisation)}` : ''}</td><td>${e(OUTCOME_WORDS[h.outcome] ?? h.outcome)}</td><td>${e(stateWords(h.fromState))} → ${e(stateWords(h.toState))}</td></tr>`,
  )
  .join('\n')}
</tbody></table></section></body></html>`;
}

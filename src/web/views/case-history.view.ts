import type { AuditEvent } from '@app/audit/audit-event.entity';
import { dateTime } from '../format';
import { html, type Html } from '../html';
import { actorRoleLabel } from '@workflows/agreement/labels';

/** The words a kind's history is told in: its events' and states' Swedish labels (the CaseRegistry's). */
export interface HistoryWords {
  event(type: string): string;
  state(code: string): string;
}

function entry(e: AuditEvent, words: HistoryWords): Html {
  const system = e.actorRole === 'system';
  // A case's first row has no state before it.
  const moved = e.fromState !== e.toState && e.fromState !== '';
  return html`<li class="${e.outcome === 'refused' || e.outcome === 'forbidden' ? 'refused' : system ? 'system' : 'person'}">
    <span class="when">${dateTime(e.occurredAt)}</span> – <strong>${words.event(e.eventType)}</strong>${e.outcome === 'refused' ? html` <span class="tag tag-overdue">Nekades</span>` : ''}${e.outcome === 'forbidden' ? html` <span class="tag tag-overdue">Inte tillåten</span>` : ''}${e.outcome === 'skipped' ? html` <span class="tag tag-warn">Hoppades över</span>` : ''}<br>
    ${system ? e.actorName : html`${e.actorName} (${actorRoleLabel(e.actorRole)}${e.actorOrganisationName ? html`, ${e.actorOrganisationName}` : ''})`}
    ${moved ? html`<br><span class="muted">${words.state(e.fromState)} → ${words.state(e.toState)}</span>` : ''}
    ${e.reason ? html`<br>Skäl: ${e.reason}` : ''}
  </li>`;
}

/** Any case's history from its audit rows, oldest first, times in Europe/Stockholm. */
export function caseHistory(events: readonly AuditEvent[], words: HistoryWords): Html {
  return html`<section aria-labelledby="rubrik-historik"><h2 id="rubrik-historik">Historik</h2>
    ${events.length ? html`<ol class="timeline">${events.map((e) => entry(e, words))}</ol>` : html`<p>Ingen historik ännu.</p>`}</section>`;
}

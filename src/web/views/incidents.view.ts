import type { Actor } from '@app/audit/actor';
import type { IncidentView } from '@app/incidents/incidents.service';
import { dateTime } from '../format';
import { html, type Html } from '../html';
import { page, type Flash } from '../layout';
import { agreementPath, heading } from './common';
import { pager } from './pager';

export interface IncidentsPage {
  actor: Actor;
  incidents: IncidentView[];
  /** Counted apart from the page. */
  openCount: number;
  /** This page's address and the next page's cursor. */
  path: string;
  next: string | null;
  onLaterPage: boolean;
  /** Administrators act; auditors only read. */
  mayAct: boolean;
  flash: Flash | null;
}

const RESOLUTION_WORDS: Record<string, string> = { retried: 'Försökt igen', dismissed: 'Avfärdad' };

function status(i: IncidentView): Html {
  if (!i.resolvedAt) return html`<span class="tag tag-overdue">Öppen</span>`;
  return html`<span class="tag tag-ok">${RESOLUTION_WORDS[i.resolution ?? ''] ?? 'Hanterad'}</span><br><span class="muted">${dateTime(i.resolvedAt)}${i.resolvedBy ? html`, ${i.resolvedBy}` : ''}</span>`;
}

function actions(i: IncidentView): Html {
  if (i.resolvedAt) return html``;
  return html`<form method="post" action="/administration/incidenter/${i.id}/forsok-igen"><button type="submit">Försök igen<span class="visually-hidden"> med incident ${i.id}</span></button></form>
    <form method="post" action="/administration/incidenter/${i.id}/avfarda"><button type="submit" class="button-secondary">Avfärda<span class="visually-hidden"> incident ${i.id}</span></button></form>`;
}

function row(i: IncidentView, mayAct: boolean): Html {
  return html`<tr>
    <th scope="row">${i.id}</th>
    <td>${i.sourceLabel} ${i.rowId}${i.deliveryNote ? html`<br><span class="tag tag-overdue">${i.deliveryNote}</span>` : ''}</td>
    <td>${i.summary}${i.agreementId ? html`<br><a href="${agreementPath(i.agreementId)}">${i.agreementTitle ?? 'Överenskommelsen'}</a>` : ''}</td>
    <td><code>${i.error}</code></td>
    <td>${i.attempts}</td>
    <td class="nowrap">${dateTime(i.openedAt)}<br><span class="muted">senast ${dateTime(i.lastSeenAt)}</span></td>
    <td>${status(i)}</td>
    ${mayAct ? html`<td>${actions(i)}</td>` : ''}
  </tr>`;
}

export function incidentsPage(v: IncidentsPage): string {
  const open = v.openCount;
  return page({
    title: 'Incidenter',
    actor: v.actor,
    current: '/administration',
    flash: v.flash,
    body: html`${heading(
        'Incidenter',
        'Datum, påminnelser och e-post som har misslyckats flera gånger. Övriga rader hanteras som vanligt; de här försöks igen en gång i timmen. Rätta felet och välj ”Försök igen”, så tas raden med i nästa körning.',
      )}
      <p>${open === 0 ? 'Inga öppna incidenter.' : open === 1 ? '1 öppen incident.' : `${open} öppna incidenter.`}</p>
      ${v.incidents.length
        ? html`<table><thead><tr><th scope="col">Nr</th><th scope="col">Rad</th><th scope="col">Gäller</th><th scope="col">Fel</th><th scope="col">Försök</th><th scope="col">Öppnad</th><th scope="col">Status</th>${v.mayAct ? html`<th scope="col">Åtgärd</th>` : ''}</tr></thead>
          <tbody>${v.incidents.map((i) => row(i, v.mayAct))}</tbody></table>`
        : ''}
      ${pager(v.path, v.next, v.onLaterPage)}
      <p><a href="/administration">Tillbaka till administrationen</a></p>`,
  });
}

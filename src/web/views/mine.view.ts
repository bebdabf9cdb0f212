import type { AgreementListItem, AllowedEvents } from '@app/agreements/agreements.service';
import type { Actor } from '@app/audit/actor';
import { mayPropose } from '../access';
import { date } from '../format';
import { html, type Html } from '../html';
import { page } from '../layout';
import { eventPath } from './agreement.view';
import { agreementPath, heading, stateTag } from './common';

export interface MineRow {
  agreement: AgreementListItem;
  allowed: AllowedEvents & { terminationConsents: number };
}

/**
 * What waits for the person: a signature, a consent to an extension or an amendment, and a consent to a termination
 * another party has already consented to. Everything else they may do is on the agreement's page.
 */
function awaitsYou(row: MineRow, type: string): boolean {
  if (type === 'SIGN' || type === 'CONSENT_TO_EXTENSION' || type === 'AGREE_TO_AMENDMENT') return true;
  return type === 'CONSENT_TO_TERMINATION' && row.allowed.terminationConsents > 0;
}

/** A signatory's or member's start page: what waits for them first, then every agreement of their organisation. */
export function minePage(actor: Actor, rows: MineRow[], pages: Html = html``): string {
  const waiting = rows.flatMap((r) => r.allowed.events.filter((e) => !e.endpoint && awaitsYou(r, e.type)).map((e) => ({ agreement: r.agreement, event: e })));
  return page({
    title: 'Mina överenskommelser',
    actor,
    current: '/mina-overenskommelser',
    body: html`${heading('Mina överenskommelser', actor.organisationName ? `Överenskommelser där ${actor.organisationName} är part eller har tagit initiativet.` : undefined)}
      ${mayPropose(actor) ? html`<p><a class="button button-secondary" href="/initiativ/ny">Föreslå ett nytt initiativ</a></p>` : ''}
      <section aria-labelledby="rubrik-vantar"><h2 id="rubrik-vantar">Väntar på dig</h2>
      ${waiting.length
        ? html`<ul class="actions plain">${waiting.map(
            (w) => html`<li class="action-card"><h3>${w.agreement.title}</h3><p>${w.agreement.stateLabel}${w.agreement.nextDeadline ? html`, nästa datum <span class="nowrap">${date(w.agreement.nextDeadline.date)}</span>` : ''}.</p>
              <a class="button" href="${eventPath(w.agreement.id, w.event.type)}">${w.event.label}<span class="visually-hidden"> – ${w.agreement.title}</span></a></li>`,
          )}</ul>`
        : html`<p>Inget väntar på dig just nu.</p>`}</section>
      <section aria-labelledby="rubrik-alla"><h2 id="rubrik-alla">Alla</h2>
      ${rows.length
        ? html`<table><thead><tr><th scope="col">Överenskommelse</th><th scope="col">Tillstånd</th><th scope="col">Gäller till och med</th><th scope="col">Nästa datum</th></tr></thead>
        <tbody>${rows.map(({ agreement: a }) => html`<tr><td><a href="${agreementPath(a.id)}">${a.title}</a></td><td>${stateTag(a.state, a.stateLabel)}</td><td class="nowrap">${date(a.endDate)}</td><td class="nowrap">${date(a.nextDeadline?.date)}</td></tr>`)}</tbody></table>`
        : html`<p>Din organisation har inga överenskommelser ännu.</p>`}
      ${pages}</section>`,
  });
}

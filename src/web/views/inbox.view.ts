import type { Actor } from '@app/audit/actor';
import type { Inbox, InboxItemKind } from '@app/inbox/inbox.service';
import { mayOpen } from '../access';
import { date } from '../format';
import { html } from '../html';
import { page } from '../layout';
import { heading } from './common';

/** What kind of thing waits, as a tag. */
const KIND_WORDS: Record<InboxItemKind, string> = {
  initiative: 'Nytt initiativ',
  returned_draft: 'Återfört utkast',
  signature: 'Din underskrift',
  extension_consent: 'Ditt samtycke till förlängningen',
  amendment_consent: 'Ditt samtycke till tillägget',
  follow_up_overdue: 'Försenad uppföljning',
  failed_email: 'E-post som inte levererades',
  open_incident: 'Öppen incident',
};

const things = (n: number): string => (n === 1 ? '1 sak väntar' : `${n} saker väntar`);

/** Att göra: what waits for this person now, oldest first, each with what to do and a link to do it. */
export function inboxPage(actor: Actor, inbox: Inbox): string {
  const more = inbox.total - inbox.items.length;
  return page({
    title: 'Att göra',
    actor,
    current: '/att-gora',
    body: html`${heading('Att göra', 'Det som väntar på dig nu, det äldsta först.')}
      <p role="status">${inbox.items.length === 0 ? 'Inget väntar på dig just nu.' : `${things(inbox.total)} på dig.`}</p>
      ${inbox.items.length > 0
        ? html`<ol class="inbox">${inbox.items.map(
            (i) => html`<li class="inbox-item">
              <p><span class="tag ${i.kind === 'follow_up_overdue' || i.kind === 'failed_email' || i.kind === 'open_incident' ? 'tag-overdue' : 'tag-state'}">${KIND_WORDS[i.kind]}</span>
                <span class="muted">sedan <span class="nowrap">${date(i.since)}</span></span></p>
              <h2>${i.title}</h2>
              <p><strong>${i.todo}</strong></p>
              ${i.detail ? html`<p>${i.detail}</p>` : ''}
              <p><a class="button" href="${i.href}">${i.action}<span class="visually-hidden"> – ${i.title}</span></a></p>
            </li>`,
          )}</ol>`
        : ''}
      ${more > 0 ? html`<p>… och ${more} till. Sidan visar de ${inbox.items.length} äldsta.</p>` : ''}
      ${mayOpen(actor, 'watch') ? html`<p>Alla kommande datum finns på <a href="/bevakning">Bevakning</a>.</p>` : ''}`,
  });
}

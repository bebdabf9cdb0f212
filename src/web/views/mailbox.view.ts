import type { Actor } from '@app/audit/actor';
import type { NotificationView } from '@app/notifications/notifications.service';
import { NOTICE_KINDS, NOTICE_LABELS, type NoticeKind } from '@workflows/agreement/notices';
import { dateTime } from '../format';
import { html, type Html } from '../html';
import { page } from '../layout';
import { agreementPath, heading } from './common';
import { pager } from './pager';

const OTHER_KINDS: Record<string, string> = {
  weekly_digest: 'Veckobrev',
  delivery_failure: 'Utskick som inte levererades',
  incident: 'Incident',
  decision: 'Beslut',
  audit_checkpoint: 'Kontrollpunkt',
};

/** What a message is, in a few Swedish words. */
export function mailKindWords(kind: string): string {
  if ((NOTICE_KINDS as readonly string[]).includes(kind)) return NOTICE_LABELS[kind as NoticeKind].label;
  return OTHER_KINDS[kind] ?? 'Påminnelse';
}

export interface MailboxPage {
  actor: Actor;
  messages: NotificationView[];
  /** Everyone's messages (the offices) or the person's own. */
  all: boolean;
  mode: 'mailbox' | 'smtp';
  path: string;
  next: string | null;
  onLaterPage: boolean;
}

const count = (n: number): string => (n === 1 ? '1 meddelande' : `${n} meddelanden`);

export function mailboxPage(v: MailboxPage): string {
  const lead =
    v.mode === 'mailbox'
      ? 'Ingen e-postserver är inställd (SMTP_URL), så meddelandena skickas inte ut: de sparas här, och som .eml-filer.'
      : 'Meddelandena skickas med e-post; här ser du vad som skickats och om det har levererats.';
  const rows = v.messages.map(
    (m) => html`<tr>
      <td class="nowrap">${dateTime(m.createdAt)}</td>
      <td><a href="/brevlada/${m.id}">${m.subject}</a>${m.agreementId ? html`<br><a href="${agreementPath(m.agreementId)}" class="muted">Överenskommelsen</a>` : ''}</td>
      ${v.all ? html`<td>${m.recipientName ? html`${m.recipientName}<br>` : ''}<span class="muted">${m.recipient}</span></td>` : ''}
      <td>${mailKindWords(m.kind)}</td>
      <td>${m.stateLabel}</td>
    </tr>`,
  );
  return page({
    title: 'Brevlådan',
    actor: v.actor,
    current: '/brevlada',
    body: html`${heading('Brevlådan', lead)}
      <p>${v.all ? 'Alla meddelanden från IOP-motorn, de senaste först.' : 'Meddelanden till dig, de senaste först.'} Vilka meddelanden du får väljer du under <a href="/mina-installningar">Mina inställningar</a>.</p>
      ${v.messages.length
        ? html`<div class="table-scroll" role="region" aria-label="Meddelanden" tabindex="0"><table>
          <caption class="visually-hidden">${count(v.messages.length)} på den här sidan</caption>
          <thead><tr><th scope="col">Skapat</th><th scope="col">Ämne</th>${v.all ? html`<th scope="col">Mottagare</th>` : ''}<th scope="col">Slag</th><th scope="col">Status</th></tr></thead>
          <tbody>${rows}</tbody></table></div>`
        : html`<p>Inga meddelanden.</p>`}
      ${pager(v.path, v.next, v.onLaterPage)}`,
  });
}

/** Each address in a text as a link, the rest as text. */
function linked(text: string): Html {
  const parts: Html[] = [];
  let last = 0;
  // An address ends before trailing punctuation (a sentence's full stop is not part of it).
  for (const m of text.matchAll(/https?:\/\/[^\s<>"]*[^\s<>".,;:!?)”]/g)) {
    parts.push(html`${text.slice(last, m.index)}`);
    parts.push(html`<a href="${m[0]}">${m[0]}</a>`);
    last = (m.index ?? 0) + m[0].length;
  }
  parts.push(html`${text.slice(last)}`);
  return html`${parts}`;
}

export interface MessagePage {
  actor: Actor;
  message: NotificationView;
  text: string;
  pruned: boolean;
  /** The saved .eml file, for the offices, when there is one. */
  file: string | null;
}

export function messagePage(v: MessagePage): string {
  const m = v.message;
  return page({
    title: m.subject,
    actor: v.actor,
    current: '/brevlada',
    body: html`<p><a href="/brevlada">Tillbaka till Brevlådan</a></p>
      <h1>${m.subject}</h1>
      <dl class="facts">
        <dt>Till</dt><dd>${m.recipientName ? `${m.recipientName} <${m.recipient}>` : m.recipient}</dd>
        <dt>Skapat</dt><dd>${dateTime(m.createdAt)}</dd>
        <dt>Slag</dt><dd>${mailKindWords(m.kind)}</dd>
        <dt>Status</dt><dd>${m.stateLabel}${m.sentAt ? html`, ${dateTime(m.sentAt)}` : ''}</dd>
        ${m.agreementId ? html`<dt>Gäller</dt><dd><a href="${agreementPath(m.agreementId)}">Överenskommelsen</a></dd>` : ''}
      </dl>
      ${v.pruned ? html`<p>Meddelandets innehåll har gallrats enligt lagringstiden; att det skickades, till vem och när finns kvar.</p>` : html`<div class="mail-body">${linked(v.text)}</div>`}
      ${v.file ? html`<p><a href="/mailbox/${v.file}" download>Hämta meddelandet som .eml</a></p>` : ''}`,
  });
}

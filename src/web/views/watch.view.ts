import type { AnyDeadlineKind } from '@workflows/agreement/deadlines';
import type { Actor } from '@app/audit/actor';
import { DEADLINE_LABELS } from '@workflows/agreement/labels';
import type { Organisation } from '@app/organisations/organisation.entity';
import { FormState, selectField } from '../forms';
import { date, pluralWord } from '../format';
import { html } from '../html';
import { page } from '../layout';
import type { CaseWatchItem, WatchItem } from '../web-read.service';
import { agreementPath, heading, STATE_CHOICES, tableScroll } from './common';

export interface WatchPage {
  actor: Actor;
  today: string;
  horizonEnd: string;
  items: WatchItem[];
  /** More dates than the page lists (WATCH_LIMIT): the nearest are shown. */
  truncated: boolean;
  filter: { state: string; partner: string };
  partners: Organisation[];
  /** The dates of the other kinds' cases (the filters above are the agreements'). */
  cases: CaseWatchItem[];
  casesTruncated: boolean;
}

const more = (shown: number): string => `Sidan visar de ${shown} närmaste datumen; det finns fler. Välj ett tillstånd eller en part för att se färre.`;

const capitalised = (s: string): string => `${s.charAt(0).toUpperCase()}${s.slice(1)}`;

/** Every other kind's dates, one table, named and linked as the registry says. */
function otherCases(items: CaseWatchItem[], truncated: boolean) {
  const overdue = items.filter((i) => i.overdue).length;
  return html`<section aria-labelledby="rubrik-andra-arenden"><h2 id="rubrik-andra-arenden">Andra ärenden</h2>
    <p>${items.length === 0 ? 'Inga datum att bevaka i andra ärenden.' : html`${items.length} datum, varav <strong>${overdue} ${pluralWord(overdue, 'försenat', 'försenade')}</strong>. Filtren ovan gäller överenskommelserna.`}</p>
    ${truncated ? html`<p>${more(items.length)}</p>` : ''}
    ${items.length > 0
      ? tableScroll('Datum att bevaka i andra ärenden', html`<table>
      <caption class="visually-hidden">Datum att bevaka i andra ärenden, försenade först</caption>
      <thead><tr><th scope="col">Datum</th><th scope="col">Ärende</th><th scope="col">Vad ska hända</th><th scope="col">Läge</th></tr></thead>
      <tbody>${items.map(
        (i) => html`<tr${i.overdue ? html` class="overdue"` : ''}>
          <td class="nowrap">${date(i.date)}${i.overdue ? html`<br><span class="tag tag-overdue">Försenat</span>` : ''}</td>
          <td><a href="${i.href}">${i.title}</a><br><span class="muted">${capitalised(i.noun)}${i.reference ? ` – dnr ${i.reference}` : ''}</span></td>
          <td>${i.what}</td>
          <td>${i.stateLabel}</td>
        </tr>`,
      )}</tbody>
    </table>`)
      : ''}</section>`;
}

/** What has to happen by each kind of date (the digest names the date itself). */
const TO_DO: Record<AnyDeadlineKind, string> = {
  start: 'Överenskommelsen börjar gälla.',
  decision_window: 'Beslutsfasen öppnar: förbered beslutet om förlängning med parterna.',
  decision_due: 'Varje part ska ha samtyckt till eller avböjt förlängningen.',
  period_start: 'Den nya avtalsperioden börjar.',
  end: 'Överenskommelsen upphör om den inte har förlängts.',
  follow_up_meeting: 'Samverkansgruppen ska ha haft årets uppföljningsmöte, och nämndkansliet ska registrera det.',
  yearly_report: 'Den idéburna parten ska lämna den skriftliga årsrapporten till nämnden.',
};

function toDo(what: string): string | null {
  const kind = (Object.keys(DEADLINE_LABELS) as AnyDeadlineKind[]).find((k) => DEADLINE_LABELS[k] === what);
  return kind ? TO_DO[kind] : null;
}

/** Bevakning: the secretariat's Monday-morning page. */
export function watchPage(v: WatchPage): string {
  const form = new FormState({ state: v.filter.state, partner: v.filter.partner });
  const overdue = v.items.filter((i) => i.overdue).length;
  const rows = v.items.map(
    (i) => html`<tr${i.overdue ? html` class="overdue"` : ''}>
      <td class="nowrap">${date(i.date)}${i.overdue ? html`<br><span class="tag tag-overdue">Försenat</span>` : ''}</td>
      <td><a href="${agreementPath(i.agreementId)}">${i.title}</a>${i.diarienummer ? html`<br><span class="muted">dnr ${i.diarienummer}</span>` : ''}</td>
      <td>${toDo(i.what) ? html`<strong>${toDo(i.what)}</strong><br><span class="muted">${i.what}</span>` : html`${i.what.charAt(0).toUpperCase()}${i.what.slice(1)}`}</td>
      <td>${i.stateLabel}</td>
    </tr>`,
  );
  return page({
    title: 'Bevakning',
    actor: v.actor,
    current: '/bevakning',
    body: html`${heading('Bevakning', `Alla datum från idag (${v.today}) till och med ${v.horizonEnd}. Försenade datum står först.`)}
      <form method="get" action="/bevakning" class="filters" aria-label="Filtrera bevakningen">
        ${selectField(form, { name: 'state', label: 'Tillstånd', choices: STATE_CHOICES, empty: 'Alla tillstånd' })}
        ${selectField(form, { name: 'partner', label: 'Part', choices: v.partners.map((o) => ({ value: o.id, label: o.name })), empty: 'Alla parter' })}
        <div class="buttons"><button type="submit" class="button-secondary">Visa</button></div>
      </form>
      <p role="status">${v.items.length === 0 ? 'Inga datum att bevaka med de valda filtren.' : html`${v.items.length} datum, varav <strong>${overdue} ${pluralWord(overdue, 'försenat', 'försenade')}</strong>.`}</p>
      ${v.truncated ? html`<p>${more(v.items.length)}</p>` : ''}
      ${v.items.length > 0
        ? tableScroll('Datum att bevaka', html`<table>
        <caption class="visually-hidden">Datum att bevaka, försenade först</caption>
        <thead><tr><th scope="col">Datum</th><th scope="col">Överenskommelse</th><th scope="col">Vad ska hända</th><th scope="col">Tillstånd</th></tr></thead>
        <tbody>${rows}</tbody>
      </table>`)
        : ''}
      ${otherCases(v.cases, v.casesTruncated)}`,
  });
}

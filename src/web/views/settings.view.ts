import type { Actor } from '@app/audit/actor';
import type { NoticePreferences } from '@app/notifications/notice-preferences.service';
import { formTokenField, FormState } from '../forms';
import { dateTime } from '../format';
import { attr, html, type Html } from '../html';
import { page, type Flash } from '../layout';
import { heading } from './common';

export interface SettingsPage {
  actor: Actor;
  preferences: NoticePreferences;
  /** When the person's active calendar link was made; null without one. */
  calendarSince: Date | null;
  /** A link just made: shown this once (only its hash is kept). */
  newFeedUrl: string | null;
  flash: Flash | null;
  /** The calendar form's one-time token. */
  calendarForm: FormState;
}

function noticesForm(v: SettingsPage): Html {
  return html`<form method="post" action="/mina-installningar/meddelanden">
    <fieldset class="group" aria-describedby="meddelanden-hjalp">
      <legend>E-post vid varje steg</legend>
      <p class="hint" id="meddelanden-hjalp">Bocka ur de meddelanden du inte vill få med e-post. Du ser ändå allt på överenskommelsens sida och i Brevlådan.</p>
      ${v.preferences.notices.map(
        (n) => html`<div class="checkbox"><input type="checkbox" id="meddelande-${n.kind}" name="email" value="${n.kind}"${attr('checked', n.email)} aria-describedby="meddelande-${n.kind}-vem"><label for="meddelande-${n.kind}">${n.label}</label>
          <span class="muted" id="meddelande-${n.kind}-vem">(går till ${n.who})</span></div>`,
      )}
      <div class="checkbox"><input type="checkbox" id="meddelande-paminnelser" checked disabled aria-describedby="meddelande-paminnelser-vem"><label for="meddelande-paminnelser">Påminnelser om datum – alltid på</label>
        <span class="muted" id="meddelande-paminnelser-vem">(beslut om förlängning, signatur som saknas, uppföljningsmöte och årsrapport; kan inte stängas av)</span></div>
    </fieldset>
    <button type="submit">Spara val av e-post</button>
  </form>`;
}

function calendarSection(v: SettingsPage): Html {
  const fresh = v.newFeedUrl
    ? html`<div class="field">
        <label for="kalenderlank">Din nya kalenderlänk</label>
        <p class="hint" id="kalenderlank-hjalp">Visas bara nu: kopiera den och lägg till den i ditt kalenderprogram som en prenumeration (i Outlook: Lägg till kalender, Från internet). Den som har länken ser dina datum, så dela den inte.</p>
        <input id="kalenderlank" type="text" readonly value="${v.newFeedUrl}" aria-describedby="kalenderlank-hjalp">
        <button type="button" class="button-secondary" data-copy="#kalenderlank" hidden>Kopiera länken</button> <span role="status" data-copy-status></span>
      </div>`
    : '';
  const state = v.calendarSince
    ? html`<p>Du har en aktiv kalenderlänk, skapad ${dateTime(v.calendarSince)}.${v.newFeedUrl ? '' : ' Av säkerhetsskäl visas länken bara när den skapas; har du tappat bort den, skapa en ny (den gamla slutar då gälla).'}</p>`
    : html`<p>Du har ingen kalenderlänk.</p>`;
  return html`<section aria-labelledby="rubrik-kalender"><h2 id="rubrik-kalender">Min kalenderlänk</h2>
    <p>En hemlig länk till en kalender med alla kommande datum för de överenskommelser och ärenden du får se: beslut om förlängning, slutdatum, uppföljning.</p>
    ${state}
    ${fresh}
    <form method="post" action="/mina-installningar/kalenderlank" class="inline-form">
      ${formTokenField(v.calendarForm)}
      <button type="submit">${v.calendarSince ? 'Skapa en ny kalenderlänk' : 'Skapa kalenderlänk'}</button>
    </form>
    ${v.calendarSince
      ? html`<form method="post" action="/mina-installningar/kalenderlank/aterkalla" class="inline-form"><button type="submit" class="button-secondary">Återkalla kalenderlänken</button></form>`
      : ''}
  </section>`;
}

/** A person's own settings: which notices come by e-mail, and their calendar link. */
export function settingsPage(v: SettingsPage): string {
  return page({
    title: 'Mina inställningar',
    actor: v.actor,
    current: '/mina-installningar',
    flash: v.flash,
    body: html`${heading('Mina inställningar', 'Vilka meddelanden du får med e-post, och din kalenderlänk.')}
      <section aria-labelledby="rubrik-meddelanden"><h2 id="rubrik-meddelanden">Meddelanden</h2>
      ${noticesForm(v)}
      <p><a href="/brevlada">Brevlådan</a>: alla meddelanden som skickats till dig.</p>
      </section>
      ${calendarSection(v)}`,
  });
}

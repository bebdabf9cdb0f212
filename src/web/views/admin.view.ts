import { ACCOUNT_ROLES, type Actor } from '@app/audit/actor';
import type { Organisation } from '@app/organisations/organisation.entity';
import { checkboxGroup, errorSummary, formTokenField, FormState, selectField, textField } from '../forms';
import { dateTime, plural } from '../format';
import { attr, html, type Html } from '../html';
import { page, roleWords, type Flash } from '../layout';
import type { IncidentView } from '@app/incidents/incidents.service';
import type { NotificationView } from '@app/notifications/notifications.service';
import type { PersonRow } from '../web-read.service';
import { heading, tableScroll } from './common';

export interface AdminPage {
  actor: Actor;
  people: PersonRow[];
  organisations: Organisation[];
  failed: NotificationView[];
  /** Open incidents. */
  incidents: IncidentView[];
  flash: Flash | null;
  organisationForm: FormState;
  personForm: FormState;
}

const listOf = (value: string | string[] | undefined): string[] => (Array.isArray(value) ? value : value ? [value] : []);

const KIND_WORDS: Record<string, string> = { municipality: 'kommun', civil_society: 'idéburen organisation' };

function rolesForm(p: PersonRow): Html {
  const id = `roller-${p.id}`;
  return html`<form method="post" action="/administration/konton/${p.id}/roller" class="roles-form">
    <fieldset class="field"><legend class="visually-hidden">Roller för ${p.name}</legend>
    ${ACCOUNT_ROLES.map((r) => html`<span class="checkbox"><input type="checkbox" id="${id}-${r}" name="roles" value="${r}"${attr('checked', (p.roles ?? []).includes(r))}><label for="${id}-${r}">${roleWords([r])}</label></span> `)}
    </fieldset>
    <button type="submit" class="button-secondary">Spara roller<span class="visually-hidden"> för ${p.name}</span></button>
  </form>`;
}

/** A one-time link to choose a password, e-mailed to the person (again: the earlier link stops working). */
function inviteForm(p: PersonRow): Html {
  return html`<form method="post" action="/administration/konton/${p.id}/inbjudan"><button type="submit" class="link-button">Skicka inbjudan<span class="visually-hidden"> till ${p.name}</span></button></form>`;
}

function statusCell(p: PersonRow): Html {
  if (p.roles === null) return html`Inget konto`;
  return html`${p.disabled ? html`<span class="tag tag-overdue">Avstängt</span>` : html`<span class="tag tag-ok">Aktivt</span>`}
    ${p.hasPassword || p.disabled ? '' : html`<br><span class="muted">Inget lösenord ännu</span>${inviteForm(p)}`}
    <form method="post" action="/administration/konton/${p.id}/avstangt"><input type="hidden" name="disabled" value="${p.disabled ? 'false' : 'true'}">
    <button type="submit" class="link-button">${p.disabled ? 'Öppna kontot' : 'Stäng av kontot'}<span class="visually-hidden"> för ${p.name}</span></button></form>`;
}

export function adminPage(v: AdminPage): string {
  const orgChoices = v.organisations.map((o) => ({ value: o.id, label: o.name }));
  const organisationFields = html`${textField(v.organisationForm, { name: 'name', label: 'Namn', required: true })}
    ${textField(v.organisationForm, { name: 'organisationNumber', label: 'Organisationsnummer', hint: 'NNNNNN-NNNN; kontrollsiffran kontrolleras.', short: true, required: true })}
    ${selectField(v.organisationForm, { name: 'kind', label: 'Slag', choices: [{ value: 'civil_society', label: 'Idéburen organisation' }, { value: 'municipality', label: 'Kommun' }] })}`;
  const personFields = html`${textField(v.personForm, { name: 'name', label: 'Namn', required: true })}
    ${textField(v.personForm, { name: 'email', label: 'E-postadress', type: 'email', required: true })}
    ${textField(v.personForm, { name: 'title', label: 'Titel' })}
    ${selectField(v.personForm, { name: 'organisationId', label: 'Organisation', choices: orgChoices })}
    ${checkboxGroup(v.personForm, { name: 'roles', legend: 'Roller', choices: ACCOUNT_ROLES.map((r) => ({ value: r, label: roleWords([r]) })), checked: listOf(v.personForm.values.roles), hint: 'Nämndkansliet, administratör och revisor bara för personer i en kommun.' })}
    <div class="checkbox"><input type="checkbox" id="person-inbjudan" name="inbjudan" value="ja"${attr('checked', v.personForm.value('inbjudan') !== 'nej')}><label for="person-inbjudan">Skicka en inbjudan att välja lösenord (en länk som fungerar en gång, i 72 timmar)</label></div>`;
  return page({
    title: 'Administration',
    actor: v.actor,
    current: '/administration',
    flash: v.flash,
    body: html`${heading('Administration', 'Konton och roller, organisationer och personer, incidenter, och e-post som inte kunde levereras.')}
      <section aria-labelledby="rubrik-incidenter"><h2 id="rubrik-incidenter">Incidenter</h2>
      ${v.incidents.length
        ? html`<p><strong>${plural(v.incidents.length, 'öppen incident', 'öppna incidenter')}</strong>: ${v.incidents.slice(0, 3).map((i, n) => html`${n ? '; ' : ''}${i.summary}`)}${v.incidents.length > 3 ? ' …' : ''}.</p>`
        : html`<p>Inga öppna incidenter.</p>`}
      <p><a href="/administration/incidenter">Alla incidenter</a></p></section>
      <section aria-labelledby="rubrik-konton"><h2 id="rubrik-konton">Konton och roller</h2>
      ${tableScroll('Konton och roller', html`<table><thead><tr><th scope="col">Person</th><th scope="col">Organisation</th><th scope="col">Roller</th><th scope="col">Konto</th></tr></thead>
      <tbody>${v.people.map((p) => html`<tr><th scope="row">${p.name}<br><span class="muted">${p.email}</span></th><td>${p.organisationName}</td><td>${rolesForm(p)}</td><td>${statusCell(p)}</td></tr>`)}</tbody></table>`)}
      </section>
      <section aria-labelledby="rubrik-organisationer"><h2 id="rubrik-organisationer">Organisationer</h2>
      ${tableScroll('Organisationer', html`<table><thead><tr><th scope="col">Namn</th><th scope="col">Organisationsnummer</th><th scope="col">Slag</th></tr></thead>
      <tbody>${v.organisations.map((o) => html`<tr><td>${o.name}</td><td class="nowrap">${o.organisationNumber}</td><td>${KIND_WORDS[o.kind] ?? o.kind}</td></tr>`)}</tbody></table>`)}
      <div class="cols">
        <form method="post" action="/administration/organisationer" novalidate><h3>Ny organisation</h3>${formTokenField(v.organisationForm)}${errorSummary(v.organisationForm)}${organisationFields}<button type="submit">Lägg till organisationen</button></form>
        <form method="post" action="/administration/personer" novalidate><h3>Ny person</h3>${formTokenField(v.personForm)}${errorSummary(v.personForm)}${personFields}<button type="submit">Lägg till personen</button></form>
      </div></section>
      <section aria-labelledby="rubrik-misslyckad"><h2 id="rubrik-misslyckad">E-post som inte kunde levereras</h2>
      ${v.failed.length
        ? tableScroll('E-post som inte kunde levereras', html`<table><thead><tr><th scope="col">Skapad</th><th scope="col">Mottagare</th><th scope="col">Ämne</th><th scope="col">Fel</th></tr></thead>
        <tbody>${v.failed.map((f) => html`<tr><td class="nowrap">${dateTime(f.createdAt)}</td><td>${f.recipientName ? html`${f.recipientName}<br>` : ''}${f.recipient}</td><td>${f.subject}</td><td>${f.lastError ?? '–'} (${f.attempts} försök)</td></tr>`)}</tbody></table>`)
        : html`<p>All e-post har kunnat levereras.</p>`}</section>`,
  });
}

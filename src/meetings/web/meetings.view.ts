import type { CommitteeMeeting } from '@workflows/calendar/meetings';
import type { Actor } from '@app/audit/actor';
import { errorSummary, FormState, formTokenField, textField } from '@app/web/forms';
import { date } from '@app/web/format';
import { html, type Html } from '@app/web/html';
import { page, type Flash } from '@app/web/layout';
import { heading } from '@app/web/views/common';

export const PLAN_PATH = '/sammantradesplan';
export const movePath = (meetingId: string): string => `${PLAN_PATH}/${meetingId}/flytta`;

export interface PlanPage {
  actor: Actor;
  year: number;
  committee: string;
  committees: string[];
  meetings: CommitteeMeeting[];
  mayEdit: boolean;
  /** The add form (with its problems after a refused add). */
  addForm: FormState;
  /** The move form just posted, with its problems. */
  moved?: { meetingId: string; form: FormState } | null;
  flash: Flash | null;
}

function moveForm(v: PlanPage, m: CommitteeMeeting): Html {
  const form = v.moved?.meetingId === m.meetingId ? v.moved.form : new FormState({ date: m.date, papersDueOn: m.papersDueOn }, [], `flytta-${m.meetingId}-`);
  return html`<details${v.moved?.meetingId === m.meetingId ? html` open` : ''}><summary>Flytta<span class="visually-hidden"> sammanträdet ${m.date}</span></summary>
    ${v.moved?.meetingId === m.meetingId ? errorSummary(form) : ''}
    <form method="post" action="${movePath(m.meetingId)}" novalidate>
      <input type="hidden" name="year" value="${v.year}">
      ${textField(form, { name: 'date', label: 'Nytt datum för sammanträdet', type: 'date', short: true })}
      ${textField(form, { name: 'papersDueOn', label: 'Ny sista dag för handlingar', type: 'date', short: true })}
      <button type="submit" class="button-secondary">Flytta sammanträdet<span class="visually-hidden"> ${m.date}</span></button>
    </form></details>`;
}

function committeeTable(v: PlanPage, committee: string): Html {
  const meetings = v.meetings.filter((m) => m.committee === committee);
  return html`<table><caption>${committee} ${v.year}</caption>
    <thead><tr><th scope="col">Sammanträde</th><th scope="col">Sista dag för handlingar</th><th scope="col">Id</th>${v.mayEdit ? html`<th scope="col">Ändra</th>` : ''}</tr></thead>
    <tbody>${meetings.map((m) => html`<tr><th scope="row" class="nowrap">${date(m.date)}</th><td class="nowrap">${date(m.papersDueOn)}</td><td><span class="muted">${m.meetingId}</span></td>${v.mayEdit ? html`<td>${moveForm(v, m)}</td>` : ''}</tr>`)}</tbody></table>`;
}

/** The committees' meeting calendar: read by everyone signed in, kept by the secretariat. */
export function planPage(v: PlanPage): string {
  const shown = [...new Set(v.meetings.map((m) => m.committee))];
  const filter = new FormState({ year: String(v.year), committee: v.committee });
  const f = v.addForm;
  return page({
    title: 'Sammanträdesplan',
    actor: v.actor,
    current: PLAN_PATH,
    flash: v.flash,
    body: html`${heading('Sammanträdesplan', 'Nämndernas sammanträden och sista dag för handlingar. Ärendenas datum hänger på sammanträdena: flyttas ett sammanträde flyttas de med.')}
      <form method="get" action="${PLAN_PATH}" class="filters" aria-label="Välj år och nämnd">
        ${textField(filter, { name: 'year', label: 'År', inputmode: 'numeric', short: true })}
        ${textField(filter, { name: 'committee', label: 'Nämnd', hint: 'Tomt: alla nämnder.' })}
        <div class="buttons"><button type="submit" class="button-secondary">Visa</button></div>
      </form>
      ${shown.length ? shown.map((c) => committeeTable(v, c)) : html`<p role="status">Inga sammanträden ${v.year}${v.committee ? ` för ${v.committee}` : ''}.</p>`}
      ${v.mayEdit
        ? html`<section aria-labelledby="rubrik-nytt"><h2 id="rubrik-nytt">Lägg till ett sammanträde</h2>
        ${errorSummary(f)}
        <form method="post" action="${PLAN_PATH}" novalidate>
          ${formTokenField(f)}
          <div class="row">
            ${textField(f, { name: 'committee', label: 'Nämnd', required: true })}
            ${textField(f, { name: 'meetingId', label: 'Id', required: true, hint: 'Små bokstäver, siffror och bindestreck, t.ex. bin-2018-09.' })}
          </div>
          <div class="row">
            ${textField(f, { name: 'date', label: 'Sammanträdets datum', type: 'date', short: true, required: true })}
            ${textField(f, { name: 'papersDueOn', label: 'Sista dag för handlingar', type: 'date', short: true, required: true })}
          </div>
          <button type="submit">Lägg till sammanträdet</button>
        </form></section>`
        : ''}`,
  });
}

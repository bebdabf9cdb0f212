import type { Actor } from '@app/audit/actor';
import { plural } from '@app/common/plural';
import type { CommitteeVisitView } from '@app/committee/visits.service';
import { SIDE_LABELS } from '@app/committee/visits.service';
import type { VisitTemplate } from '@app/committee/visits.repository';
import { errorSummary, fieldset, formTokenField, FormState, selectField, textArea, textField, type Choice } from '../forms';
import { date, dateTime } from '../format';
import { html, type Html } from '../html';
import { page, type Flash } from '../layout';
import { agreementPath, heading } from './common';
import { rowsFor } from './terms-form.view';

export const VISITS_PATH = '/namndbesok';
export const NEW_VISIT_PATH = `${VISITS_PATH}/nytt`;
export const NEW_TEMPLATE_PATH = `${VISITS_PATH}/mall/ny`;
export const visitPath = (id: string): string => `${VISITS_PATH}/${id}`;

const SIDE_CHOICES: Choice[] = (['majority', 'opposition'] as const).map((s) => ({ value: s, label: `${SIDE_LABELS[s].charAt(0).toUpperCase()}${SIDE_LABELS[s].slice(1)}` }));

const lines = (items: readonly string[]): Html => (items.length ? html`<ul>${items.map((i) => html`<li>${i}</li>`)}</ul>` : html``);

const templateName = (t: Pick<VisitTemplate, 'verksamhetsinriktning' | 'year' | 'version'>): string => `${t.verksamhetsinriktning} ${t.year}, version ${t.version}`;

/** The latest version of each verksamhetsinriktning's template (the list comes newest version first). */
export const latestTemplates = (templates: readonly VisitTemplate[]): VisitTemplate[] =>
  templates.filter((t, i) => templates.findIndex((o) => o.verksamhetsinriktning.toLowerCase() === t.verksamhetsinriktning.toLowerCase()) === i);

export function visitsPage(o: { actor: Actor; visits: CommitteeVisitView[]; pages: Html; templates: VisitTemplate[]; mayWrite: boolean; flash: Flash | null }): string {
  const current = latestTemplates(o.templates);
  return page({
    title: 'Nämndbesök',
    actor: o.actor,
    current: VISITS_PATH,
    flash: o.flash,
    body: html`${heading('Nämndbesök', 'Ledamöternas besök i verksamheterna, dokumenterade på nämndens mall. Varje besök visas med de frågor det besvarades mot.')}
      ${o.mayWrite
        ? html`<div class="actions">${current.length ? html`<a class="button" href="${NEW_VISIT_PATH}">Dokumentera nämndbesök</a>` : ''}<a class="button button-secondary" href="${NEW_TEMPLATE_PATH}">Ny version av mallen</a></div>`
        : ''}
      <section aria-labelledby="rubrik-besok"><h2 id="rubrik-besok">Dokumenterade besök</h2>
      ${o.visits.length
        ? html`<table><caption class="visually-hidden">Nämndbesök, senaste först</caption>
        <thead><tr><th scope="col">Datum</th><th scope="col">Verksamhetsinriktning</th><th scope="col">Överenskommelse</th><th scope="col">Ledamöter</th><th scope="col">Mall</th></tr></thead>
        <tbody>${o.visits.map(
          (v) => html`<tr><td class="nowrap"><a href="${visitPath(v.id)}">${date(v.visitDate)}<span class="visually-hidden">, ${v.verksamhetsinriktning}</span></a></td><td>${v.verksamhetsinriktning}</td>
            <td>${v.agreement ? html`<a href="${agreementPath(v.agreement.id)}">${v.agreement.title}</a>` : '–'}</td>
            <td>${v.members.map((m) => `${m.name} (${m.sideLabel})`).join(', ')}</td><td>${templateName(v.template)}</td></tr>`,
        )}</tbody></table>`
        : html`<p>Inga nämndbesök är dokumenterade.</p>`}
      ${o.pages}</section>
      <section aria-labelledby="rubrik-mallar"><h2 id="rubrik-mallar">Gällande mallar</h2>
      ${current.length
        ? current.map(
            (t) => html`<h3>${t.title}</h3><p>${templateName(t)}, ${plural(t.questions.length, 'fråga', 'frågor')}.${o.mayWrite ? html` <a href="${NEW_VISIT_PATH}?mall=${t.id}">Dokumentera ett besök på mallen<span class="visually-hidden"> ${t.verksamhetsinriktning}</span></a>` : ''}</p>`,
          )
        : html`<p>Det finns ingen mall än.${o.mayWrite ? ' Skapa den första med knappen ovan.' : ''}</p>`}</section>`,
  });
}

export function visitPage(o: { actor: Actor; visit: CommitteeVisitView; flash: Flash | null }): string {
  const v = o.visit;
  const side = (s: 'majority' | 'opposition'): string[] => v.members.filter((m) => m.side === s).map((m) => m.name);
  return page({
    title: `Nämndbesök ${date(v.visitDate)}`,
    actor: o.actor,
    current: VISITS_PATH,
    flash: o.flash,
    body: html`<p class="muted"><a href="${VISITS_PATH}">Nämndbesök</a> › ${date(v.visitDate)}</p>
      ${heading(`Nämndbesök ${date(v.visitDate)}`, v.verksamhetsinriktning)}
      <dl class="facts">
        <dt>Överenskommelse</dt><dd>${v.agreement ? html`<a href="${agreementPath(v.agreement.id)}">${v.agreement.title}</a>` : 'Ingen särskild'}</dd>
        <dt>Ledamöter, majoriteten</dt><dd>${side('majority').join(', ') || '–'}</dd>
        <dt>Ledamöter, oppositionen</dt><dd>${side('opposition').join(', ') || '–'}</dd>
        <dt>Tjänstepersoner</dt><dd>${v.officials.join(', ') || '–'}</dd>
        <dt>Mall</dt><dd>${v.template.title} (${templateName(v.template)})</dd>
        <dt>Dokumenterat</dt><dd>${dateTime(v.createdAt)}</dd>
      </dl>
      <section aria-labelledby="rubrik-svar"><h2 id="rubrik-svar">Frågor och svar</h2>
        <p>Frågorna som de stod i mallen när besöket dokumenterades.</p>
        <ol class="visit-answers">${v.answers.map(
          (a) => html`<li><h3>${a.question}</h3>${a.guidance.length ? html`<p class="hint">Stödfrågor:</p>${lines(a.guidance)}` : ''}
            <p>${a.answer ?? html`<span class="muted">Inte besvarad.</span>`}</p></li>`,
        )}</ol></section>`,
  });
}

/** The visit form: date, what was visited, who took part (members with their side, officials), one answer per question. */
export function newVisitPage(o: { actor: Actor; template: VisitTemplate; templates: VisitTemplate[]; agreements: Choice[]; form: FormState }): string {
  const f = o.form;
  const t = o.template;
  const members = rowsFor(f, 'members', 'name', 2).map(
    (i) => html`<div class="row">${textField(f, { name: `members.${i}.name`, label: `Ledamot ${i + 1}, namn` })}
      ${selectField(f, { name: `members.${i}.side`, label: `Ledamot ${i + 1}, sida`, choices: SIDE_CHOICES })}</div>`,
  );
  const officials = rowsFor(f, 'officials', 'name', 1).map((i) => textField(f, { name: `officials.${i}.name`, label: `Tjänsteperson ${i + 1}` }));
  const answers = t.questions.map((q) =>
    textArea(f, { name: `answerTo.${q.number}.answer`, label: `Fråga ${q.number}: ${q.text}`, hint: q.guidance.length ? `Stödfrågor: ${q.guidance.join(' ')}` : undefined, rows: 5 }),
  );
  const fields = html`<input type="hidden" name="templateId" value="${t.id}">
    ${textField(f, { name: 'visitDate', label: 'Besöksdag', hint: 'ÅÅÅÅ-MM-DD.', short: true, required: true })}
    ${textField(f, { name: 'verksamhetsinriktning', label: 'Verksamhetsinriktning' })}
    ${selectField(f, { name: 'agreementId', label: 'Överenskommelse som besöktes', choices: o.agreements, empty: 'Ingen särskild överenskommelse' })}
    ${fieldset(f, { name: 'members', legend: 'Deltagande ledamöter', hint: 'Minst en från majoriteten och en från oppositionen. Lämna tomma rader tomma.', body: html`${members}` })}
    ${fieldset(f, { name: 'officials', legend: 'Deltagande tjänstepersoner', hint: 'Minst en: den som för anteckningar.', body: html`${officials}` })}
    ${fieldset(f, { name: 'answers', legend: 'Svar på mallens frågor', hint: 'Lämna en fråga tom om den inte besvarades.', body: html`${answers}` })}`;
  const others = latestTemplates(o.templates).filter((x) => x.id !== t.id);
  return page({
    title: 'Dokumentera nämndbesök',
    actor: o.actor,
    current: VISITS_PATH,
    body: html`<p class="muted"><a href="${VISITS_PATH}">Nämndbesök</a> › Dokumentera</p>
      ${heading('Dokumentera nämndbesök', html`På mallen <strong>${t.title}</strong> (${templateName(t)}).`)}
      ${others.length ? html`<p>Andra mallar: ${others.map((x) => html`<a href="${NEW_VISIT_PATH}?mall=${x.id}">${templateName(x)}</a> `)}</p>` : ''}
      ${t.instructions ? html`<div class="sign-box"><h2>Så genomförs besöket</h2><p>${t.instructions}</p>${t.preparation.length ? html`<p>Underlag:</p>${lines(t.preparation)}` : ''}</div>` : ''}
      ${errorSummary(f)}
      <form method="post" action="${NEW_VISIT_PATH}" novalidate>${formTokenField(f)}${fields}
        <div class="actions"><button type="submit">Spara besöket</button><a class="button button-secondary" href="${VISITS_PATH}">Avbryt</a></div>
      </form>`,
  });
}

/** The template's values for its next version: the same questions, one sub-question per line. */
export function templateValues(t: VisitTemplate | null, thisYear: number): Record<string, string> {
  if (!t) return { year: String(thisYear) };
  const v: Record<string, string> = {
    verksamhetsinriktning: t.verksamhetsinriktning,
    year: String(Math.max(t.year + 1, thisYear)),
    title: t.title,
    instructions: t.instructions,
    preparation: t.preparation.join('\n'),
  };
  t.questions.forEach((q, i) => {
    v[`questions.${i}.text`] = q.text;
    v[`questions.${i}.guidance`] = q.guidance.join('\n');
  });
  return v;
}

/** Next year's template: the questions as text, each with its sub-questions one per line. */
export function newTemplatePage(o: { actor: Actor; form: FormState; basedOn: VisitTemplate | null }): string {
  const f = o.form;
  const questions = rowsFor(f, 'questions', 'text', 2).map((i) =>
    fieldset(f, {
      name: `questions.${i}`,
      legend: `Fråga ${i + 1}`,
      body: html`${textArea(f, { name: `questions.${i}.text`, label: `Fråga ${i + 1}, text`, rows: 2 })}
        ${textArea(f, { name: `questions.${i}.guidance`, label: `Fråga ${i + 1}, stödfrågor`, hint: 'En stödfråga per rad.', rows: 3 })}`,
    }),
  );
  const fields = html`${textField(f, { name: 'verksamhetsinriktning', label: 'Verksamhetsinriktning', hint: 'Samma verksamhetsinriktning ger en ny version av dess mall; gamla besök behåller sina frågor.', required: true })}
    ${textField(f, { name: 'year', label: 'År mallen gäller', inputmode: 'numeric', short: true, required: true })}
    ${textField(f, { name: 'title', label: 'Mallens rubrik' })}
    ${textArea(f, { name: 'instructions', label: 'Så genomförs besöken', rows: 4 })}
    ${textArea(f, { name: 'preparation', label: 'Underlag inför besöken', hint: 'Ett underlag per rad.', rows: 3 })}
    ${fieldset(f, { name: 'questions', legend: 'Frågor', hint: 'I den ordning de ska stå. Lämna en fråga tom för att ta bort den; tomma rader sist lägger till frågor.', body: html`${questions}` })}`;
  return page({
    title: 'Ny version av mallen för nämndbesök',
    actor: o.actor,
    current: VISITS_PATH,
    body: html`<p class="muted"><a href="${VISITS_PATH}">Nämndbesök</a> › Ny version av mallen</p>
      ${heading('Ny version av mallen', o.basedOn ? html`Utgår från ${templateName(o.basedOn)}. Den gamla versionen ändras inte.` : 'Den första mallen för en verksamhetsinriktning.')}
      ${errorSummary(f)}
      <form method="post" action="${NEW_TEMPLATE_PATH}" novalidate>${formTokenField(f)}${fields}
        <div class="actions"><button type="submit">Spara den nya versionen</button><a class="button button-secondary" href="${VISITS_PATH}">Avbryt</a></div>
      </form>`,
  });
}

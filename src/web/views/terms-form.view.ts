import type { AgreementView } from '@app/agreements/agreements.service';
import type { Actor } from '@app/audit/actor';
import type { Organisation } from '@app/organisations/organisation.entity';
import type { Person } from '@app/organisations/person.entity';
import { checkboxGroup, errorSummary, fieldset, formTokenField, FormState, selectField, textArea, textField } from '../forms';
import { basisPointsToPercent } from '../format';
import { html, type Html } from '../html';
import { page } from '../layout';
import { agreementPath } from './common';
import { RECEIVED_VIA, RECEIVED_VIA_LABELS } from '@app/agreements/received-initiative';

/** What the initiative and the draft share: the agreement's own words. */
function describing(form: FormState): Html {
  return html`${textField(form, { name: 'title', label: 'Namn på överenskommelsen', required: true })}
    ${textArea(form, { name: 'purpose', label: 'Syfte', hint: 'Vilket problem ska partnerskapet lösa?' })}
    ${textArea(form, { name: 'targetGroup', label: 'Målgrupp' })}
    ${textArea(form, { name: 'activities', label: 'Verksamhet', hint: 'Vad ska göras, och hur?' })}
    <div class="row">${textField(form, { name: 'places', label: 'Antal platser', inputmode: 'numeric', short: true })}
    ${textField(form, { name: 'placeCategory', label: 'Kategori av platser' })}</div>`;
}

function validity(form: FormState, legend: string): Html {
  return fieldset(form, {
    name: 'validity',
    legend,
    hint: 'Datum på formen ÅÅÅÅ-MM-DD. Slutdatum gäller till och med.',
    body: html`<div class="row">${textField(form, { name: 'validity.startDate', label: 'Gäller från och med', short: true })}
      ${textField(form, { name: 'validity.endDate', label: 'Gäller till och med', short: true })}</div>`,
  });
}

/** For the secretariat: the organisation an initiative that came in on paper or by e-mail is registered for, and how it came. */
function receivedFields(form: FormState, organisations: Organisation[]): Html {
  return fieldset(form, {
    name: 'received',
    legend: 'Inkommet initiativ',
    hint: 'Initiativet registreras för organisationens räkning; historiken visar att nämndkansliet registrerade det och hur det kom in.',
    body: html`${selectField(form, { name: 'proposedByOrganisationId', label: 'Organisation som tar initiativet', choices: organisations.map((o) => ({ value: o.id, label: o.name })), empty: 'Välj organisation' })}
      <div class="row">${selectField(form, { name: 'receivedVia', label: 'Hur initiativet kom in', choices: RECEIVED_VIA.map((v) => ({ value: v, label: RECEIVED_VIA_LABELS[v] })), empty: 'Välj' })}
      ${textField(form, { name: 'receivedOn', label: 'Mottaget den (frivilligt)', hint: 'ÅÅÅÅ-MM-DD', short: true })}</div>`,
  });
}

/** A new initiative: a member proposes for their own organisation; the secretariat (`received`: the idéburna organisations) registers one that came in. */
export function initiativePage(o: { actor: Actor; form: FormState; municipalities: Organisation[]; received?: Organisation[] }): string {
  const fields = html`${o.received ? receivedFields(o.form, o.received) : ''}${describing(o.form)}
    ${selectField(o.form, { name: 'municipality', label: 'Kommun som partnerskapet gäller', choices: o.municipalities.map((m) => ({ value: m.id, label: m.name })) })}
    ${validity(o.form, 'Önskad period')}`;
  const lead = o.received
    ? 'Registrera ett initiativ som kommit in till nämndkansliet på papper, med e-post eller på annat sätt, för den idéburna organisationens räkning.'
    : `Föreslå ett idéburet offentligt partnerskap för ${o.actor.organisationName ?? 'din organisation'}. Nämndkansliet tar upp initiativet och arbetar fram ett utkast tillsammans med er.`;
  return page({
    title: 'Nytt initiativ',
    actor: o.actor,
    current: '/initiativ/ny',
    body: html`<h1>Nytt initiativ</h1>
      <p class="lead">${lead}</p>
      ${errorSummary(o.form)}
      <form method="post" action="/initiativ/ny" novalidate class="agreement-terms">${formTokenField(o.form)}${fields}<button type="submit">${o.received ? 'Registrera initiativet' : 'Skicka initiativet'}</button></form>`,
  });
}

/** Blank rows after the filled ones, so a party or a cost can be added without script. */
export const rowsFor = (form: FormState, prefix: string, field: string, extra: number): number[] => {
  let filled = 0;
  while (form.value(`${prefix}.${filled}.${field}`) !== '') filled += 1;
  return Array.from({ length: filled + extra }, (_, i) => i);
};

/** Cost lines, their total and the yearly indexation, named as the API's `economics`. */
export function economicsFields(f: FormState, legend: string, hint?: string): Html {
  const costs = rowsFor(f, 'economics.costLines', 'label', 2).map(
    (i) => html`<div class="row">${textField(f, { name: `economics.costLines.${i}.label`, label: `Kostnad ${i + 1}` })}
      ${textField(f, { name: `economics.costLines.${i}.amountKr`, label: `Belopp per år, kostnad ${i + 1} (kr)`, inputmode: 'numeric', short: true })}</div>`,
  );
  return fieldset(f, {
    name: 'economics',
    legend,
    hint,
    body: html`${fieldset(f, { name: 'economics.costLines', legend: 'Kostnader per år', body: html`${costs}` })}
      <div class="row">${textField(f, { name: 'economics.totalKr', label: 'Summa per år (kr)', inputmode: 'numeric', short: true })}
      ${textField(f, { name: 'economics.indexationBasisPoints', label: 'Årlig uppräkning (%)', inputmode: 'decimal', short: true })}</div>`,
  });
}

/** The economics as the form's values: cost lines, total and indexation in per cent. */
export function economicsValues(e: { costLines: Array<{ label: string; amountKr: number }>; totalKr: number | null; indexationBasisPoints: number }): Record<string, string> {
  const v: Record<string, string> = {
    'economics.totalKr': e.totalKr === null ? '' : String(e.totalKr),
    'economics.indexationBasisPoints': basisPointsToPercent(e.indexationBasisPoints),
  };
  e.costLines.forEach((l, i) => {
    v[`economics.costLines.${i}.label`] = l.label;
    v[`economics.costLines.${i}.amountKr`] = String(l.amountKr);
  });
  return v;
}

export interface DraftPage {
  actor: Actor;
  agreement: AgreementView;
  form: FormState;
  organisations: Organisation[];
  people: Person[];
}

export function draftPage(v: DraftPage): string {
  const f = v.form;
  const orgChoices = v.organisations.map((o) => ({ value: o.id, label: o.name }));
  const personChoices = v.people.map((p) => ({ value: p.id, label: `${p.name} (${v.organisations.find((o) => o.id === p.organisationId)?.name ?? ''})` }));
  const parties = rowsFor(f, 'parties', 'organisationId', 1).map(
    (i) => html`<div class="row">${selectField(f, { name: `parties.${i}.organisationId`, label: `Part ${i + 1}`, choices: orgChoices, empty: '– ingen –' })}
      ${textField(f, { name: `parties.${i}.contributionKr`, label: `Bidrag per år, part ${i + 1} (kr)`, inputmode: 'numeric', short: true })}
      ${textField(f, { name: `parties.${i}.shareBasisPoints`, label: `Andel, part ${i + 1} (%)`, inputmode: 'decimal', short: true })}</div>`,
  );
  const fields = html`${describing(f)}
    <div class="row">${textField(f, { name: 'diarienummer', label: 'Diarienummer', short: true })}${textField(f, { name: 'committee', label: 'Nämnd' })}</div>
    ${fieldset(f, { name: 'parties', legend: 'Parter och bidrag', hint: 'Kommunen och minst en idéburen organisation. Bidrag i hela kronor per år (basåret); andelarna ska bli 100 %.', body: html`${parties}` })}
    ${validity(f, 'Giltighet')}
    ${fieldset(f, {
      name: 'extension',
      legend: 'Förlängning',
      body: html`<div class="row">${textField(f, { name: 'extension.periodMonths', label: 'Månader per förlängning', inputmode: 'numeric', short: true })}
        ${textField(f, { name: 'extension.maxExtensions', label: 'Högst antal förlängningar', inputmode: 'numeric', short: true })}
        ${textField(f, { name: 'extension.decisionNoticeMonths', label: 'Beslut senast, månader före utgången', inputmode: 'numeric', short: true })}</div>`,
    })}
    ${economicsFields(f, 'Ekonomi')}
    ${fieldset(f, {
      name: 'invoicing',
      legend: 'Fakturering',
      body: html`<div class="row">${textField(f, { name: 'invoicing.gln', label: 'GLN-nummer', short: true })}${textField(f, { name: 'invoicing.organisationNumber', label: 'Organisationsnummer', short: true })}
        ${textField(f, { name: 'invoicing.peppolId', label: 'PEPPOL-ID', short: true })}${textField(f, { name: 'invoicing.reference', label: 'Referens', short: true })}</div>
        ${textField(f, { name: 'invoicing.marking', label: 'Märkning' })}`,
    })}
    ${checkboxGroup(f, { name: 'signatoryIds', legend: 'Firmatecknare', hint: 'Personer i organisationer som är part. Spara först om du har lagt till en part.', choices: personChoices, checked: f.list('signatoryIds') })}
    ${checkboxGroup(f, { name: 'samverkansgruppIds', legend: 'Samverkansgrupp', choices: personChoices, checked: f.list('samverkansgruppIds') })}`;
  return page({
    title: `Ändra ${v.agreement.title}`,
    actor: v.actor,
    body: html`<p class="muted"><a href="${agreementPath(v.agreement.id)}">${v.agreement.title}</a> › Ändra villkor</p>
      <h1>Ändra villkoren</h1>
      <p class="lead">${v.agreement.title} är ${v.agreement.stateLabel.toLowerCase()}. Ändringarna sparas i historiken.</p>
      ${errorSummary(f)}
      <form method="post" action="${agreementPath(v.agreement.id)}/andra" novalidate class="agreement-terms">
        <input type="hidden" name="expectedVersion" value="${f.value('expectedVersion')}">
        ${fields}
        <div class="actions"><button type="submit">Spara villkoren</button><a class="button button-secondary" href="${agreementPath(v.agreement.id)}">Avbryt</a></div>
      </form>`,
  });
}

/** The agreement's terms as the draft form's values (the API's field paths). */
export function draftValues(a: AgreementView): Record<string, string | string[]> {
  const v: Record<string, string | string[]> = {
    expectedVersion: String(a.rowVersion),
    title: a.title,
    diarienummer: a.diarienummer ?? '',
    committee: a.committee ?? '',
    purpose: a.purpose,
    targetGroup: a.targetGroup,
    activities: a.activities,
    places: a.places === null ? '' : String(a.places),
    placeCategory: a.placeCategory ?? '',
    'validity.startDate': a.startDate ?? '',
    'validity.endDate': a.endDate ?? '',
    'extension.periodMonths': a.extension ? String(a.extension.periodMonths) : '',
    'extension.maxExtensions': a.extension ? String(a.extension.maxExtensions) : '',
    'extension.decisionNoticeMonths': a.extension ? String(a.extension.decisionNoticeMonths) : '',
    ...economicsValues(a.economics),
    signatoryIds: a.signatories.map((s) => s.personId),
    samverkansgruppIds: a.samverkansgrupp.map((s) => s.personId),
  };
  a.parties.forEach((p, i) => {
    v[`parties.${i}.organisationId`] = p.organisationId;
    v[`parties.${i}.contributionKr`] = p.contributionKr === null ? '' : String(p.contributionKr);
    v[`parties.${i}.shareBasisPoints`] = basisPointsToPercent(p.shareBasisPoints);
  });
  for (const key of ['gln', 'organisationNumber', 'peppolId', 'reference', 'marking'] as const) v[`invoicing.${key}`] = a.invoicing?.[key] ?? '';
  return v;
}

import type { AgreementView } from '@app/agreements/agreements.service';
import type { Actor } from '@app/audit/actor';
import type { Organisation } from '@app/organisations/organisation.entity';
import type { Person } from '@app/organisations/person.entity';
import { TERMS_MAX_LENGTH as MAX } from '@app/agreements/dto/agreement-terms.dto';
import { checkboxGroup, errorSummary, fieldset, formTokenField, FormState, selectField, textArea, textField } from '../forms';
import { basisPointsToPercent, kronorFromText, share } from '../format';
import { sharesFromAmounts } from '@workflows/agreement/terms';
import { html, type Html } from '../html';
import { page } from '../layout';
import { agreementPath } from './common';
import { RECEIVED_VIA, RECEIVED_VIA_LABELS } from '@app/agreements/received-initiative';

/** What the initiative and the draft share: the agreement's own words. */
function describing(form: FormState): Html {
  return html`${textField(form, { name: 'title', label: 'Namn på överenskommelsen', required: true, maxLength: MAX.title })}
    ${textArea(form, { name: 'purpose', label: 'Syfte', hint: 'Vilket problem ska partnerskapet lösa?', maxLength: MAX.text })}
    ${textArea(form, { name: 'targetGroup', label: 'Målgrupp', maxLength: MAX.text })}
    ${textArea(form, { name: 'activities', label: 'Verksamhet', hint: 'Vad ska göras, och hur?', maxLength: MAX.text })}
    <div class="row">${textField(form, { name: 'places', label: 'Antal platser', inputmode: 'numeric', short: true, maxLength: 9 })}
    ${textField(form, { name: 'placeCategory', label: 'Kategori av platser', maxLength: MAX.placeCategory })}</div>`;
}

function validity(form: FormState, legend: string): Html {
  return fieldset(form, {
    name: 'validity',
    legend,
    hint: 'Datum på formen ÅÅÅÅ-MM-DD. Slutdatum gäller till och med.',
    body: html`<div class="row">${textField(form, { name: 'validity.startDate', label: 'Gäller från och med', short: true, maxLength: 10 })}
      ${textField(form, { name: 'validity.endDate', label: 'Gäller till och med', short: true, maxLength: 10 })}</div>`,
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
  const filled = Object.keys(form.values)
    .map((k) => new RegExp(`^${prefix.replace(/\./g, '\\.')}\\.(\\d+)\\.`).exec(k))
    .filter((m): m is RegExpExecArray => m !== null && form.value(`${prefix}.${m[1]}.${field}`) !== '')
    .map((m) => Number(m[1]));
  const last = filled.length ? Math.max(...filled) : -1;
  return Array.from({ length: last + 1 + extra }, (_, i) => i);
};

/**
 * Rows of a list (cost lines, parties) that the page script lets a person add to and remove from
 * without a round trip ("Lägg till rad", "Ta bort rad"); without script the spare rows are there and
 * the server takes any number. `what` names the list for the buttons' accessible names.
 */
function editableRows(prefix: string, what: string, rows: Array<{ index: number; fields: Html }>): Html {
  return html`<div class="rows" data-rows="${prefix}">
    ${rows.map(
      (r) => html`<div class="row" data-row>${r.fields}
        <div class="row-actions"><button type="button" class="button-secondary" data-remove-row hidden>Ta bort rad<span class="visually-hidden" data-row-number> ${String(r.index + 1)} bland ${what}</span></button></div></div>`,
    )}
    <button type="button" class="button-secondary" data-add-row hidden>Lägg till rad<span class="visually-hidden"> bland ${what}</span></button>
  </div>`;
}

/** Cost lines, their total and the yearly indexation, named as the API's `economics`. */
export function economicsFields(f: FormState, legend: string, hint?: string): Html {
  const costs = rowsFor(f, 'economics.costLines', 'label', 2).map((i) => ({
    index: i,
    fields: html`${textField(f, { name: `economics.costLines.${i}.label`, label: `Kostnad ${i + 1}`, maxLength: MAX.costLabel })}
      ${textField(f, { name: `economics.costLines.${i}.amountKr`, label: `Belopp per år, kostnad ${i + 1} (kr)`, inputmode: 'numeric', short: true, maxLength: 20 })}`,
  }));
  return fieldset(f, {
    name: 'economics',
    legend,
    hint,
    body: html`${fieldset(f, { name: 'economics.costLines', legend: 'Kostnader per år', body: editableRows('economics.costLines', 'kostnaderna', costs) })}
      <div class="row">${textField(f, { name: 'economics.totalKr', label: 'Summa per år (kr)', hint: 'Lämna tomt så blir summan kostnaderna tillsammans.', inputmode: 'numeric', short: true, maxLength: 20 })}
      ${textField(f, { name: 'economics.indexationBasisPoints', label: 'Årlig uppräkning (%)', inputmode: 'decimal', short: true, maxLength: 6 })}</div>`,
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
  /** Everyone in the parties' organisations (for the samverkansgrupp). */
  people: Person[];
  /** Those of them whose account may sign (the signatory role): the only firmatecknare to choose among. */
  signers: Person[];
}

const MONTHS = ['januari', 'februari', 'mars', 'april', 'maj', 'juni', 'juli', 'augusti', 'september', 'oktober', 'november', 'december'];

/** "Kunskapsinhämtning och uppföljning": what the engine turns into a date per year once the agreement is in force. */
function followUpFields(f: FormState): Html {
  return fieldset(f, {
    name: 'followUp',
    legend: 'Uppföljning',
    hint: 'Blir datum i Bevakningen för varje år överenskommelsen gäller, med påminnelser till samverkansgruppen och nämndkansliet. Lämna tomt om överenskommelsen inte anger någon uppföljning.',
    body: html`${textField(f, { name: 'followUp.meetingsPerYear', label: 'Möten i samverkansgruppen per kalenderår, minst', hint: '0–12; årets möten ska ha hållits senast 31 december (eller slutdatum).', inputmode: 'numeric', short: true, maxLength: 2 })}
      ${fieldset(f, {
        name: 'followUp.yearlyReport',
        legend: 'Skriftlig årsrapport om föregående år',
        hint: 'Den idéburna parten lämnar rapporten senast denna dag året efter, t.ex. 31 mars.',
        body: html`<div class="row">${textField(f, { name: 'followUp.yearlyReport.dueDay', label: 'Dag', inputmode: 'numeric', short: true, maxLength: 2 })}
          ${selectField(f, { name: 'followUp.yearlyReport.dueMonth', label: 'Månad', choices: MONTHS.map((m, i) => ({ value: String(i + 1), label: m })), empty: '– ingen årsrapport –' })}</div>`,
      })}`,
  });
}

/** The shares the typed amounts give, as the server will derive them (the page script keeps it up to date while typing). */
function derivedShares(f: FormState, orgName: (id: string) => string): Html {
  const rows = rowsFor(f, 'parties', 'organisationId', 0)
    .map((i) => ({ org: f.value(`parties.${i}.organisationId`), amount: kronorFromText(f.value(`parties.${i}.contributionKr`)) }))
    .filter((r): r is { org: string; amount: number } => r.org !== '' && typeof r.amount === 'number');
  const shares = sharesFromAmounts(rows.map((r) => r.amount));
  const text = shares ? rows.map((r, i) => `${orgName(r.org)} ${share(shares[i])}`).join(', ') : '–';
  return html`<p class="hint" data-derived-shares aria-live="polite">Andelar enligt bidragen: <span>${text}</span></p>`;
}

export function draftPage(v: DraftPage): string {
  const f = v.form;
  const orgName = (id: string): string => v.organisations.find((o) => o.id === id)?.name ?? '';
  const orgChoices = v.organisations.map((o) => ({ value: o.id, label: o.name }));
  const personChoices = v.people.map((p) => ({ value: p.id, label: `${p.name} (${orgName(p.organisationId)})` }));
  const signerChoices = v.signers.map((p) => ({ value: p.id, label: `${p.name}${p.title ? `, ${p.title}` : ''} (${orgName(p.organisationId)})` }));
  const parties = rowsFor(f, 'parties', 'organisationId', 1).map((i) => ({
    index: i,
    fields: html`${selectField(f, { name: `parties.${i}.organisationId`, label: `Part ${i + 1}`, choices: orgChoices, empty: '– ingen –' })}
      ${textField(f, { name: `parties.${i}.contributionKr`, label: `Bidrag per år, part ${i + 1} (kr)`, inputmode: 'numeric', short: true, maxLength: 20 })}
      ${textField(f, { name: `parties.${i}.shareBasisPoints`, label: `Andel, part ${i + 1} (%)`, inputmode: 'decimal', short: true, maxLength: 6 })}`,
  }));
  const fields = html`${describing(f)}
    <div class="row">${textField(f, { name: 'diarienummer', label: 'Diarienummer', short: true, maxLength: MAX.diarienummer })}${textField(f, { name: 'committee', label: 'Nämnd', maxLength: MAX.committee })}</div>
    ${fieldset(f, {
      name: 'parties',
      legend: 'Parter och bidrag',
      hint: 'Kommunen och minst en idéburen organisation. Bidrag i hela kronor per år (basåret). Lämna andelen tom så räknas den ut från bidragen; en andel som anges ska stämma med bidraget.',
      body: html`${editableRows('parties', 'parterna', parties)}${derivedShares(f, orgName)}`,
    })}
    ${validity(f, 'Giltighet')}
    ${fieldset(f, {
      name: 'extension',
      legend: 'Förlängning',
      body: html`<div class="row">${textField(f, { name: 'extension.periodMonths', label: 'Månader per förlängning', inputmode: 'numeric', short: true, maxLength: 3 })}
        ${textField(f, { name: 'extension.maxExtensions', label: 'Högst antal förlängningar', inputmode: 'numeric', short: true, maxLength: 2 })}
        ${textField(f, { name: 'extension.decisionNoticeMonths', label: 'Beslut senast, månader före utgången', inputmode: 'numeric', short: true, maxLength: 2 })}</div>`,
    })}
    ${economicsFields(f, 'Ekonomi')}
    ${fieldset(f, {
      name: 'invoicing',
      legend: 'Fakturering',
      hint: 'Vart parterna skickar sina fakturor till kommunen, som i överenskommelsens avsnitt om ekonomi.',
      body: html`${textArea(f, { name: 'invoicing.address', label: 'Fakturaadress', hint: 'En rad per rad i adressen.', rows: 3, maxLength: MAX.address })}
        <div class="row">${textField(f, { name: 'invoicing.gln', label: 'GLN-nummer', hint: '13 siffror.', short: true, maxLength: 13 })}${textField(f, { name: 'invoicing.organisationNumber', label: 'Organisationsnummer för fakturering', hint: 'NNNNNN-NNNN; kontrollsiffran kontrolleras.', short: true, maxLength: 11 })}
        ${textField(f, { name: 'invoicing.peppolId', label: 'PEPPOL-ID', short: true, maxLength: 60 })}${textField(f, { name: 'invoicing.reference', label: 'Referenskod', short: true, maxLength: MAX.reference })}</div>
        ${textField(f, { name: 'invoicing.marking', label: 'Märkning', maxLength: MAX.marking })}`,
    })}
    ${followUpFields(f)}
    ${checkboxGroup(f, {
      name: 'signatoryIds',
      legend: 'Firmatecknare',
      hint: 'Bara personer med rollen firmatecknare i en organisation som är part; bara de kan signera. Välj minst en per part. Spara först om du har lagt till en part.',
      choices: signerChoices,
      checked: f.list('signatoryIds'),
    })}
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
    'followUp.meetingsPerYear': a.followUp.duties ? String(a.followUp.duties.meetingsPerYear) : '',
    'followUp.yearlyReport.dueDay': a.followUp.duties?.yearlyReport ? String(a.followUp.duties.yearlyReport.dueDay) : '',
    'followUp.yearlyReport.dueMonth': a.followUp.duties?.yearlyReport ? String(a.followUp.duties.yearlyReport.dueMonth) : '',
    signatoryIds: a.signatories.map((s) => s.personId),
    samverkansgruppIds: a.samverkansgrupp.map((s) => s.personId),
  };
  a.parties.forEach((p, i) => {
    v[`parties.${i}.organisationId`] = p.organisationId;
    v[`parties.${i}.contributionKr`] = p.contributionKr === null ? '' : String(p.contributionKr);
    v[`parties.${i}.shareBasisPoints`] = basisPointsToPercent(p.shareBasisPoints);
  });
  for (const key of ['address', 'gln', 'organisationNumber', 'peppolId', 'reference', 'marking'] as const) v[`invoicing.${key}`] = a.invoicing?.[key] ?? '';
  return v;
}

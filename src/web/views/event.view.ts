import type { AgreementView } from '@app/agreements/agreements.service';
import type { Actor } from '@app/audit/actor';
import { TERMINATION_GROUND_LABELS } from '@workflows/agreement/labels';
import type { ExtensionDecision, TerminationGround } from '@workflows/agreement/types';
import { TERMINATION_GROUNDS } from '@workflows/agreement/types';
import { addDays, addMonths } from '@workflows/calendar/calendar';
import { errorSummary, FormState, selectField, textArea, textField } from '../forms';
import { date, kronor, share } from '../format';
import { html, type Html } from '../html';
import { page } from '../layout';
import { amendmentConsent } from './amendment.view';
import { agreementPath } from './common';
import { documentToSign } from './document.view';
import type { KeyDates } from '@workflows/agreement/deadlines';
import { FOLLOW_UP_DUTY_LABELS } from '@workflows/agreement/labels';
import type { CalendarDate } from '@workflows/calendar/calendar';
import { CONSENT_EVENTS, eventHiddenFields, eventPath, partiesTable, TERMINATION_EVENTS, WARNING_EVENTS, type AllowedEvent } from './agreement.view';

/**
 * What a termination does, said before it is confirmed: the state it leads to, the dates that end,
 * who can see it, and that it cannot be undone.
 */
function terminationConsequences(a: AgreementView, e: AllowedEvent, today: CalendarDate, k: KeyDates): Html {
  const consents = ((a.lifecycle.terminationConsents as Array<{ organisationId: string }> | undefined) ?? []).map((c) => c.organisationId);
  const missing = a.parties.filter((p) => !consents.includes(p.organisationId) && p.organisationId !== e.organisationId);
  const when =
    e.type === 'DECLARE_TERMINATION' || missing.length === 0
      ? html`från och med i dag, <strong>${date(today)}</strong>`
      : html`den dag den sista parten samtycker (kvar: ${missing.map((p) => p.name).join(', ')})`;
  const upcoming = [
    k.decisionDue ? `beslut om förlängning senast ${k.decisionDue}` : '',
    ...k.followUps.slice(0, 2).map((f) => `${FOLLOW_UP_DUTY_LABELS[f.kind === 'follow_up_meeting' ? 'meeting' : 'yearly_report'].toLowerCase()} senast ${f.dueDate}`),
  ].filter(Boolean);
  return html`<div class="danger-zone"><h2>Det här händer</h2><ul>
    <li>Överenskommelsen blir <strong>hävd</strong> ${when}, och får tillståndet ”Hävd – ekonomisk reglering återstår”.</li>
    <li>Den gäller inte längre till och med ${date(a.endDate)}${k.latestPossibleEnd && k.latestPossibleEnd !== a.endDate ? html` och kan inte förlängas till ${date(k.latestPossibleEnd)}` : ''}.${upcoming.length ? html` Kommande datum (${upcoming.join(', ')}) och påminnelserna om dem tas bort.` : ''}</li>
    <li>Ekonomin regleras sedan så att kostnader som faktiskt uppkommit enligt överenskommelsen ersätts; nämndkansliet registrerar regleringen. Ingen part har därefter några ytterligare anspråk.</li>
    <li>Vem som gjorde det, när${e.type === 'DECLARE_TERMINATION' ? ', grunden och skälet' : ''} sparas i historiken, som alla parter, nämndkansliet och revisorerna ser på överenskommelsens sida.</li>
    <li><strong>En hävning kan inte ångras.</strong> Därefter kan bara en ny överenskommelse följa.</li>
  </ul></div>`;
}

const NEED_LABELS: Record<string, string> = { note: 'Anteckning', date: 'Datum (ÅÅÅÅ-MM-DD)', summary: 'Sammanfattning', report: 'Rapport' };

/** What a signatory agrees to, in plain Swedish, before the one button. */
function whatYouAgreeTo(a: AgreementView, e: AllowedEvent, partyName: string): Html {
  const party = a.parties.find((p) => p.organisationId === e.organisationId);
  const contribution = party?.contributionKr !== null && party?.contributionKr !== undefined ? html` ${partyName} bidrar med ${kronor(party.contributionKr)} per år (${share(party.shareBasisPoints)}, basåret), uppräknat med ${share(a.economics.indexationBasisPoints)} per nytt kalenderår.` : '';
  switch (e.type) {
    case 'SIGN':
      return html`<p>Du signerar överenskommelsen <strong>${a.title}</strong> för <strong>${partyName}</strong>. Den gäller från och med ${date(a.startDate)} till och med ${date(a.endDate)}.${contribution}</p>
        <p>När alla parter har signerat träder överenskommelsen i kraft.</p>`;
    case 'CONSENT_TO_EXTENSION': {
      const ext = a.extension;
      const decision = a.lifecycle.decision as ExtensionDecision | null;
      const newEnd = ext && a.endDate ? addMonths(a.endDate, ext.periodMonths) : null;
      const consented = (decision?.consents ?? []).map((c) => a.parties.find((p) => p.organisationId === c.organisationId)?.name ?? c.organisationId);
      return html`<p>Du samtycker för <strong>${partyName}</strong> till att <strong>${a.title}</strong> förlängs ${ext ? html`med ${ext.periodMonths} månader` : ''}:
          från och med ${date(a.endDate ? addDays(a.endDate, 1) : null)} till och med <strong>${date(newEnd)}</strong>, på samma villkor.${contribution}</p>
        ${ext ? html`<p>Det blir förlängning ${ext.used + 1} av högst ${ext.maxExtensions}.${decision ? html` Beslutet ska vara fattat senast ${date(decision.dueDate)}.` : ''}</p>` : ''}
        <p>Alla parter måste samtycka. ${consented.length ? html`Redan samtyckt: ${consented.join(', ')}.` : 'Ingen part har samtyckt ännu.'}</p>`;
    }
    case 'CONSENT_TO_TERMINATION':
      return html`<p>Du samtycker för <strong>${partyName}</strong> till att <strong>${a.title}</strong> hävs med omedelbar verkan när alla parter har samtyckt.</p>`;
    case 'AGREE_TO_AMENDMENT':
      return amendmentConsent(a, e.organisationId, partyName);
    default:
      return html``;
  }
}

function eventFields(form: FormState, a: AgreementView, e: AllowedEvent): Html {
  const reason = e.needs.includes('reason')
    ? textArea(form, { name: 'reason', label: 'Skäl', hint: 'Skälet sparas i överenskommelsens historik och visas för parterna.', required: true, rows: 5 })
    : '';
  const ground = e.needs.includes('ground')
    ? selectField(form, { name: 'ground', label: 'Grund för hävningen', choices: TERMINATION_GROUNDS.map((g: TerminationGround) => ({ value: g, label: TERMINATION_GROUND_LABELS[g] })) })
    : '';
  const lines = e.needs.includes('lines')
    ? html`${a.parties.map(
        (p, i) => html`<input type="hidden" name="lines.${i}.organisationId" value="${p.organisationId}">
          ${textField(form, { name: `lines.${i}.amountKr`, label: `Ersättning till ${p.name} (kr)`, inputmode: 'numeric', short: true })}`,
      )}${textArea(form, { name: 'note', label: 'Anteckning', rows: 3 })}`
    : '';
  // A field an event needs that this page has no special form for: a text field named as the API names it.
  const other = e.needs.filter((n) => !['reason', 'ground', 'lines'].includes(n)).map((n) => textArea(form, { name: n, label: NEED_LABELS[n] ?? n, rows: 3 }));
  return html`${ground}${reason}${lines}${other}`;
}

export function eventPage(o: { actor: Actor; agreement: AgreementView; event: AllowedEvent; form: FormState; today: CalendarDate; keyDates: KeyDates; afterPost?: boolean; document?: { hash: string; href: string } | null }): string {
  const a = o.agreement;
  const e = o.event;
  const partyName = a.parties.find((p) => p.organisationId === e.organisationId)?.name ?? o.actor.organisationName ?? '';
  const consent = (CONSENT_EVENTS as readonly string[]).includes(e.type);
  const fields = eventFields(o.form, a, e);
  const termination = TERMINATION_EVENTS.includes(e.type);
  return page({
    title: `${e.label} – ${a.title}`,
    actor: o.actor,
    body: html`<p class="muted"><a href="${agreementPath(a.id)}">${a.title}</a> › ${e.label}</p>
      <h1>${e.label}</h1>
      ${errorSummary(o.form)}
      ${consent ? html`<div class="sign-box">${whatYouAgreeTo(a, e, partyName)}</div>` : html`<p class="lead">${a.title}, ${a.stateLabel.toLowerCase()}.</p>`}
      ${termination ? terminationConsequences(a, e, o.today, o.keyDates) : ''}
      ${e.type === 'SIGN' ? documentToSign(o.document ?? null) : ''}
      ${consent ? partiesTable(a) : ''}
      <form method="post" action="${agreementPath(a.id)}/handelser" novalidate${o.afterPost ? html` data-history-url="${eventPath(a.id, e.type)}"` : ''}>
        ${eventHiddenFields(a, e)}
        ${e.type === 'SIGN' && o.document ? html`<input type="hidden" name="documentHash" value="${o.document.hash}">` : ''}
        ${fields}
        <div class="actions"><button type="submit"${WARNING_EVENTS.includes(e.type) || termination ? html` class="button-warning"` : ''}>${termination ? html`Ja, ${e.label.charAt(0).toLowerCase()}${e.label.slice(1)}` : e.label}</button>
        <a class="button button-secondary" href="${agreementPath(a.id)}">Avbryt</a></div>
      </form>`,
  });
}

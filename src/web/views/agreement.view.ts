import type { AgreementView, AllowedEvents } from '@app/agreements/agreements.service';
import type { Actor } from '@app/audit/actor';
import type { AuditEvent } from '@app/audit/audit-event.entity';
import { actorRoleLabel, DEADLINE_LABELS, FOLLOW_UP_DUTY_LABELS, historyEventLabel, STATE_LABELS, TERMINATION_GROUND_LABELS } from '@workflows/agreement/labels';
import type { AnyDeadlineKind, KeyDates } from '@workflows/agreement/deadlines';
import { DEFAULT_REMINDER_POLICY, type ReminderOffset, type ReminderPolicy } from '@workflows/agreement/reminders';
import { termsEditReader, type TermsChange } from '@workflows/agreement/terms-diff';
import type { VersionedYearProjection } from '@workflows/agreement/economics';
import type { AgreementStateCode } from '@workflows/agreement/persistence';
import { date, dateTime, kronor, share, wholeNumber } from '../format';
import { html, paragraphs, type Html } from '../html';
import { page, type Flash } from '../layout';
import type { NotificationView } from '@app/notifications/notifications.service';
import type { FollowUpView } from '@app/follow-up/follow-up.service';
import { agreementPath, stateTag } from './common';
import { followUpSection, PAGE_OF_ENDPOINT, termsVersionsSection } from './follow-up.view';
import { lifecycleSvg, lifecycleText } from './lifecycle.view';

export type AllowedEvent = AllowedEvents['events'][number];

/** Events a party's signatory confirms on a page of their own: what they agree to, and one button. */
export const CONSENT_EVENTS = ['SIGN', 'CONSENT_TO_EXTENSION', 'CONSENT_TO_TERMINATION', 'AGREE_TO_AMENDMENT'] as const;

/** Events that end or refuse something: their buttons look like it. */
export const WARNING_EVENTS: readonly string[] = ['DECLINE_INITIATIVE', 'REFUSE_EXTENSION', 'DECLARE_TERMINATION', 'RETURN_TO_DRAFT', 'REFUSE_AMENDMENT', 'WITHDRAW_AMENDMENT'];

export const eventPath = (agreementId: string, type: string): string => `${agreementPath(agreementId)}/handelser/${type}`;

/** Events that end the agreement early: on a panel of their own, last, each behind a page that says what happens. */
export const TERMINATION_EVENTS: readonly string[] = ['DECLARE_TERMINATION', 'CONSENT_TO_TERMINATION'];

/**
 * What a person is most likely expected to do next, first: their signature or consent, then the
 * secretariat's next step in the lifecycle, the follow-up, the rest; what refuses or undoes something last.
 */
const NEXT_STEP_ORDER: readonly string[] = [
  'SIGN',
  'CONSENT_TO_EXTENSION',
  'AGREE_TO_AMENDMENT',
  'SEND_FOR_SIGNING',
  'ACCEPT_INITIATIVE',
  'RECORD_SETTLEMENT',
  'SUBMIT_YEARLY_REPORT',
  'RECORD_FOLLOW_UP_MEETING',
  'UPDATE_TERMS',
  'PROPOSE_AMENDMENT',
];

const rankOf = (type: string): number => {
  if (WARNING_EVENTS.includes(type)) return 1000 + WARNING_EVENTS.indexOf(type);
  const i = NEXT_STEP_ORDER.indexOf(type);
  return i < 0 ? 500 : i;
};

/** The person's actions in the order the page shows them (termination left out: it sits apart). */
export function orderedActions(events: readonly AllowedEvent[]): AllowedEvent[] {
  return events.filter((e) => !TERMINATION_EVENTS.includes(e.type)).sort((a, b) => rankOf(a.type) - rankOf(b.type));
}

export const eventLabelOf = historyEventLabel;
const stateLabelOf = (code: string): string => STATE_LABELS[code as AgreementStateCode] ?? code;

/** The one form every action posts: type, the party acted for and the version seen. */
export function eventHiddenFields(agreement: Pick<AgreementView, 'rowVersion'>, e: AllowedEvent): Html {
  return html`<input type="hidden" name="type" value="${e.type}">
    ${e.organisationId ? html`<input type="hidden" name="organisationId" value="${e.organisationId}">` : ''}
    ${e.declaredBy ? html`<input type="hidden" name="declaredBy" value="${e.declaredBy}">` : ''}
    <input type="hidden" name="expectedVersion" value="${agreement.rowVersion}">`;
}

function actionItem(a: AgreementView, e: AllowedEvent, next: boolean): Html {
  const onBehalf = e.organisationId ? a.parties.find((p) => p.organisationId === e.organisationId)?.name : null;
  const who = onBehalf ? html`<p class="muted">För ${onBehalf}.</p>` : '';
  // The expected next step is the one primary button; a step that refuses or undoes something is never green.
  const look = WARNING_EVENTS.includes(e.type) ? ' button-warning' : next ? '' : ' button-secondary';
  const card = (body: Html): Html => html`<div class="action-card${next ? ' action-next' : ''}">${next ? html`<p class="next-label">Ditt nästa steg</p>` : ''}<h3>${e.label}</h3>${who}${body}</div>`;
  if (e.type === 'UPDATE_TERMS') {
    return card(html`<p>Ändra villkor, parter, ekonomi och giltighet, eller överenskommelsens text.</p><a class="button${look}" href="${agreementPath(a.id)}/andra">Ändra villkoren</a> <a class="button button-secondary" href="${agreementPath(a.id)}/dokument/andra">Skriv texten</a>`);
  }
  if (e.endpoint) {
    // Follow-up and amendments have API endpoints of their own, and form pages of their own.
    const path = PAGE_OF_ENDPOINT[e.endpoint];
    return card(html`${ENDPOINT_WORDS[e.endpoint] ? html`<p>${ENDPOINT_WORDS[e.endpoint]}</p>` : ''}${path ? html`<a class="button${look}" href="${agreementPath(a.id)}${path}">${e.label}<span class="visually-hidden"> – ${a.title}</span></a>` : html`<p>Görs med API:t (<code>POST /agreements/:id${e.endpoint}</code>).</p>`}`);
  }
  if ((CONSENT_EVENTS as readonly string[]).includes(e.type) || e.needs.length > 0) {
    return card(html`${e.needs.includes('reason') ? html`<p>Kräver att du anger ett skäl.</p>` : ''}<a class="button${look}" href="${eventPath(a.id, e.type)}">${e.label}<span class="visually-hidden"> – ${a.title}</span></a>`);
  }
  return card(html`<form method="post" action="${agreementPath(a.id)}/handelser">${eventHiddenFields(a, e)}<button type="submit"${look ? html` class="${look.trim()}"` : ''}>${e.label}</button></form>`);
}

const ENDPOINT_WORDS: Record<string, string> = {
  '/follow-up/meetings': 'Datum, vilka som deltog och anteckningar.',
  '/follow-up/reports': 'Fritext och sammanräknade siffror för året, inga personuppgifter.',
  '/amendments': 'Ny ekonomi från ett kommande år, som varje part godkänner.',
};

function actions(a: AgreementView, allowed: AllowedEvents): Html {
  const clock = allowed.clockEvents.map((c) => c.label.toLowerCase());
  const shown = orderedActions(allowed.events);
  return html`<section aria-labelledby="rubrik-atgarder"><h2 id="rubrik-atgarder">Det här kan du göra nu</h2>
    ${shown.length ? html`<div class="actions">${shown.map((e, i) => actionItem(a, e, i === 0))}</div>` : html`<p>Det finns inget för dig att göra i överenskommelsen just nu.</p>`}
    ${clock.length ? html`<p class="muted">Datumbevakningen sköter: ${clock.join(', ')}.</p>` : ''}</section>`;
}

/** Termination apart, last: what it means, and a link to the page that says what happens before anything is posted. */
function terminationPanel(a: AgreementView, allowed: AllowedEvents): Html {
  const events = allowed.events.filter((e) => TERMINATION_EVENTS.includes(e.type));
  if (events.length === 0) return html``;
  return html`<section aria-labelledby="rubrik-havning" class="danger-zone"><h2 id="rubrik-havning">Häva överenskommelsen</h2>
    <p>En hävning avslutar överenskommelsen i förtid och kan inte ångras. Nästa sida visar vad som händer; inget sparas förrän du bekräftar där.</p>
    <ul class="plain">${events.map((e) => {
      const onBehalf = e.organisationId ? a.parties.find((p) => p.organisationId === e.organisationId)?.name : null;
      return html`<li><a class="button button-secondary" href="${eventPath(a.id, e.type)}">${e.label}${onBehalf ? ` för ${onBehalf}` : ''}<span class="visually-hidden"> – ${a.title}</span></a></li>`;
    })}</ul></section>`;
}

const periodWords = (months: number): string => (months % 12 === 0 ? `${months / 12} år` : `${months} ${months === 1 ? 'månad' : 'månader'}`);

function remainingWords(n: number): string {
  if (n === 0) return 'ingen förlängning återstår';
  if (n === 1) return 'om den återstående förlängningen används';
  if (n === 2) return 'om båda återstående förlängningarna används';
  return `om alla ${n} återstående förlängningarna används`;
}

/** The dates the agreement is read by, each with what it is for. */
export function keyDatesSection(a: AgreementView, k: KeyDates): Html {
  const ext = a.extension;
  const terminated = a.state.startsWith('terminated');
  const next = a.nextDeadline;
  const nextWords = next ? (DEADLINE_LABELS as Record<string, string>)[next.kind as AnyDeadlineKind] : null;
  const rows: Html[] = [];
  if (next) rows.push(html`<dt>Nästa datum</dt><dd><strong>${date(next.date)}</strong>${nextWords ? `, ${nextWords}` : ''}</dd>`);
  rows.push(html`<dt>Startdatum</dt><dd>${k.start ? html`${date(k.start)}, gäller från och med` : 'inte bestämt'}</dd>`);
  rows.push(
    terminated
      ? html`<dt>Hävd</dt><dd>${date(k.end)}, gäller inte längre</dd>`
      : html`<dt>Slutdatum</dt><dd>${k.end ? html`${date(k.end)}, gäller till och med${a.state === 'expired' ? ' (har gått ut)' : ''}` : 'inte bestämt'}</dd>`,
  );
  if (k.decisionDue) {
    rows.push(html`<dt>Förlängning</dt><dd>Beslut om förlängning senast <strong class="nowrap">${date(k.decisionDue)}</strong>${ext ? html` (förlängning ${k.decisionCycle} av högst ${ext.maxExtensions}, ${periodWords(ext.periodMonths)} i taget${k.decisionOpens ? html`; beslutet kan fattas från och med ${date(k.decisionOpens)}` : ''})` : ''}</dd>`);
  } else if (ext && !terminated && a.state !== 'declined') {
    rows.push(html`<dt>Förlängning</dt><dd>${a.state === 'extensionRefused' ? 'Förlängs inte.' : 'Ingen förlängning återstår; därefter behövs en ny överenskommelse.'}</dd>`);
  }
  if (k.latestPossibleEnd && !terminated) {
    rows.push(html`<dt>Kan som längst gälla till</dt><dd>${date(k.latestPossibleEnd)}${k.extensionsRemaining > 0 ? `, ${remainingWords(k.extensionsRemaining)}` : ''}${ext ? ` (${ext.used} av ${ext.maxExtensions} förlängningar använda)` : ''}</dd>`);
  }
  if (k.followUps.length) {
    const nextOfEach = ['follow_up_meeting', 'yearly_report'].map((kind) => k.followUps.find((f) => f.kind === kind)).filter((f) => f !== undefined);
    rows.push(html`<dt>Uppföljning</dt><dd><ul class="plain">${nextOfEach.map(
      (f) => html`<li>${FOLLOW_UP_DUTY_LABELS[f.kind === 'follow_up_meeting' ? 'meeting' : 'yearly_report']} för ${f.year} senast <strong class="nowrap">${date(f.dueDate)}</strong>${f.overdue ? html` <span class="tag tag-overdue">Försenad</span>` : ''}</li>`,
    )}</ul></dd>`);
  }
  return html`<section aria-labelledby="rubrik-datum"><h2 id="rubrik-datum">Viktiga datum</h2><dl class="facts key-dates">${rows}</dl></section>`;
}

function terms(a: AgreementView): Html {
  const ext = a.extension;
  return html`<section aria-labelledby="rubrik-villkor"><h2 id="rubrik-villkor">Villkor</h2>
    <dl class="facts">
      <dt>Syfte</dt><dd class="text">${paragraphs(a.purpose)}</dd>
      <dt>Målgrupp</dt><dd class="text">${paragraphs(a.targetGroup)}</dd>
      <dt>Verksamhet</dt><dd class="text">${paragraphs(a.activities)}</dd>
      <dt>Platser</dt><dd>${a.places === null ? '–' : wholeNumber(a.places)}${a.placeCategory ? html` (${a.placeCategory})` : ''}</dd>
      <dt>Nämnd</dt><dd>${a.committee ?? '–'}</dd>
      <dt>Gäller</dt><dd>${a.startDate ? html`från och med ${date(a.startDate)} till och med ${date(a.endDate)}` : 'inte bestämt'}</dd>
      <dt>Förlängning</dt><dd>${ext ? html`${wholeNumber(ext.periodMonths)} månader i taget, högst ${ext.maxExtensions} gånger (${ext.used} använda). Beslut senast ${ext.decisionNoticeMonths} månader före utgången.` : 'inte angivet'}</dd>
      ${a.invoicing?.marking ? html`<dt>Fakturamärkning</dt><dd>${a.invoicing.marking}${a.invoicing.reference ? html`, referens ${a.invoicing.reference}` : ''}</dd>` : ''}
    </dl></section>`;
}

/** A table that may be wider than a phone: it scrolls inside its own box (reachable by keyboard), never the page. */
export const scrollBox = (label: string, table: Html): Html => html`<div class="table-scroll" role="region" aria-label="${label}" tabindex="0">${table}</div>`;

export function partiesTable(a: AgreementView): Html {
  return scrollBox('Parter', partiesTableOnly(a));
}

function partiesTableOnly(a: AgreementView): Html {
  return html`<table><caption>Parter</caption>
    <thead><tr><th scope="col">Part</th><th scope="col">Organisationsnummer</th><th scope="col" class="num">Bidrag per år</th><th scope="col" class="num">Andel</th><th scope="col">Signerat</th></tr></thead>
    <tbody>${a.parties.map(
      (p) => html`<tr><th scope="row">${p.name}<br><span class="muted">${p.kind === 'municipality' ? 'kommun' : 'idéburen organisation'}</span></th>
        <td class="nowrap">${p.organisationNumber}</td><td class="num">${kronor(p.contributionKr)}</td><td class="num">${share(p.shareBasisPoints)}</td>
        <td>${p.signed ? html`<span class="tag tag-ok">Signerat</span>` : 'Nej'}</td></tr>`,
    )}</tbody></table>`;
}

function people(a: AgreementView): Html {
  const orgName = (id: string): string => a.parties.find((p) => p.organisationId === id)?.name ?? '';
  const list = (ps: AgreementView['signatories']): Html =>
    ps.length ? html`<ul>${ps.map((p) => html`<li>${p.name}, ${orgName(p.organisationId)}</li>`)}</ul>` : html`<p>Ingen angiven.</p>`;
  return html`<div class="cols"><div><h3>Firmatecknare</h3>${list(a.signatories)}</div><div><h3>Samverkansgrupp</h3>${list(a.samverkansgrupp)}</div></div>`;
}

function economics(a: AgreementView, years: VersionedYearProjection[]): Html {
  const e = a.economics;
  const parties = years[0]?.perParty ?? [];
  return html`<section aria-labelledby="rubrik-ekonomi"><h2 id="rubrik-ekonomi">Ekonomi</h2>
    ${e.costLines.length
      ? html`<div class="table-scroll" role="region" aria-label="Kostnader per kalenderår" tabindex="0"><table><caption>Kostnader per kalenderår (basåret)</caption><thead><tr><th scope="col">Kostnad</th><th scope="col" class="num">Belopp</th></tr></thead>
      <tbody>${e.costLines.map((l) => html`<tr><td>${l.label}</td><td class="num">${kronor(l.amountKr)}</td></tr>`)}</tbody>
      <tfoot><tr><th scope="row">Summa</th><td class="num">${kronor(e.totalKr)}</td></tr></tfoot></table></div>`
      : html`<p>Inga kostnader angivna.</p>`}
    <p>Kostnaderna räknas upp med ${share(e.indexationBasisPoints)} för varje nytt kalenderår.</p>
    ${years.length
      ? html`<div class="table-scroll" role="region" aria-label="Beräknad ekonomi per år och part" tabindex="0"><table><caption>Beräknad ekonomi per år och part, med uppräkning och alla möjliga förlängningar</caption>
      <thead><tr><th scope="col">År</th>${parties.map((p) => html`<th scope="col" class="num">${p.name}</th>`)}<th scope="col" class="num">Totalt</th><th scope="col" class="num">Villkorsversion</th></tr></thead>
      <tbody>${years.map((y) => html`<tr><th scope="row">${y.year}</th>${y.perParty.map((p) => html`<td class="num">${kronor(p.amountKr)}</td>`)}<td class="num">${kronor(y.totalKr)}</td><td class="num">${y.termsVersion}</td></tr>`)}</tbody></table></div>`
      : ''}</section>`;
}

/** What a terms edit changed, as a small table: field, before, after. */
export function changesTable(changes: readonly TermsChange[]): Html {
  if (changes.length === 0) return html`<br><span class="muted">Inga ändrade villkor.</span>`;
  return scrollBox('Ändrade villkor', html`<table class="changes"><caption class="visually-hidden">Ändrade villkor</caption>
    <thead><tr><th scope="col">Fält</th><th scope="col">Före</th><th scope="col">Efter</th></tr></thead>
    <tbody>${changes.map((c) => html`<tr><th scope="row">${c.field}</th><td>${c.before}</td><td>${c.after}</td></tr>`)}</tbody></table>`);
}

function timelineEntry(e: AuditEvent, changes: TermsChange[] | null): Html {
  const system = e.actorRole === 'system';
  const moved = e.fromState !== e.toState && e.fromState !== '';
  return html`<li class="${e.outcome === 'refused' || e.outcome === 'forbidden' ? 'refused' : system ? 'system' : 'person'}">
    <span class="when">${dateTime(e.occurredAt)}</span> – <strong>${eventLabelOf(e.eventType)}</strong>${e.outcome === 'refused' ? html` <span class="tag tag-overdue">Nekades</span>` : ''}${e.outcome === 'forbidden' ? html` <span class="tag tag-overdue">Inte tillåten</span>` : ''}${e.outcome === 'skipped' ? html` <span class="tag tag-warn">Hoppades över</span>` : ''}<br>
    ${system ? e.actorName : html`${e.actorName} (${actorRoleLabel(e.actorRole)}${e.actorOrganisationName ? html`, ${e.actorOrganisationName}` : ''})`}
    ${moved ? html`<br><span class="muted">${stateLabelOf(e.fromState)} → ${stateLabelOf(e.toState)}</span>` : ''}
    ${e.reason ? html`<br>Skäl: ${e.reason}` : ''}
    ${changes ? changesTable(changes) : ''}
  </li>`;
}

export function timeline(agreementId: string, events: AuditEvent[]): Html {
  const read = termsEditReader();
  return html`<section aria-labelledby="rubrik-historik"><h2 id="rubrik-historik">Historik</h2>
    <p><a href="${agreementPath(agreementId)}/historik.csv" download>Ladda ner historiken som CSV</a> (för Excel: semikolon, med hashkedjan). Tider i svensk tid.</p>
    <ol class="timeline">${events.map((e) => timelineEntry(e, read(e)))}</ol></section>`;
}

const POLICY_ROWS: Array<[keyof ReminderPolicy, string]> = [
  ['decisionDueBefore', 'Före sista dag för beslut om förlängning (till samverkansgruppen och nämndkansliet)'],
  ['overdueEscalationAfter', 'Efter en passerad beslutsdag (till nämndkansliet)'],
  ['newAgreementNeededBefore', 'Före slutdatum när ingen förlängning återstår (en ny överenskommelse behövs)'],
  ['signatureMissingAfter', 'Efter att överenskommelsen skickats för signering (till den som inte signerat)'],
  ['followUpDueBefore', 'Före en uppföljningsplikt (möte, årsrapport)'],
  ['followUpOverdueAfter', 'Efter att en uppföljningsplikt blivit försenad (till nämndkansliet)'],
];

export const REMINDER_POLICY_ROWS = POLICY_ROWS;

/** One offset in words: "1 månad", "2 veckor", "på dagen". */
export function offsetWords(o: ReminderOffset): string {
  const parts = [
    o.months ? `${o.months} ${o.months === 1 ? 'månad' : 'månader'}` : '',
    o.weeks ? `${o.weeks} ${o.weeks === 1 ? 'vecka' : 'veckor'}` : '',
    o.days ? `${o.days} ${o.days === 1 ? 'dag' : 'dagar'}` : '',
  ].filter(Boolean);
  return parts.length ? parts.join(' ') : 'på dagen';
}

export const offsetsWords = (list: readonly ReminderOffset[]): string => (list.length ? list.map(offsetWords).join(', ') : 'inga påminnelser');

export const REMINDER_POLICY_PATH = '/paminnelser';

/** When people are reminded about this agreement: each list, the default or this agreement's own; changed by the secretariat. */
function reminderPolicySection(a: AgreementView, policy: Partial<ReminderPolicy> | null, mayChange: boolean): Html {
  return html`<section aria-labelledby="rubrik-paminnelsepolicy"><h2 id="rubrik-paminnelsepolicy">När påminnelser skickas</h2>
    <dl class="facts">${POLICY_ROWS.map(([key, label]) => {
      const own = policy?.[key];
      return html`<dt>${label}</dt><dd>${offsetsWords(own ?? DEFAULT_REMINDER_POLICY[key])}${own ? html` <span class="tag tag-warn">Ändrad för den här överenskommelsen</span>` : html` <span class="muted">(standard)</span>`}</dd>`;
    })}</dl>
    ${mayChange ? html`<p><a class="button button-secondary" href="${agreementPath(a.id)}${REMINDER_POLICY_PATH}">Ändra påminnelserna<span class="visually-hidden"> – ${a.title}</span></a></p>` : ''}</section>`;
}

function reminders(rows: NotificationView[]): Html {
  return html`<section aria-labelledby="rubrik-paminnelser"><h2 id="rubrik-paminnelser">Påminnelser och utskick</h2>
    ${rows.length
      ? html`<div class="table-scroll" role="region" aria-label="Utskick om överenskommelsen" tabindex="0"><table><caption class="visually-hidden">Utskick om överenskommelsen, senaste först</caption>
      <thead><tr><th scope="col">Skapad</th><th scope="col">Mottagare</th><th scope="col">Ämne</th><th scope="col">Leverans</th></tr></thead>
      <tbody>${rows.map(
        (r) => html`<tr><td class="nowrap">${dateTime(r.createdAt)}</td><td>${r.recipientName ? html`${r.recipientName}<br>` : ''}<span class="muted">${r.recipient}</span></td><td>${r.subject}</td>
          <td><span class="tag ${r.state === 'failed' || r.state === 'possibly_delivered' ? 'tag-overdue' : r.state === 'sent' ? 'tag-ok' : 'tag-warn'}">${r.stateLabel}</span>${r.sentAt ? html`<br>${dateTime(r.sentAt)}` : ''}${r.attempts > 1 ? html`<br>${r.attempts} försök` : ''}${r.lastError && r.state !== 'sent' ? html`<br><span class="muted">${r.lastError}</span>` : ''}</td></tr>`,
      )}</tbody></table></div>`
      : html`<p>Inga påminnelser har skickats om överenskommelsen.</p>`}</section>`;
}

export interface AgreementPage {
  actor: Actor;
  agreement: AgreementView;
  years: VersionedYearProjection[];
  allowed: AllowedEvents;
  history: AuditEvent[];
  reminders: NotificationView[];
  followUp: FollowUpView;
  keyDates: KeyDates;
  reminderPolicy: Partial<ReminderPolicy> | null;
  /** The secretariat changes when people are reminded (the rules' SET_REMINDER_POLICY). */
  mayChangeReminders: boolean;
  flash: Flash | null;
  /** The agreement's documents (src/web/views/document.view.ts). */
  documents?: Html;
}

export function agreementPage(v: AgreementPage): string {
  const a = v.agreement;
  const termination = a.lifecycle.termination as { ground?: keyof typeof TERMINATION_GROUND_LABELS | null } | null;
  return page({
    title: a.title,
    actor: v.actor,
    flash: v.flash,
    body: html`<p class="muted"><a href="/portfolj">Portfölj</a> › ${a.title}</p>
      <h1>${a.title}</h1>
      <p class="lead">${stateTag(a.state, a.stateLabel)}${a.diarienummer ? html` <span class="muted">dnr ${a.diarienummer}</span>` : ''}${a.endDate ? html` – gäller till och med ${date(a.endDate)}` : ''}</p>
      ${termination?.ground ? html`<p>Hävd på grund av: ${TERMINATION_GROUND_LABELS[termination.ground]}.</p>` : ''}
      ${actions(a, v.allowed)}
      ${keyDatesSection(a, v.keyDates)}
      ${terms(a)}
      ${v.documents ?? ''}
      <section aria-labelledby="rubrik-parter"><h2 id="rubrik-parter">Parter och firmatecknare</h2>${partiesTable(a)}${people(a)}</section>
      ${economics(a, v.years)}
      ${termsVersionsSection(a)}
      ${followUpSection(a, v.followUp)}
      <section aria-labelledby="rubrik-livscykel"><h2 id="rubrik-livscykel">Livscykel</h2>
        <p>Diagrammet är genererat ur livscykelmaskinen. Det mörkfyllda tillståndet är det nuvarande: <strong>${a.stateLabel}</strong>.</p>
        <div class="diagram">${lifecycleSvg(a.state)}</div>
        <details><summary>Livscykeln som text</summary>${lifecycleText(a.state)}</details>
      </section>
      ${reminderPolicySection(a, v.reminderPolicy, v.mayChangeReminders)}
      ${timeline(a.id, v.history)}
      ${reminders(v.reminders)}
      ${terminationPanel(a, v.allowed)}`,
  });
}

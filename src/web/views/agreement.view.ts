import type { AgreementView, AllowedEvents } from '@app/agreements/agreements.service';
import type { Actor } from '@app/audit/actor';
import type { AuditEvent } from '@app/audit/audit-event.entity';
import { EVENT_LABELS, STATE_LABELS, TERMINATION_GROUND_LABELS } from '@workflows/agreement/labels';
import type { VersionedYearProjection } from '@workflows/agreement/economics';
import type { AgreementStateCode } from '@workflows/agreement/persistence';
import { date, dateTime, kronor, share, wholeNumber } from '../format';
import { html, type Html } from '../html';
import { page, roleWords, type Flash } from '../layout';
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

const OTHER_EVENT_LABELS: Record<string, string> = {
  PROPOSE_INITIATIVE: 'Initiativ registrerat',
  SET_REMINDER_POLICY: 'Påminnelser ändrade',
};

export const eventLabelOf = (type: string): string => (EVENT_LABELS as Record<string, string>)[type] ?? OTHER_EVENT_LABELS[type] ?? type;
const stateLabelOf = (code: string): string => STATE_LABELS[code as AgreementStateCode] ?? code;

/** The one form every action posts: type, the party acted for and the version seen. */
export function eventHiddenFields(agreement: Pick<AgreementView, 'rowVersion'>, e: AllowedEvent): Html {
  return html`<input type="hidden" name="type" value="${e.type}">
    ${e.organisationId ? html`<input type="hidden" name="organisationId" value="${e.organisationId}">` : ''}
    ${e.declaredBy ? html`<input type="hidden" name="declaredBy" value="${e.declaredBy}">` : ''}
    <input type="hidden" name="expectedVersion" value="${agreement.rowVersion}">`;
}

function actionItem(a: AgreementView, e: AllowedEvent): Html {
  const onBehalf = e.organisationId ? a.parties.find((p) => p.organisationId === e.organisationId)?.name : null;
  const who = onBehalf ? html`<p class="muted">För ${onBehalf}.</p>` : '';
  if (e.type === 'UPDATE_TERMS') {
    return html`<div class="action-card"><h3>${e.label}</h3><p>Ändra villkor, parter, ekonomi och giltighet.</p><a class="button button-secondary" href="${agreementPath(a.id)}/andra">Ändra villkoren</a></div>`;
  }
  if (e.endpoint) {
    // Follow-up and amendments have API endpoints of their own, and form pages of their own.
    const path = PAGE_OF_ENDPOINT[e.endpoint];
    return html`<div class="action-card"><h3>${e.label}</h3>${who}${ENDPOINT_WORDS[e.endpoint] ? html`<p>${ENDPOINT_WORDS[e.endpoint]}</p>` : ''}${path ? html`<a class="button" href="${agreementPath(a.id)}${path}">${e.label}<span class="visually-hidden"> – ${a.title}</span></a>` : html`<p>Görs med API:t (<code>POST /agreements/:id${e.endpoint}</code>).</p>`}</div>`;
  }
  if ((CONSENT_EVENTS as readonly string[]).includes(e.type) || e.needs.length > 0) {
    return html`<div class="action-card"><h3>${e.label}</h3>${who}${e.needs.includes('reason') ? html`<p>Kräver att du anger ett skäl.</p>` : ''}<a class="button${WARNING_EVENTS.includes(e.type) ? ' button-warning' : ''}" href="${eventPath(a.id, e.type)}">${e.label}<span class="visually-hidden"> – ${a.title}</span></a></div>`;
  }
  return html`<div class="action-card"><h3>${e.label}</h3>${who}
    <form method="post" action="${agreementPath(a.id)}/handelser">${eventHiddenFields(a, e)}<button type="submit">${e.label}</button></form></div>`;
}

const ENDPOINT_WORDS: Record<string, string> = {
  '/follow-up/meetings': 'Datum, vilka som deltog och anteckningar.',
  '/follow-up/reports': 'Fritext och sammanräknade siffror för året, inga personuppgifter.',
  '/amendments': 'Ny ekonomi från ett kommande år, som varje part godkänner.',
};

function actions(a: AgreementView, allowed: AllowedEvents): Html {
  const clock = allowed.clockEvents.map((c) => c.label.toLowerCase());
  return html`<section aria-labelledby="rubrik-atgarder"><h2 id="rubrik-atgarder">Det här kan du göra nu</h2>
    ${allowed.events.length ? html`<div class="actions">${allowed.events.map((e) => actionItem(a, e))}</div>` : html`<p>Det finns inget för dig att göra i överenskommelsen just nu.</p>`}
    ${clock.length ? html`<p class="muted">Datumbevakningen sköter: ${clock.join(', ')}.</p>` : ''}</section>`;
}

function terms(a: AgreementView): Html {
  const ext = a.extension;
  return html`<section aria-labelledby="rubrik-villkor"><h2 id="rubrik-villkor">Villkor</h2>
    <dl class="facts">
      <dt>Syfte</dt><dd>${a.purpose || '–'}</dd>
      <dt>Målgrupp</dt><dd>${a.targetGroup || '–'}</dd>
      <dt>Verksamhet</dt><dd>${a.activities || '–'}</dd>
      <dt>Platser</dt><dd>${a.places === null ? '–' : wholeNumber(a.places)}${a.placeCategory ? html` (${a.placeCategory})` : ''}</dd>
      <dt>Nämnd</dt><dd>${a.committee ?? '–'}</dd>
      <dt>Gäller</dt><dd>${a.startDate ? html`från och med ${date(a.startDate)} till och med ${date(a.endDate)}` : 'inte bestämt'}</dd>
      <dt>Förlängning</dt><dd>${ext ? html`${wholeNumber(ext.periodMonths)} månader i taget, högst ${ext.maxExtensions} gånger (${ext.used} använda). Beslut senast ${ext.decisionNoticeMonths} månader före utgången.` : 'inte angivet'}</dd>
      <dt>Kan som längst gälla till</dt><dd>${date(a.latestPossibleEnd)}</dd>
      <dt>Nästa datum</dt><dd>${a.nextDeadline ? date(a.nextDeadline.date) : '–'}</dd>
      ${a.invoicing?.marking ? html`<dt>Fakturamärkning</dt><dd>${a.invoicing.marking}${a.invoicing.reference ? html`, referens ${a.invoicing.reference}` : ''}</dd>` : ''}
    </dl></section>`;
}

export function partiesTable(a: AgreementView): Html {
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
      ? html`<table><caption>Kostnader per kalenderår (basåret)</caption><thead><tr><th scope="col">Kostnad</th><th scope="col" class="num">Belopp</th></tr></thead>
      <tbody>${e.costLines.map((l) => html`<tr><td>${l.label}</td><td class="num">${kronor(l.amountKr)}</td></tr>`)}</tbody>
      <tfoot><tr><th scope="row">Summa</th><td class="num">${kronor(e.totalKr)}</td></tr></tfoot></table>`
      : html`<p>Inga kostnader angivna.</p>`}
    <p>Kostnaderna räknas upp med ${share(e.indexationBasisPoints)} för varje nytt kalenderår.</p>
    ${years.length
      ? html`<table><caption>Beräknad ekonomi per år och part, med uppräkning och alla möjliga förlängningar</caption>
      <thead><tr><th scope="col">År</th>${parties.map((p) => html`<th scope="col" class="num">${p.name}</th>`)}<th scope="col" class="num">Totalt</th><th scope="col" class="num">Villkorsversion</th></tr></thead>
      <tbody>${years.map((y) => html`<tr><th scope="row">${y.year}</th>${y.perParty.map((p) => html`<td class="num">${kronor(p.amountKr)}</td>`)}<td class="num">${kronor(y.totalKr)}</td><td class="num">${y.termsVersion}</td></tr>`)}</tbody></table>`
      : ''}</section>`;
}

function timelineEntry(e: AuditEvent): Html {
  const system = e.actorRole === 'system';
  const moved = e.fromState !== e.toState;
  return html`<li class="${e.outcome === 'refused' ? 'refused' : system ? 'system' : 'person'}">
    <span class="when">${dateTime(e.occurredAt)}</span> – <strong>${eventLabelOf(e.eventType)}</strong>${e.outcome === 'refused' ? html` <span class="tag tag-overdue">Nekades</span>` : ''}${e.outcome === 'skipped' ? html` <span class="tag tag-warn">Hoppades över</span>` : ''}<br>
    ${system ? e.actorName : html`${e.actorName} (${roleWords([e.actorRole])}${e.actorOrganisationName ? html`, ${e.actorOrganisationName}` : ''})`}
    ${moved ? html`<br><span class="muted">${stateLabelOf(e.fromState)} → ${stateLabelOf(e.toState)}</span>` : ''}
    ${e.reason ? html`<br>Skäl: ${e.reason}` : ''}
  </li>`;
}

export function timeline(agreementId: string, events: AuditEvent[]): Html {
  return html`<section aria-labelledby="rubrik-historik"><h2 id="rubrik-historik">Historik</h2>
    <p><a href="${agreementPath(agreementId)}/historik.csv" download>Ladda ner historiken som CSV</a> (med hashkedjan)</p>
    <ol class="timeline">${events.map(timelineEntry)}</ol></section>`;
}

function reminders(rows: NotificationView[]): Html {
  return html`<section aria-labelledby="rubrik-paminnelser"><h2 id="rubrik-paminnelser">Påminnelser och utskick</h2>
    ${rows.length
      ? html`<table><caption class="visually-hidden">Utskick om överenskommelsen, senaste först</caption>
      <thead><tr><th scope="col">Skapad</th><th scope="col">Mottagare</th><th scope="col">Ämne</th><th scope="col">Leverans</th></tr></thead>
      <tbody>${rows.map(
        (r) => html`<tr><td class="nowrap">${dateTime(r.createdAt)}</td><td>${r.recipientName ? html`${r.recipientName}<br>` : ''}<span class="muted">${r.recipient}</span></td><td>${r.subject}</td>
          <td><span class="tag ${r.state === 'failed' || r.state === 'possibly_delivered' ? 'tag-overdue' : r.state === 'sent' ? 'tag-ok' : 'tag-warn'}">${r.stateLabel}</span>${r.sentAt ? html`<br>${dateTime(r.sentAt)}` : ''}${r.attempts > 1 ? html`<br>${r.attempts} försök` : ''}${r.lastError && r.state !== 'sent' ? html`<br><span class="muted">${r.lastError}</span>` : ''}</td></tr>`,
      )}</tbody></table>`
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
  flash: Flash | null;
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
      ${terms(a)}
      <section aria-labelledby="rubrik-parter"><h2 id="rubrik-parter">Parter och firmatecknare</h2>${partiesTable(a)}${people(a)}</section>
      ${economics(a, v.years)}
      ${termsVersionsSection(a)}
      ${followUpSection(a, v.followUp)}
      <section aria-labelledby="rubrik-livscykel"><h2 id="rubrik-livscykel">Livscykel</h2>
        <p>Diagrammet är genererat ur livscykelmaskinen. Det mörkfyllda tillståndet är det nuvarande: <strong>${a.stateLabel}</strong>.</p>
        <div class="diagram">${lifecycleSvg(a.state)}</div>
        <details><summary>Livscykeln som text</summary>${lifecycleText(a.state)}</details>
      </section>
      ${timeline(a.id, v.history)}
      ${reminders(v.reminders)}`,
  });
}

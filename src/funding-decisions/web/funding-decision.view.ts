import { pager } from '@app/web/views/pager';
import type { AnyStateNode } from 'xstate';
import type { CommitteeMeeting } from '@workflows/calendar/meetings';
import { fundingDecisionDefinition } from '@workflows/funding-decision/definition';
import { EVENT_LABELS, FOLLOW_UP_KIND_LABELS, OUTCOME_LABELS, STATE_LABELS } from '@workflows/funding-decision/labels';
import { fundingDecisionMachine } from '@workflows/funding-decision/machine';
import {
  ALL_STATE_CODES,
  DECISION_OUTCOMES,
  FOLLOW_UP_KINDS,
  type AgendaExit,
  type CommitteeDecision,
  type FollowUpRecord,
  type FundingDecisionStateCode,
  type FundingProposal,
  type OverdueFollowUp,
} from '@workflows/funding-decision/types';
import type { Actor } from '@app/audit/actor';
import type { AuditEvent } from '@app/audit/audit-event.entity';
import type { Organisation } from '@app/organisations/organisation.entity';
import type { PersonRow } from '@app/web/web-read.service';
import { errorSummary, fieldset, FormState, formTokenField, selectField, textArea, textField, checkboxGroup, type Choice } from '@app/web/forms';
import { indexesOf } from '@app/web/form-input';
import { date, kronor, wholeNumber } from '@app/web/format';
import { html, type Html } from '@app/web/html';
import { page, type Flash } from '@app/web/layout';
import { caseHistory } from '@app/web/views/case-history.view';
import { heading } from '@app/web/views/common';
import { machineSvg, machineText, type DiagramSpec } from '@app/web/views/lifecycle.view';
import type { FundingDecisionView } from '../dto/funding-decision.dto';
import { FUNDING_LIST_PATH, fundingDecisionPath } from '../funding-decision.kind';

export { FUNDING_LIST_PATH };

export const FUNDING_NEW_PATH = '/beslut-om-medel/ny';
export const FUNDING_DIAGRAM_PATH = '/beslut-om-medel/diagram';
export const eventsPath = (id: string): string => `${fundingDecisionPath(id)}/handelser`;
/** The form for changing the proposal (UPDATE_PROPOSAL) while the case is in preparation. */
export const proposalPath = (id: string): string => `${fundingDecisionPath(id)}/forslag`;

/** How many rows of recipients and follow-ups the proposal's form offers at least; empty rows are left out. */
export const RECIPIENT_ROWS = 6;
export const FOLLOW_UP_ROWS = 3;

/** The actions with a form on the case page, in the order they are offered: the ordinary course first, withdrawing last. */
export const PAGE_ACTIONS = ['PLACE_ON_AGENDA', 'DECIDE', 'SEND_DECISION', 'RECORD_FOLLOW_UP', 'REFER_BACK', 'TAKE_OFF_AGENDA', 'WITHDRAW'] as const;
export type PageAction = (typeof PAGE_ACTIONS)[number];

/** Ends the case or undoes a step: never the first button, never the green one. */
const DESTRUCTIVE: readonly PageAction[] = ['WITHDRAW'];

const STATE_CHOICES: Choice[] = ALL_STATE_CODES.map((c) => ({ value: c, label: STATE_LABELS[c] }));

const stateLabel = (code: string): string => STATE_LABELS[code as FundingDecisionStateCode] ?? code;

const stateTag = (v: Pick<FundingDecisionView, 'state' | 'stateLabel'>): Html =>
  html`<span class="tag ${v.state === 'withdrawn' || v.state === 'refused' ? 'tag-warn' : v.state === 'closed' ? 'tag-ok' : 'tag-state'}">${v.stateLabel}</span>`;

export const meetingLabel = (m: CommitteeMeeting): string => `${m.committee} ${m.date} (handlingar senast ${m.papersDueOn})`;

/** The words of the history: the definition's labels, and the kind's own commands. */
const HISTORY_WORDS = {
  event: (type: string): string => (type === 'PREPARE' ? 'Förslag till beslut registrerat' : ((EVENT_LABELS as Record<string, string>)[type] ?? type)),
  state: stateLabel,
};

// ---------------------------------------------------------------- the list

export function fundingListPage(v: {
  actor: Actor;
  rows: FundingDecisionView[];
  /** Every decision in the state, counted apart from the page; null for those who see only their own. */
  total: number | null;
  path: string;
  next: string | null;
  onLaterPage: boolean;
  state: string;
  mayPrepare: boolean;
  flash?: Flash | null;
}): string {
  const form = new FormState({ state: v.state });
  return page({
    title: 'Beslut om medel',
    actor: v.actor,
    current: FUNDING_LIST_PATH,
    flash: v.flash,
    body: html`${heading('Beslut om medel', 'Förslag till beslut som nämnden ska besluta om, och beviljade medel som följs upp på nämndens sammanträden.')}
      ${v.mayPrepare ? html`<p><a class="button" href="${FUNDING_NEW_PATH}">Registrera förslag till beslut</a></p>` : ''}
      <form method="get" action="${FUNDING_LIST_PATH}" class="filters" aria-label="Filtrera besluten">
        ${selectField(form, { name: 'state', label: 'Läge', choices: STATE_CHOICES, empty: 'Alla lägen' })}
        <div class="buttons"><button type="submit" class="button-secondary">Visa</button></div>
      </form>
      <p role="status">${(v.total ?? v.rows.length) === 0 ? 'Inga beslut om medel med det valda läget.' : `${v.total ?? v.rows.length} beslut om medel.`}</p>
      ${v.rows.length > 0
        ? html`<table>
        <caption class="visually-hidden">Beslut om medel, nyaste först</caption>
        <thead><tr><th scope="col">Ärende</th><th scope="col">Nämnd</th><th scope="col" class="num">Belopp</th><th scope="col">Läge</th><th scope="col">Nästa datum</th></tr></thead>
        <tbody>${v.rows.map((r) => {
          const next = r.deadlines[0];
          return html`<tr${next?.overdue ? html` class="overdue"` : ''}><td><a href="${fundingDecisionPath(r.id)}">${r.title}</a></td><td>${r.committee}</td>
            <td class="num">${kronor(r.amountKr)}</td><td>${stateTag(r)}</td>
            <td>${next ? html`<span class="nowrap">${date(next.dueDate)}</span><br><span class="muted">${next.label}</span>${next.overdue ? html` <span class="tag tag-overdue">Försenat</span>` : ''}` : '–'}</td></tr>`;
        })}</tbody>
      </table>`
        : ''}
      ${pager(v.path, v.next, v.onLaterPage)}
      <p><a href="${FUNDING_DIAGRAM_PATH}">Livscykeln för ett beslut om medel</a></p>`,
  });
}

// ---------------------------------------------------------------- the proposal's form

/** The choices the proposal's fields offer. */
export interface ProposalChoices {
  organisations: Organisation[];
  people: PersonRow[];
  meetings: CommitteeMeeting[];
  /** Officials named without an account (the API allows it): kept as checkboxes of their own, checked. */
  namedOnly?: string[];
}

/** An official without an account, as the officials' checkbox names them (the form has no person id to send). */
export const NAMED_ONLY_OFFICIAL = 'namn:';

/** Rows of a list on the form: at least `least`, and always one empty row after the last one filled in. */
function rowsOf(f: FormState, list: string, least: number, filled: (i: number) => boolean): number {
  const used = indexesOf(f.values, list).filter(filled);
  return Math.max(least, used.length ? Math.max(...used) + 2 : 0);
}

/**
 * The proposal's own fields (what UPDATE_PROPOSAL carries), named by the API's field paths: one
 * rendering for the new form and for changing a proposal in preparation.
 */
function proposalFields(f: FormState, v: ProposalChoices): Html {
  const meetingChoices = v.meetings.map((m) => ({ value: m.meetingId, label: meetingLabel(m) }));
  const recipientRows = rowsOf(f, 'proposal.recipients', RECIPIENT_ROWS, (i) => Boolean(f.value(`proposal.recipients.${i}.name`) || f.value(`proposal.recipients.${i}.email`)));
  const followUpRows = rowsOf(f, 'proposal.followUps', FOLLOW_UP_ROWS, (i) => Boolean(f.value(`proposal.followUps.${i}.kind`)));
  const recipients = Array.from({ length: recipientRows }, (_, i) => html`<div class="row">
      ${textField(f, { name: `proposal.recipients.${i}.name`, label: `Mottagare ${i + 1}, namn` })}
      ${textField(f, { name: `proposal.recipients.${i}.email`, label: `Mottagare ${i + 1}, e-postadress`, type: 'email', hint: 'Frivillig. Utan adress expedierar kansliet på annat sätt.' })}
    </div>`);
  const followUps = Array.from({ length: followUpRows }, (_, i) => html`<div class="row">
      ${selectField(f, { name: `proposal.followUps.${i}.kind`, label: `Uppföljning ${i + 1}, slag`, choices: FOLLOW_UP_KINDS.map((k) => ({ value: k, label: FOLLOW_UP_KIND_LABELS[k] })), empty: 'Ingen' })}
      ${selectField(f, { name: `proposal.followUps.${i}.meetingId`, label: `Uppföljning ${i + 1}, sammanträde`, choices: meetingChoices, empty: 'Välj sammanträde' })}
    </div>`);
  const officials: Choice[] = [
    ...v.people.map((p) => ({ value: p.id, label: `${p.name}, ${p.organisationName}` })),
    ...(v.namedOnly ?? []).map((name) => ({ value: `${NAMED_ONLY_OFFICIAL}${name}`, label: `${name} (utan konto i systemet)` })),
  ];
  return html`
    ${textArea(f, { name: 'proposal.summary', label: 'Förslag till beslut', required: true, rows: 4, hint: 'Det nämnden ombeds besluta, med förslagets egna ord.' })}
    <div class="row">
      ${textField(f, { name: 'proposal.amountKr', label: 'Belopp (kr)', required: true, inputmode: 'numeric', short: true, hint: 'Hela kronor, t.ex. 530 000.' })}
      ${textField(f, { name: 'proposal.budgetLine', label: 'Budgetpost', required: true })}
    </div>
    ${selectField(f, { name: 'proposal.partner.organisationId', label: 'Organisation som tar emot medlen', choices: v.organisations.map((o) => ({ value: o.id, label: o.name })), empty: 'Välj organisation' })}
    ${fieldset(f, {
      name: 'proposal.period',
      legend: 'Period',
      hint: 'Perioden som medlen avser, första och sista dag (ÅÅÅÅ-MM-DD).',
      body: html`<div class="row">${textField(f, { name: 'proposal.period.startDate', label: 'Från och med', type: 'date', short: true })}${textField(f, { name: 'proposal.period.endDate', label: 'Till och med', type: 'date', short: true })}</div>`,
    })}
    ${checkboxGroup(f, {
      name: 'proposal.officials',
      legend: 'Ansvariga handläggare',
      hint: 'Handläggarna kan registrera uppföljningar och får påminnelser.',
      choices: officials,
      checked: f.list('proposal.officials'),
    })}
    ${fieldset(f, { name: 'proposal.recipients', legend: 'Beslutet expedieras till', hint: 'Lämna rader tomma som inte behövs.', body: html`${recipients}` })}
    ${fieldset(f, {
      name: 'proposal.followUps',
      legend: 'Uppföljning',
      hint: 'Sammanträden i sammanträdesplanen där uppföljningen redovisas. Ett beviljat beslut följs upp med en skriftlig utvärdering.',
      body: html`${followUps}`,
    })}`;
}

// ---------------------------------------------------------------- the new form

export interface NewFundingPage extends ProposalChoices {
  actor: Actor;
  form: FormState;
}

export function newFundingPage(v: NewFundingPage): string {
  const f = v.form;
  const body = html`
    ${textField(f, { name: 'title', label: 'Ärendets rubrik', required: true })}
    <div class="row">
      ${textField(f, { name: 'committee', label: 'Nämnd', required: true, hint: 'Nämnden som beslutar, som den heter i sammanträdesplanen.' })}
      ${textField(f, { name: 'preparedBy', label: 'Beredd av', required: true, hint: 'Förvaltningen som bereder ärendet.' })}
    </div>
    ${proposalFields(f, v)}`;
  return page({
    title: 'Registrera förslag till beslut',
    actor: v.actor,
    current: FUNDING_LIST_PATH,
    body: html`<p class="muted"><a href="${FUNDING_LIST_PATH}">Beslut om medel</a> › Nytt förslag</p>
      ${heading('Registrera förslag till beslut', 'Ärendet registreras som förslag till beslut. Därefter sätter nämndkansliet upp det på dagordningen för ett sammanträde.')}
      ${errorSummary(f)}
      <form method="post" action="${FUNDING_NEW_PATH}" novalidate>
        ${formTokenField(f)}
        ${body}
        <div class="actions"><button type="submit">Registrera förslaget</button> <a class="button button-secondary" href="${FUNDING_LIST_PATH}">Avbryt</a></div>
      </form>`,
  });
}

// ---------------------------------------------------------------- changing the proposal

/** The current proposal as the form's fields, and the version it was read at (UPDATE_PROPOSAL's expectedVersion). */
export function proposalValues(d: FundingDecisionView): Record<string, string | string[]> {
  const p = d.proposal as unknown as FundingProposal;
  const v: Record<string, string | string[]> = {
    expectedVersion: String(d.rowVersion),
    'proposal.summary': p.summary,
    'proposal.amountKr': wholeNumber(p.amountKr),
    'proposal.budgetLine': p.budgetLine,
    'proposal.partner.organisationId': p.partner.organisationId,
    'proposal.period.startDate': p.period.startDate,
    'proposal.period.endDate': p.period.endDate,
    'proposal.officials': p.officials.map((o) => (o.personId ? o.personId : `${NAMED_ONLY_OFFICIAL}${o.name}`)),
  };
  p.recipients.forEach((r, i) => {
    v[`proposal.recipients.${i}.name`] = r.name;
    v[`proposal.recipients.${i}.email`] = r.email ?? '';
  });
  p.followUps.forEach((f, i) => {
    v[`proposal.followUps.${i}.kind`] = f.kind;
    v[`proposal.followUps.${i}.meetingId`] = f.meeting.meetingId;
  });
  return v;
}

export interface EditProposalPage extends ProposalChoices {
  actor: Actor;
  decision: FundingDecisionView;
  form: FormState;
  flash?: Flash | null;
}

/** The new form's proposal fields, filled in with the proposal as it is; the case's title, committee and preparer stay as registered. */
export function editProposalPage(v: EditProposalPage): string {
  const d = v.decision;
  const f = v.form;
  return page({
    title: `Ändra förslaget – ${d.title}`,
    actor: v.actor,
    current: FUNDING_LIST_PATH,
    flash: v.flash,
    body: html`<p class="muted"><a href="${FUNDING_LIST_PATH}">Beslut om medel</a> › <a href="${fundingDecisionPath(d.id)}">${d.title}</a> › Ändra förslaget</p>
      ${heading('Ändra förslaget till beslut', 'Ändringen sparas i ärendets historik. Förslaget kan ändras medan ärendet bereds, innan det sätts upp på en dagordning.')}
      <dl class="facts">
        <dt>Ärende</dt><dd>${d.title}</dd>
        <dt>Nämnd</dt><dd>${d.committee}</dd>
        <dt>Beredd av</dt><dd>${d.preparedBy}, ${date(d.preparedOn)}</dd>
      </dl>
      ${errorSummary(f)}
      <form method="post" action="${proposalPath(d.id)}" novalidate>
        ${formTokenField(f)}
        <input type="hidden" name="expectedVersion" value="${f.value('expectedVersion')}">
        ${proposalFields(f, v)}
        <div class="actions"><button type="submit">Spara ändringarna</button> <a class="button button-secondary" href="${fundingDecisionPath(d.id)}">Avbryt</a></div>
      </form>`,
  });
}

// ---------------------------------------------------------------- one case

interface CaseRecordParts {
  referrals: AgendaExit[];
  takenOffAgenda: AgendaExit[];
  followUpRecords: FollowUpRecord[];
  overdueFollowUps: OverdueFollowUp[];
  withdrawal: { on: string; reason: string } | null;
}

export interface FundingCasePage {
  actor: Actor;
  decision: FundingDecisionView;
  /** The actions this person may take now, in PAGE_ACTIONS order. */
  actions: PageAction[];
  /** Whether this person may change the proposal now (UPDATE_PROPOSAL, on its own page). */
  mayEditProposal?: boolean;
  /** The form of the action just posted, with its problems; the others are fresh. */
  posted?: { type: string; form: FormState } | null;
  /** Meetings of the committee still to come, for the agenda. */
  meetings: CommitteeMeeting[];
  /** Every meeting the case names, by id (the decision's meeting, referrals). */
  meetingsById: Map<string, CommitteeMeeting>;
  /** What is missing before it can go on an agenda (in preparation). */
  completeness: string[];
  history: AuditEvent[];
  flash: Flash | null;
  today: string;
}

function actionForm(v: FundingCasePage, type: PageAction): Html {
  const d = v.decision;
  const form = v.posted?.type === type ? v.posted.form : new FormState({}, [], `${type}-`);
  const proposal = d.proposal as unknown as FundingProposal;
  const record = d.record as unknown as CaseRecordParts;
  const agenda = d.agenda as unknown as CommitteeMeeting | null;
  let fields: Html = html``;
  let lead: Html | string = '';
  switch (type) {
    case 'PLACE_ON_AGENDA':
      lead = 'Välj sammanträdet där nämnden ska besluta. Handlingarna ska vara inne senast sista dag för handlingar.';
      fields = selectField(form, { name: 'meetingId', label: 'Sammanträde', choices: v.meetings.map((m) => ({ value: m.meetingId, label: meetingLabel(m) })) });
      break;
    case 'DECIDE':
      lead = agenda ? `Registrera nämndens beslut från protokollet, efter sammanträdet ${agenda.date}.` : 'Registrera nämndens beslut från protokollet.';
      fields = html`${selectField(form, { name: 'outcome', label: 'Beslut', choices: DECISION_OUTCOMES.map((o) => ({ value: o, label: OUTCOME_LABELS[o] })) })}
        ${textField(form, { name: 'paragraph', label: 'Paragraf i protokollet', hint: 'Som den står i protokollet, t.ex. § 87.', short: true })}`;
      break;
    case 'REFER_BACK':
      lead = 'Nämnden återremitterar ärendet till beredningen. Skälet sparas i historiken.';
      fields = textArea(form, { name: 'reason', label: 'Skäl till återremissen', rows: 3 });
      break;
    case 'TAKE_OFF_AGENDA':
      lead = 'Ärendet tas bort från sammanträdets dagordning och går tillbaka till beredning.';
      fields = textArea(form, { name: 'reason', label: 'Skäl', rows: 3 });
      break;
    case 'WITHDRAW':
      lead = 'Ärendet avslutas utan beslut. Det går inte att ångra.';
      fields = textArea(form, { name: 'reason', label: 'Skäl till återkallelsen', rows: 3 });
      break;
    case 'RECORD_FOLLOW_UP': {
      const pending = proposal.followUps.filter((f) => !record.followUpRecords.some((r) => r.key === f.key));
      lead = 'Registrera en uppföljning som har hållits eller redovisats.';
      fields = html`${selectField(form, { name: 'key', label: 'Uppföljning', choices: pending.map((f) => ({ value: f.key, label: `${FOLLOW_UP_KIND_LABELS[f.kind]}, sammanträdet ${f.meeting.date}` })) })}
        ${textField(form, { name: 'heldOn', label: 'Hölls eller redovisades den', type: 'date', short: true, value: form.value('heldOn') || v.today })}
        ${textArea(form, { name: 'note', label: 'Anteckning', rows: 3, hint: 'Frivillig.' })}`;
      break;
    }
    case 'SEND_DECISION': {
      const withMail = proposal.recipients.filter((r) => r.email).length;
      lead = `Beslutet skickas med e-post till ${withMail} av ${proposal.recipients.length} mottagare; nämndkansliet får en kopia med dem som ska få det på annat sätt.`;
      break;
    }
  }
  const destructive = DESTRUCTIVE.includes(type);
  return html`<div class="action-card"><h3>${EVENT_LABELS[type]}</h3><p>${lead}</p>
    ${v.posted?.type === type ? errorSummary(form) : ''}
    <form method="post" action="${eventsPath(d.id)}" novalidate>
      <input type="hidden" name="type" value="${type}">
      <input type="hidden" name="expectedVersion" value="${d.rowVersion}">
      ${formTokenField(form)}
      ${fields}
      <button type="submit"${destructive ? html` class="button-warning"` : ''}>${EVENT_LABELS[type]}<span class="visually-hidden"> – ${d.title}</span></button>
    </form></div>`;
}

function actionsSection(v: FundingCasePage): Html {
  const clock = ['PERIOD_STARTED', 'FOLLOW_UP_OVERDUE'].map((t) => (EVENT_LABELS as Record<string, string>)[t].toLowerCase());
  return html`<section aria-labelledby="rubrik-atgarder"><h2 id="rubrik-atgarder">Det här kan du göra nu</h2>
    ${v.mayEditProposal
      ? html`<p><a class="button button-secondary" href="${proposalPath(v.decision.id)}">Ändra förslaget<span class="visually-hidden"> till beslut – ${v.decision.title}</span></a></p>`
      : ''}
    ${v.actions.length ? html`<div class="actions">${v.actions.map((t) => actionForm(v, t))}</div>` : v.mayEditProposal ? '' : html`<p>Det finns inget för dig att göra i ärendet just nu.</p>`}
    ${v.completeness.length ? html`<div class="flash flash-error"><p><strong>Innan ärendet kan sättas upp på dagordningen:</strong></p><ul>${v.completeness.map((p) => html`<li>${p}</li>`)}</ul></div>` : ''}
    <p class="muted">Datumbevakningen sköter: ${clock.join(', ')}.</p></section>`;
}

function proposalSection(d: FundingDecisionView): Html {
  const p = d.proposal as unknown as FundingProposal;
  return html`<section aria-labelledby="rubrik-forslag"><h2 id="rubrik-forslag">Förslag till beslut</h2>
    <p class="prose">${p.summary}</p>
    <dl class="facts">
      <dt>Nämnd</dt><dd>${d.committee}</dd>
      <dt>Beredd av</dt><dd>${d.preparedBy}, ${date(d.preparedOn)}</dd>
      <dt>Belopp</dt><dd>${kronor(p.amountKr)}</dd>
      <dt>Budgetpost</dt><dd>${p.budgetLine}</dd>
      <dt>Organisation</dt><dd>${p.partner.name}</dd>
      <dt>Period</dt><dd>från och med ${date(p.period.startDate)} till och med ${date(p.period.endDate)}</dd>
      <dt>Ansvariga handläggare</dt><dd>${p.officials.map((o) => o.name).join(', ') || '–'}</dd>
    </dl></section>`;
}

function decisionSection(v: FundingCasePage): Html {
  const d = v.decision;
  const agenda = d.agenda as unknown as CommitteeMeeting | null;
  const decision = d.decision as unknown as CommitteeDecision | null;
  const record = d.record as unknown as CaseRecordParts;
  const meetingDate = (id: string): string => v.meetingsById.get(id)?.date ?? id;
  const exits = [
    ...record.referrals.map((r) => ({ ...r, what: 'Återremitterat' })),
    ...record.takenOffAgenda.map((r) => ({ ...r, what: 'Borttaget från dagordningen' })),
  ].sort((a, b) => (a.on < b.on ? -1 : 1));
  return html`<section aria-labelledby="rubrik-beslut"><h2 id="rubrik-beslut">Dagordning och beslut</h2>
    <dl class="facts">
      <dt>Sammanträde</dt><dd>${agenda ? meetingLabel(agenda) : 'Inte uppsatt på någon dagordning'}</dd>
      <dt>Beslut</dt><dd>${decision ? html`<strong>${OUTCOME_LABELS[decision.outcome]}</strong>, ${decision.paragraph}, sammanträdet ${date(decision.decidedOn)} <span class="muted">(registrerat ${date(decision.recordedOn)})</span>` : 'Inte beslutat'}</dd>
      <dt>Expediering</dt><dd>${d.expeditedOn ? html`Expedierat ${date(d.expeditedOn)}` : 'Inte expedierat'}</dd>
      ${record.withdrawal ? html`<dt>Återkallat</dt><dd>${date(record.withdrawal.on)}: ${record.withdrawal.reason}</dd>` : ''}
    </dl>
    <h3>Återremisser</h3>
    ${exits.length
      ? html`<ul>${exits.map((e) => html`<li>${e.what} ${date(e.on)} (sammanträdet ${meetingDate(e.meetingId)}). Skäl: ${e.reason}</li>`)}</ul>`
      : html`<p>Ärendet har inte återremitterats eller tagits bort från någon dagordning.</p>`}
    <h3>Mottagare av beslutet</h3>
    <ul>${(d.proposal as unknown as FundingProposal).recipients.map((r) => html`<li>${r.name}${r.email ? html` <span class="muted">(${r.email})</span>` : html` <span class="muted">(ingen e-postadress: expedieras på annat sätt)</span>`}</li>`)}</ul>
  </section>`;
}

function followUpSection(d: FundingDecisionView): Html {
  const p = d.proposal as unknown as FundingProposal;
  const record = d.record as unknown as CaseRecordParts;
  return html`<section aria-labelledby="rubrik-uppfoljning"><h2 id="rubrik-uppfoljning">Uppföljning</h2>
    ${p.followUps.length
      ? html`<table><caption class="visually-hidden">Uppföljningar på nämndens sammanträden</caption>
      <thead><tr><th scope="col">Uppföljning</th><th scope="col">Sammanträde</th><th scope="col">Handlingar senast</th><th scope="col">Status</th></tr></thead>
      <tbody>${p.followUps.map((f) => {
        const held = record.followUpRecords.find((r) => r.key === f.key);
        const overdue = record.overdueFollowUps.find((o) => o.key === f.key);
        const status = held
          ? html`<span class="tag tag-ok">Hållen</span> ${date(held.heldOn)}${held.note ? html`<br>${held.note}` : ''}`
          : overdue
            ? html`<span class="tag tag-overdue">Försenad</span> sammanträdet ${date(overdue.meetingDate)} passerade`
            : html`Planerad`;
        return html`<tr${overdue && !held ? html` class="overdue"` : ''}><th scope="row">${FOLLOW_UP_KIND_LABELS[f.kind]}</th><td class="nowrap">${date(f.meeting.date)}</td><td class="nowrap">${date(f.meeting.papersDueOn)}</td><td>${status}</td></tr>`;
      })}</tbody></table>`
      : html`<p>Ingen uppföljning planerad.</p>`}</section>`;
}

function datesSection(d: FundingDecisionView): Html {
  return html`<section aria-labelledby="rubrik-datum"><h2 id="rubrik-datum">Datum att bevaka</h2>
    ${d.deadlines.length
      ? html`<table><caption class="visually-hidden">Ärendets datum, tidigast först</caption>
      <thead><tr><th scope="col">Datum</th><th scope="col">Vad</th></tr></thead>
      <tbody>${d.deadlines.map((x) => html`<tr${x.overdue ? html` class="overdue"` : ''}><td class="nowrap">${date(x.dueDate)}${x.overdue ? html`<br><span class="tag tag-overdue">Försenat</span>` : ''}</td><td>${x.label}</td></tr>`)}</tbody></table>`
      : html`<p>Inga datum att bevaka i ärendets nuvarande läge.</p>`}</section>`;
}

export function fundingCasePage(v: FundingCasePage): string {
  const d = v.decision;
  return page({
    title: d.title,
    actor: v.actor,
    current: FUNDING_LIST_PATH,
    flash: v.flash,
    body: html`<p class="muted"><a href="${FUNDING_LIST_PATH}">Beslut om medel</a> › ${d.title}</p>
      <h1>${d.title}</h1>
      <p class="lead">${stateTag(d)} ${d.committee}, ${kronor(d.amountKr)}</p>
      ${actionsSection(v)}
      ${datesSection(d)}
      ${proposalSection(d)}
      ${decisionSection(v)}
      ${followUpSection(d)}
      <section aria-labelledby="rubrik-livscykel"><h2 id="rubrik-livscykel">Livscykel</h2>
        <p>Diagrammet är genererat ur livscykelmaskinen. Det mörkfyllda tillståndet är det nuvarande: <strong>${d.stateLabel}</strong>.</p>
        <div class="diagram">${machineSvg(FUNDING_DIAGRAM, d.state, d.stateLabel)}</div>
        <details><summary>Livscykeln som text</summary>${machineText(FUNDING_DIAGRAM, d.state)}</details>
      </section>
      ${caseHistory(v.history, HISTORY_WORDS)}`,
  });
}

// ---------------------------------------------------------------- the diagram

const FUNDING_DIAGRAM: DiagramSpec = {
  machine: fundingDecisionMachine,
  codeOf: (node: AnyStateNode) => node.path.join('.'),
  stateName: (node: AnyStateNode) => stateLabel(node.path.join('.')),
  eventLabel: (type: string) => fundingDecisionDefinition.events[type as keyof typeof fundingDecisionDefinition.events]?.label ?? type,
  title: 'Livscykeln för ett beslut om medel.',
};

export function fundingDiagramPage(actor: Actor): string {
  return page({
    title: 'Livscykeln för ett beslut om medel',
    actor,
    current: FUNDING_LIST_PATH,
    body: html`<p class="muted"><a href="${FUNDING_LIST_PATH}">Beslut om medel</a> › Livscykel</p>
      ${heading('Livscykeln för ett beslut om medel', 'Genererad ur livscykelmaskinen: varje ruta är ett läge och varje pil en händelse.')}
      <p>Ett förslag till beslut sätts upp på dagordningen för ett sammanträde. Nämnden beviljar eller avslår, eller återremitterar ärendet till beredning.
        Ett beviljat beslut pågår från periodens start; muntliga avstämningar registreras under tiden, och ärendet avslutas när den skriftliga utvärderingen har presenterats.
        Beslutet expedieras en gång. Ett ärende som inte är beslutat kan återkallas.</p>
      <div class="diagram">${machineSvg(FUNDING_DIAGRAM, null, null)}</div>
      <h2>Livscykeln som text</h2>
      ${machineText(FUNDING_DIAGRAM, null)}`,
  });
}

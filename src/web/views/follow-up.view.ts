import type { AgreementView } from '@app/agreements/agreements.service';
import type { Actor } from '@app/audit/actor';
import type { FollowUpView } from '@app/follow-up/follow-up.service';
import type { Economics } from '@workflows/agreement/types';
import { checkboxGroup, errorSummary, fieldset, formTokenField, FormState, textArea, textField } from '../forms';
import { date, dateTime, kronor, share, wholeNumber } from '../format';
import { html, type Html } from '../html';
import { page } from '../layout';
import { agreementPath } from './common';
import { rowsFor } from './terms-form.view';

/** Where the follow-up and amendment forms live, under the agreement's page. */
export const MEETING_PATH = '/uppfoljning/mote';
export const REPORT_PATH = '/uppfoljning/arsrapport';
export const AMENDMENT_PATH = '/tillagg';

/** The page for an action the API takes at an endpoint of its own (`endpoint` in allowed-events). */
export const PAGE_OF_ENDPOINT: Record<string, string> = {
  '/follow-up/meetings': MEETING_PATH,
  '/follow-up/reports': REPORT_PATH,
  '/amendments': AMENDMENT_PATH,
};

const STATUS: Record<string, { text: string; tag: string }> = {
  upcoming: { text: 'Kommande', tag: 'tag-state' },
  overdue: { text: 'Försenad', tag: 'tag-overdue' },
  fulfilled: { text: 'Uppfylld', tag: 'tag-ok' },
};

const partyName = (a: AgreementView, organisationId: string): string => a.parties.find((p) => p.organisationId === organisationId)?.name ?? organisationId;

function dutiesText(f: FollowUpView): Html {
  const d = f.duties;
  if (!d) return html`<p>Villkoren anger inga uppföljningsplikter.</p>`;
  const parts = [
    d.meetingsPerYear > 0 ? `samverkansgruppen träffas minst ${d.meetingsPerYear === 1 ? 'en gång' : `${d.meetingsPerYear} gånger`} per kalenderår` : '',
    d.yearlyReport ? `den idéburna parten lämnar en skriftlig årsrapport till nämnden senast den ${d.yearlyReport.dueDay}/${d.yearlyReport.dueMonth} året efter` : '',
  ].filter(Boolean);
  return html`<p>Enligt villkoren: ${parts.join('; ')}.</p>`;
}

function reportFigures(r: FollowUpView['reports'][number]): Html {
  const o = r.outcomes;
  return html`<dl class="facts">
    <dt>Deltagare under året</dt><dd>${wholeNumber(r.participantsCount)}</dd>
    <dt>Stegförflyttning enligt GA-modellen</dt><dd>${wholeNumber(r.gaProgressCount)}</dd>
    <dt>Efteråt</dt><dd>arbete ${wholeNumber(o.work)}, studier ${wholeNumber(o.studies)}, annan insats ${wholeNumber(o.otherActivity)}, ingen förändring ${wholeNumber(o.noChange)}</dd>
    <dt>Platser</dt><dd>${wholeNumber(r.placesUsed)} använda av ${wholeNumber(r.placesAgreed)} avtalade</dd>
  </dl>`;
}

/** The agreement page's "Uppföljning": duties, each year's obligations with status in words, meetings and reports. */
export function followUpSection(a: AgreementView, f: FollowUpView): Html {
  const obligations = f.obligations;
  return html`<section aria-labelledby="rubrik-uppfoljning"><h2 id="rubrik-uppfoljning">Uppföljning</h2>
    ${dutiesText(f)}
    ${obligations.length
      ? html`<div class="table-scroll" role="region" aria-label="Uppföljningsplikter per år" tabindex="0"><table><caption>Uppföljningsplikter per år</caption>
      <thead><tr><th scope="col">År</th><th scope="col">Plikt</th><th scope="col">Senast</th><th scope="col" class="num">Gjort</th><th scope="col">Status</th></tr></thead>
      <tbody>${obligations.map(
        (o) => html`<tr${o.status === 'overdue' ? html` class="overdue"` : ''}><th scope="row">${o.year}</th><td>${o.dutyLabel}</td><td class="nowrap">${date(o.dueDate)}</td>
          <td class="num">${o.recorded} av ${o.required}</td><td><span class="tag ${STATUS[o.status].tag}">${STATUS[o.status].text}</span></td></tr>`,
      )}</tbody></table></div>`
      : ''}
    <h3>Möten i samverkansgruppen</h3>
    ${f.meetings.length
      ? html`<ul class="plain">${f.meetings.map(
          (m) => html`<li><strong>${date(m.heldOn)}</strong> (för ${m.year}). Deltog: ${m.participants.map((p) => p.name).join(', ')}.
            ${m.notes ? html`<br>${m.notes}` : ''}<br><span class="muted">Registrerat ${dateTime(m.recordedAt)}${m.recordedBy ? html` av ${m.recordedBy.name}` : ''}.</span></li>`,
        )}</ul>`
      : html`<p>Inga möten registrerade.</p>`}
    <h3>Årsrapporter</h3>
    ${f.reports.length
      ? f.reports.map(
          (r) => html`<article class="report" aria-labelledby="rapport-${r.id}"><h4 id="rapport-${r.id}">Årsrapport ${r.year}, ${r.organisationName}</h4>
            ${reportFigures(r)}<p class="prose">${r.text}</p>
            <p class="muted">Lämnad ${dateTime(r.submittedAt)}${r.submittedBy ? html` av ${r.submittedBy.name}` : ''}.</p></article>`,
        )
      : html`<p>Inga årsrapporter lämnade.</p>`}
    <p class="muted">${f.notice}</p>
  </section>`;
}

/** One version of the economics: cost lines, total, indexation, and each party's part. */
export function economicsSummary(a: AgreementView, e: Economics | null, caption: string): Html {
  if (!e) return html`<p>Ingen ekonomi angiven.</p>`;
  // Wider than a phone: it scrolls in its own box, not the page.
  return html`<div class="table-scroll" role="region" aria-label="${caption}" tabindex="0"><table><caption>${caption}</caption>
    <thead><tr><th scope="col">Part eller kostnad</th><th scope="col" class="num">Belopp per år</th><th scope="col" class="num">Andel</th></tr></thead>
    <tbody>${e.contributions.map((c) => html`<tr><th scope="row">${partyName(a, c.organisationId)}</th><td class="num">${kronor(c.amountKr)}</td><td class="num">${share(c.shareBasisPoints)}</td></tr>`)}
      ${e.costLines.map((l) => html`<tr><td>Kostnad: ${l.label}</td><td class="num">${kronor(l.amountKr)}</td><td></td></tr>`)}</tbody>
    <tfoot><tr><th scope="row">Summa per år</th><td class="num">${kronor(e.totalKr)}</td><td class="num">uppräkning ${share(e.indexationBasisPoints)} per år</td></tr></tfoot></table></div>`;
}

const agreedList = (a: AgreementView, acts: Array<{ organisationId: string; on: string }>): Html =>
  acts.length ? html`<ul>${acts.map((x) => html`<li>${partyName(a, x.organisationId)}, ${date(x.on)}</li>`)}</ul>` : html`<p>Ingen part ännu.</p>`;

/** The agreement page's "Villkorsversioner": every agreed version, and an amendment waiting for the parties. */
export function termsVersionsSection(a: AgreementView): Html {
  const pending = a.pendingAmendment;
  const remaining = pending ? a.parties.filter((p) => !pending.agreements.some((x) => x.organisationId === p.organisationId)).map((p) => p.name) : [];
  return html`<section aria-labelledby="rubrik-versioner"><h2 id="rubrik-versioner">Villkorsversioner</h2>
    ${a.termsVersions.length === 0 ? html`<p>Inga versioner än: villkoren blir version 1 när alla parter har signerat.</p>` : ''}
    ${a.termsVersions.map(
      (v) => html`<article class="terms-version" aria-labelledby="version-${v.version}"><h3 id="version-${v.version}">Version ${v.version}, gäller från ${v.effectiveFromYear}</h3>
        <p>${v.reason ? html`Tillägg föreslaget ${date(v.proposedOn)}: ${v.reason}` : 'De signerade villkoren.'}</p>
        ${economicsSummary(a, v.economics, `Ekonomi i version ${v.version}`)}
        <p><strong>${v.version === 1 ? 'Signerat av' : 'Godkänt av'}:</strong></p>${agreedList(a, v.agreedBy)}</article>`,
    )}
    ${pending
      ? html`<article class="terms-version" aria-labelledby="version-forslag"><h3 id="version-forslag">Föreslaget tillägg: version ${pending.version}, från ${pending.effectiveFromYear} <span class="tag tag-warn">Väntar på parterna</span></h3>
        <p>Föreslaget ${date(pending.proposedOn)}: ${pending.reason}</p>
        ${economicsSummary(a, pending.economics, `Ekonomi i det föreslagna tillägget`)}
        <p><strong>Godkänt hittills:</strong></p>${agreedList(a, pending.agreements)}
        ${remaining.length ? html`<p>Väntar på: ${remaining.join(', ')}.</p>` : ''}</article>`
      : ''}
  </section>`;
}

const breadcrumb = (a: AgreementView, label: string): Html => html`<p class="muted"><a href="${agreementPath(a.id)}">${a.title}</a> › ${label}</p>`;

/** A form page under an agreement: breadcrumb, heading, lead, error summary, the form and its buttons. */
export function agreementFormPage(o: { actor: Actor; agreement: AgreementView; form: FormState; title: string; lead: Html | string; action: string; submit: string; fields: Html; before?: Html }): string {
  const a = o.agreement;
  const fields = o.fields; // rendered first, so the summary knows the labels
  return page({
    title: `${o.title} – ${a.title}`,
    actor: o.actor,
    body: html`${breadcrumb(a, o.title)}
      <h1>${o.title}</h1>
      <p class="lead">${o.lead}</p>
      ${errorSummary(o.form)}
      ${o.before ?? ''}
      <form method="post" action="${agreementPath(a.id)}${o.action}" novalidate>
        <input type="hidden" name="expectedVersion" value="${o.form.value('expectedVersion')}">${formTokenField(o.form)}
        ${fields}
        <div class="actions"><button type="submit">${o.submit}</button>
        <a class="button button-secondary" href="${agreementPath(a.id)}">Avbryt</a></div>
      </form>`,
  });
}

/** The samverkansgrupp meeting: when, who took part (the group, and others by name), notes. */
export function meetingPage(o: { actor: Actor; agreement: AgreementView; form: FormState }): string {
  const f = o.form;
  const a = o.agreement;
  const names = rowsFor(f, 'participantNames', 'name', 2).map((i) =>
    textField(f, { name: `participantNames.${i}.name`, label: `Annan deltagare ${i + 1}`, hint: i === 0 ? 'Namn och organisation, t.ex. Anna Berg, Bilda.' : undefined }),
  );
  const fields = html`${textField(f, { name: 'heldOn', label: 'Mötesdag', hint: 'ÅÅÅÅ-MM-DD. Ett möte registreras när det har hållits.', short: true, required: true })}
    ${checkboxGroup(f, {
      name: 'participants',
      legend: 'Deltagare ur samverkansgruppen',
      choices: a.samverkansgrupp.map((p) => ({ value: p.personId, label: `${p.name}, ${partyName(a, p.organisationId)}` })),
      checked: f.list('participants'),
    })}
    ${fieldset(f, { name: 'participantNames', legend: 'Andra som deltog', hint: 'Parternas företrädare som inte finns i samverkansgruppen. Inte deltagare i verksamheten.', body: html`${names}` })}
    ${textArea(f, { name: 'notes', label: 'Anteckningar', hint: 'Vad ni gick igenom och kom fram till. Skriv inga uppgifter om enskilda deltagare i verksamheten.', rows: 6 })}`;
  return agreementFormPage({ ...o, title: 'Registrera uppföljningsmöte', lead: `Samverkansgruppens möte för ${a.title}.`, action: MEETING_PATH, submit: 'Registrera mötet', fields });
}

/** The partner's yearly report: the notice on personal data first, then free text and aggregate figures. */
export function reportPage(o: { actor: Actor; agreement: AgreementView; form: FormState; notice: string }): string {
  const f = o.form;
  const count = (name: string, label: string, hint?: string): Html => textField(f, { name, label, hint, inputmode: 'numeric', short: true, required: true });
  const fields = html`<input type="hidden" name="organisationId" value="${f.value('organisationId')}">
    ${textField(f, { name: 'year', label: 'År som rapporten gäller', inputmode: 'numeric', short: true, required: true })}
    ${textArea(f, { name: 'text', label: 'Rapport', hint: 'Hur arbetet har gått under året, med egna ord. Inga namn eller personnummer.', rows: 10, required: true })}
    ${count('participantsCount', 'Antal deltagare under året', 'Hur många som deltog någon gång under året.')}
    ${count('gaProgressCount', 'Antal med stegförflyttning enligt GA-modellen', 'Högst antalet deltagare.')}
    ${fieldset(f, {
      name: 'outcomes',
      legend: 'Vart deltagarna gick efteråt (antal personer)',
      hint: 'Tillsammans högst antalet deltagare.',
      body: html`<div class="row">${count('outcomes.work', 'Arbete')}${count('outcomes.studies', 'Studier')}${count('outcomes.otherActivity', 'Annan insats')}${count('outcomes.noChange', 'Ingen förändring')}</div>`,
    })}
    <div class="row">${count('placesUsed', 'Använda platser', 'Helårsplatser under året.')}
    ${textField(f, { name: 'placesAgreed', label: 'Avtalade platser', hint: 'Från överenskommelsen; ändra om det avtalade var annorlunda under året.', inputmode: 'numeric', short: true })}</div>`;
  const notice = html`<div class="sign-box notice" role="note" aria-labelledby="rubrik-personuppgifter"><h2 id="rubrik-personuppgifter">Inga personuppgifter</h2><p>${o.notice}</p></div>`;
  return agreementFormPage({ ...o, title: 'Lämna årsrapport', lead: `Den skriftliga årsrapporten till nämnden om ${o.agreement.title}.`, action: REPORT_PATH, submit: 'Lämna årsrapporten', fields, before: notice });
}

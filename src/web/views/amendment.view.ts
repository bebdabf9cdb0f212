import type { AgreementView } from '@app/agreements/agreements.service';
import type { Actor } from '@app/audit/actor';
import { fieldset, FormState, textArea, textField } from '../forms';
import { basisPointsToPercent, date, kronor } from '../format';
import { html, type Html } from '../html';
import { AMENDMENT_PATH, agreementFormPage, economicsSummary } from './follow-up.view';
import { economicsFields, economicsValues } from './terms-form.view';

/** The proposal form's values: next year, and the latest agreed economics to change from. */
export function amendmentValues(a: AgreementView, effectiveFromYear: number): Record<string, string> {
  const v: Record<string, string> = { expectedVersion: String(a.rowVersion), effectiveFromYear: String(effectiveFromYear), ...economicsValues(a.economics) };
  a.parties.forEach((p, i) => {
    v[`contributions.${i}.organisationId`] = p.organisationId;
    v[`contributions.${i}.contributionKr`] = p.contributionKr === null ? '' : String(p.contributionKr);
    v[`contributions.${i}.shareBasisPoints`] = basisPointsToPercent(p.shareBasisPoints);
  });
  return v;
}

/** A tillägg proposed by the secretariat: from which year, why, the new economics and every party's part. */
export function amendmentPage(o: { actor: Actor; agreement: AgreementView; form: FormState }): string {
  const f = o.form;
  const a = o.agreement;
  const contributions = a.parties.map(
    (p, i) => html`<input type="hidden" name="contributions.${i}.organisationId" value="${p.organisationId}">
      <div class="row">${textField(f, { name: `contributions.${i}.contributionKr`, label: `Bidrag per år, ${p.name} (kr)`, inputmode: 'numeric', short: true, required: true })}
      ${textField(f, { name: `contributions.${i}.shareBasisPoints`, label: `Andel, ${p.name} (%)`, inputmode: 'decimal', short: true, required: true })}</div>`,
  );
  const fields = html`${textField(f, { name: 'effectiveFromYear', label: 'Gäller från och med år', hint: 'Ett kommande kalenderår inom överenskommelsens giltighet. Åren före är oförändrade.', inputmode: 'numeric', short: true, required: true })}
    ${textArea(f, { name: 'reason', label: 'Skäl till tillägget', hint: 'Visas för parterna och sparas i historiken.', rows: 4, required: true })}
    ${economicsFields(f, 'Ny ekonomi', 'Kostnaderna det första året tillägget gäller; uppräkningen gäller åren därefter.')}
    ${fieldset(f, { name: 'contributions', legend: 'Parternas bidrag', hint: 'Varje part, i hela kronor det första året. Andelarna ska bli 100 %.', body: html`${contributions}` })}`;
  return agreementFormPage({
    actor: o.actor,
    agreement: a,
    form: f,
    title: 'Föreslå tillägg',
    lead: html`Ny ekonomi för ${a.title} från ett kommande år. Varje parts firmatecknare godkänner tillägget; de nuvarande villkoren gäller tills alla har gjort det, och finns kvar att läsa.`,
    action: AMENDMENT_PATH,
    submit: 'Föreslå tillägget',
    fields,
  });
}

/** What a signatory agrees to with AGREE_TO_AMENDMENT: the new economics per party, and from which year. */
export function amendmentConsent(a: AgreementView, organisationId: string | undefined, partyName: string): Html {
  const pending = a.pendingAmendment;
  if (!pending) return html``;
  const own = pending.economics.contributions.find((c) => c.organisationId === organisationId);
  const agreed = pending.agreements.map((x) => a.parties.find((p) => p.organisationId === x.organisationId)?.name ?? x.organisationId);
  return html`<p>Du godkänner för <strong>${partyName}</strong> ett tillägg till <strong>${a.title}</strong>: ny ekonomi från och med <strong>${pending.effectiveFromYear}</strong>
      (version ${pending.version} av villkoren), föreslaget ${date(pending.proposedOn)}.${own ? html` ${partyName} bidrar då med <strong>${kronor(own.amountKr)}</strong> per år.` : ''}</p>
    <p>Skäl: ${pending.reason}</p>
    ${economicsSummary(a, pending.economics, `Ny ekonomi från ${pending.effectiveFromYear}, per år`)}
    <p>Åren före ${pending.effectiveFromYear} är oförändrade, och de nuvarande villkoren finns kvar att läsa. Alla parter måste godkänna. ${agreed.length ? html`Redan godkänt: ${agreed.join(', ')}.` : 'Ingen part har godkänt ännu.'}</p>`;
}

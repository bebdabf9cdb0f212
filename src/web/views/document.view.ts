import type { AgreementView } from '@app/agreements/agreements.service';
import type { Actor } from '@app/audit/actor';
import { DOCUMENT_TEXT_LABELS, SECTION_MAX_LENGTH, type TemplateSection } from '@workflows/agreement/document';
import type { TemplateView } from '@app/documents/document-templates.service';
import { errorSummary, formTokenField, FormState, textArea } from '../forms';
import { html, type Html } from '../html';
import { page } from '../layout';
import { agreementPath } from './common';
import { scrollBox } from './agreement.view';

/** A hash that may wrap on a narrow screen: a break opportunity after every 16 digits. */
const wrappingHash = (hash: string): Html => html`<code class="hash">${(hash.match(/.{1,16}/g) ?? []).map((part, i) => html`${i > 0 ? html`<wbr>` : ''}${part}`)}</code>`;

export const DOCUMENT_TEXT_PATH = '/dokument/andra';

export const TEMPLATES_PATH = '/dokumentmallar';
const standardHint = (t: TemplateView | undefined): string =>
  `Lämna tomt för kommunens standardtext${t && t.version > 0 ? ` (version ${t.version})` : ''}: ”${(t?.text ?? '').slice(0, 90)}…” Standardtexterna ändras under Standardtexter (${TEMPLATES_PATH}).`;

/** The page's fields in the document's order, with the API's names. */
const fieldsOf = (standard: readonly TemplateView[]): Array<{ name: string; label: string; hint?: string }> => [
  { name: 'purpose', label: 'Syfte' },
  { name: 'background', label: DOCUMENT_TEXT_LABELS.background },
  { name: 'values', label: DOCUMENT_TEXT_LABELS.values, hint: standardHint(standard.find((t) => t.section === 'values')) },
  { name: 'targetGroup', label: 'Målgrupp' },
  { name: 'activities', label: 'Verksamhet', hint: 'Antalet platser läggs till ur villkoren.' },
  { name: 'organisation', label: DOCUMENT_TEXT_LABELS.organisation },
  { name: 'followUp', label: DOCUMENT_TEXT_LABELS.followUp, hint: 'Uppföljningsplikterna (möten per år, årsrapporten) läggs till ur villkoren.' },
  { name: 'termination', label: DOCUMENT_TEXT_LABELS.termination, hint: `${standardHint(standard.find((t) => t.section === 'termination'))} Hävningsgrunderna läggs till ur villkoren.` },
];

/** The form's values from the agreement as stored. */
export function documentTextValues(a: AgreementView): Record<string, string> {
  return { purpose: a.purpose, targetGroup: a.targetGroup, activities: a.activities, ...a.texts, expectedVersion: String(a.rowVersion) };
}

/** `afterPost`: the page answers a refused POST; it then stands in history as the form's own address. */
export function documentTextPage(o: { actor: Actor; agreement: AgreementView; form: FormState; standard: readonly TemplateView[]; afterPost?: boolean }): string {
  const a = o.agreement;
  const f = o.form;
  const fields = fieldsOf(o.standard).map((x) => textArea(f, { name: x.name, label: x.label, hint: x.hint, rows: 8, maxLength: SECTION_MAX_LENGTH }));
  const path = `${agreementPath(a.id)}${DOCUMENT_TEXT_PATH}`;
  return page({
    title: `Överenskommelsens text – ${a.title}`,
    actor: o.actor,
    body: html`<p class="muted"><a href="${agreementPath(a.id)}">${a.title}</a> › Överenskommelsens text</p>
      <h1>Överenskommelsens text</h1>
      <p class="lead">Avsnitten som blir dokumentet parterna signerar. Skriv vanlig text: en tom rad mellan stycken, och en punktlista med ”- ” först på varje rad. Parter, ekonomi och giltighet skrivs ur villkoren (<a href="${agreementPath(a.id)}/andra">Ändra villkoren</a>), så text och villkor inte kan säga olika saker.</p>
      ${errorSummary(f)}
      <form method="post" action="${path}" novalidate class="agreement-terms"${o.afterPost ? html` data-history-url="${path}"` : ''}>${formTokenField(f)}
        <input type="hidden" name="expectedVersion" value="${f.value('expectedVersion') || String(a.rowVersion)}">
        ${fields}
        <div class="actions"><button type="submit">Spara texten</button><a class="button button-secondary" href="${agreementPath(a.id)}">Avbryt</a></div>
      </form>`,
  });
}

export interface DocumentListItem {
  hash: string;
  signingRound: number;
  status: 'for_signing' | 'signed' | 'superseded';
  kind: 'draft' | 'signed' | 'amendment';
  createdAt: string;
  href: string;
}

const STATUS_WORDS: Record<DocumentListItem['status'], string> = { for_signing: 'för underskrift', signed: 'undertecknad', superseded: 'ersatt' };

/** The document out for signing, on the signing page: view, download and its hash. */
export function documentToSign(doc: { hash: string; href: string } | null): Html {
  if (!doc) return html`<p class="muted">Inget dokument har skapats för den här signeringsomgången.</p>`;
  return html`<section class="document-to-sign" aria-labelledby="rubrik-dokument"><h2 id="rubrik-dokument">Dokumentet du signerar</h2>
    <p><a href="${doc.href}" target="_blank" rel="noopener">Visa dokumentet (PDF)</a> · <a href="${doc.href}?ladda-ner=1" download>Ladda ner</a></p>
    <p>Dokumentets kontrollsumma (SHA-256): ${wrappingHash(doc.hash)}</p>
    <p class="hint">Din underskrift gäller just det här dokumentet. Ändras villkoren innan du signerar skapas ett nytt dokument, och då behöver du läsa och signera det i stället.</p></section>`;
}

/** The agreement's documents, for its page: each version with its status, hash and link. */
export function documentsList(docs: readonly DocumentListItem[]): Html {
  if (docs.length === 0) return html``;
  return html`<section aria-labelledby="rubrik-dokumenten"><h2 id="rubrik-dokumenten">Dokument</h2>
    ${scrollBox(
      'Överenskommelsens dokument',
      html`<table><thead><tr><th scope="col">Version</th><th scope="col">Status</th><th scope="col">Skapad</th><th scope="col">SHA-256 (början)</th></tr></thead><tbody>
    ${docs.map((d) => html`<tr><td><a href="${d.href}">${d.kind === 'signed' ? `Undertecknad, omgång ${d.signingRound}` : d.kind === 'amendment' ? 'Tillägg' : `Omgång ${d.signingRound}`}</a></td><td>${STATUS_WORDS[d.status]}</td><td>${d.createdAt.slice(0, 10)}</td><td><code class="hash">${d.hash.slice(0, 16)}</code></td></tr>`)}
    </tbody></table>`,
    )}</section>`;
}

/** The municipality's standard texts: the current version of each with a form for the next, and who wrote which. */
export function templatesPage(o: { actor: Actor; current: readonly TemplateView[]; forms: Partial<Record<TemplateSection, FormState>>; mayEdit: boolean; afterPost?: boolean }): string {
  const sections = o.current.map((t) => {
    const f = o.forms[t.section] ?? new FormState({ text: t.text, section: t.section }, [], `${t.section}-`);
    const label = DOCUMENT_TEXT_LABELS[t.section];
    return html`<section aria-labelledby="rubrik-${t.section}"><h2 id="rubrik-${t.section}">${label}</h2>
      <p class="muted">${t.version > 0 ? `Version ${t.version}, ${t.createdAt?.slice(0, 10) ?? ''} av ${t.createdByName ?? ''}.` : 'Tjänstens inbyggda text (ingen version sparad ännu).'}</p>
      ${o.mayEdit
        ? html`${errorSummary(f)}<form method="post" action="${TEMPLATES_PATH}" novalidate>${formTokenField(f)}<input type="hidden" name="section" value="${t.section}">
          ${textArea(f, { name: 'text', label: `Nästa version av ${label.toLowerCase()}`, hint: 'Gäller utkast som skickas för signering efter att den sparats; redan utskrivna dokument ändras inte.', rows: 10, maxLength: SECTION_MAX_LENGTH })}
          <div class="actions"><button type="submit">Spara som version ${t.version + 1}</button></div></form>`
        : html`<p>${t.text}</p>`}</section>`;
  });
  return page({
    title: 'Standardtexter',
    actor: o.actor,
    body: html`<h1>Kommunens standardtexter</h1>
      <p class="lead">Texten för värdegrund och för uppsägning och hävning i överenskommelser vars utkast inte har en egen. Varje ändring sparas som en ny version; ett dokument som skickats för signering behåller texten det skrevs ut med.</p>
      ${sections}`,
  });
}

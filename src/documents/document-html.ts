import type { AgreementDocument, Block } from '@workflows/agreement/document';
import { escapeHtml as e } from '@app/notifications/reminder-mail';

/** The document's own stylesheet: A4, a serif body with embedded fonts (Chromium subsets and embeds what it uses). */
export const DOCUMENT_CSS = `
html { font-family: 'DejaVu Serif', 'Liberation Serif', serif; font-size: 10.5pt; line-height: 1.45; color: #111; }
body { margin: 0; padding: 4mm 20mm 0 22mm; }
header { border-bottom: 1px solid #444; padding-bottom: 6mm; margin-bottom: 6mm; }
header p { margin: 0; font-family: 'DejaVu Sans', 'Liberation Sans', sans-serif; font-size: 9pt; }
h1 { font-size: 18pt; margin: 4mm 0 2mm; }
h2 { font-size: 12.5pt; margin: 7mm 0 2mm; font-family: 'DejaVu Sans', 'Liberation Sans', sans-serif; break-after: avoid; }
p { margin: 0 0 2.5mm; }
ul { margin: 0 0 2.5mm 5mm; padding-left: 4mm; }
table { border-collapse: collapse; margin: 1mm 0 3mm; width: 100%; break-inside: avoid; }
th, td { text-align: left; padding: 1mm 2mm; border-bottom: 1px solid #bbb; vertical-align: top; }
td.num, th.num { text-align: right; white-space: nowrap; }
tfoot td { font-weight: bold; border-top: 1px solid #444; }
.signatures { break-inside: avoid; margin-top: 10mm; }
.signature { display: inline-block; width: 46%; margin: 0 3% 10mm 0; vertical-align: top; }
.signature .line { border-bottom: 1px solid #111; height: 12mm; }
.muted { color: #444; }
`;

const isAmount = (cell: string): boolean => /^-?[\d ]+ kr$|^[\d,]+ %$/.test(cell);

function block(b: Block): string {
  switch (b.kind) {
    case 'paragraph':
      return `<p>${e(b.text)}</p>`;
    case 'list':
      return `<ul>${b.items.map((i) => `<li>${e(i)}</li>`).join('')}</ul>`;
    case 'table': {
      const cell = (tag: 'td' | 'th', c: string) => `<${tag}${isAmount(c) ? ' class="num"' : ''}>${e(c)}</${tag}>`;
      return `<table><thead><tr>${b.head.map((h, i) => `<th scope="col"${i > 0 && b.rows.some((r) => isAmount(r[i] ?? '')) ? ' class="num"' : ''}>${e(h)}</th>`).join('')}</tr></thead>
        <tbody>${b.rows.map((r) => `<tr>${r.map((c) => cell('td', c)).join('')}</tr>`).join('')}</tbody>
        ${b.foot ? `<tfoot><tr>${b.foot.map((c) => cell('td', c)).join('')}</tr></tfoot>` : ''}</table>`;
    }
  }
}

/** A complete HTML page of the document (lang="sv", headings in order for the PDF's tags and outline). */
export function documentHtml(doc: AgreementDocument, note: string): string {
  const reference = [doc.committee, doc.diarienummer ? `Diarienummer ${doc.diarienummer}` : null].filter(Boolean).join(' · ');
  return `<!doctype html><html lang="sv"><head><meta charset="utf-8"><title>${e(doc.title)} – ${e(doc.municipality)}</title><style>${DOCUMENT_CSS}</style></head><body>
<header><p>${e(doc.municipality)}</p>${reference ? `<p>${e(reference)}</p>` : ''}
<h1>Idéburet offentligt partnerskap: ${e(doc.title)}</h1>
<p class="muted">${e(note)}</p></header>
<main>
${doc.sections.map((s) => `<section><h2>${s.number}. ${e(s.heading)}</h2>${s.blocks.map(block).join('\n')}</section>`).join('\n')}
<section class="signatures"><h2>Underskrifter</h2>
<p>Överenskommelsen undertecknas elektroniskt av varje parts firmatecknare. Underskrifterna, tidpunkterna och dokumentets kontrollsumma redovisas på underskriftssidan i det undertecknade dokumentet.</p>
${doc.signatureBlock.map((s) => `<div class="signature"><p><strong>För ${e(s.party)}</strong></p><div class="line"></div><p>${e(s.signatories.join(', ') || '(firmatecknare anges i villkoren)')}</p></div>`).join('')}
</section>
</main></body></html>`;
}

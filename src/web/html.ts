import { escapeHtml } from '@app/notifications/reminder-mail';

/**
 * HTML built from tagged templates that escape every interpolated value unless it is already
 * Html (another template's result). The only way to emit unescaped markup is `trustedHtml`, for
 * markup the web module builds itself (the lifecycle diagram's SVG), never for user data.
 */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

/** What may stand in a template: text and numbers are escaped, Html is kept, nothing renders as nothing. */
export type HtmlValue = Html | string | number | boolean | null | undefined | readonly HtmlValue[];

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false || value === true) return '';
  if (value instanceof Html) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): Html {
  let out = strings[0];
  values.forEach((v, i) => {
    out += render(v) + strings[i + 1];
  });
  return new Html(out);
}

/** Markup this module writes itself (e.g. an inline SVG path), never anything a user typed. */
export const trustedHtml = (markup: string): Html => new Html(markup);

/** An attribute that is present or absent: html`<input ${attr('checked', on)}>`. */
export const attr = (name: string, on: boolean): Html => new Html(on ? ` ${name}` : '');

/**
 * Text a person typed, with its paragraphs and line breaks kept: a blank line starts a new <p>, a
 * single line break is a <br>. Every line is escaped; nothing the person wrote becomes markup.
 */
export function paragraphs(text: string | null | undefined, empty = '–'): Html {
  const blocks = (text ?? '').replace(/\r\n?/g, '\n').trim().split(/\n[ \t]*\n\s*/).filter((b) => b.trim() !== '');
  if (blocks.length === 0) return html`<p>${empty}</p>`;
  return html`${blocks.map((b) => html`<p>${b.split('\n').map((line, i) => (i === 0 ? html`${line}` : html`<br>${line}`))}</p>`)}`;
}

import type { FieldProblem } from '@app/common/domain-error';
import { randomUUID } from 'node:crypto';
import { attr, html, type Html } from './html';

/** The field id for an API field path: validity.startDate → f-validity-startDate. */
export const fieldId = (name: string): string => `f-${name.replace(/[^A-Za-z0-9_-]/g, '-')}`;

/**
 * One form's values and the API's problems, keyed by the API's own field paths (the inputs are
 * named that way), and the labels of the fields rendered, so every message can point at its field.
 */
export class FormState {
  private readonly labels = new Map<string, string>();

  constructor(
    readonly values: Readonly<Record<string, string | string[] | undefined>> = {},
    readonly problems: readonly FieldProblem[] = [],
    /** Tells two forms on one page apart in the field ids. */
    readonly idPrefix = '',
  ) {}

  id(name: string): string {
    return fieldId(`${this.idPrefix}${name}`);
  }

  value(name: string): string {
    const v = this.values[name];
    return Array.isArray(v) ? (v[0] ?? '') : (v ?? '');
  }

  list(name: string): string[] {
    const v = this.values[name];
    return v === undefined ? [] : Array.isArray(v) ? v : [v];
  }

  /** The API's message with the field path replaced by the label the person sees. */
  messagesFor(name: string): string[] {
    return this.problems.filter((p) => p.field === name).map((p) => this.readable(p));
  }

  register(name: string, label: string): void {
    this.labels.set(name, label);
  }

  /** The nearest rendered field for a problem (parties.0 → parties, if only that is a field). */
  targetOf(field: string): string | null {
    for (let f = field; f; f = f.includes('.') ? f.slice(0, f.lastIndexOf('.')) : '') {
      if (this.labels.has(f)) return f;
    }
    return null;
  }

  readable(p: FieldProblem): string {
    const label = this.labels.get(p.field);
    return label && p.message.startsWith(p.field) ? `${label}${p.message.slice(p.field.length)}` : p.message;
  }
}

function errorText(id: string, messages: string[]): Html {
  return messages.length ? html`<p class="field-error" id="${id}-fel"><span class="visually-hidden">Fel: </span>${messages.join(' ')}</p>` : html``;
}

const describedBy = (id: string, hint: boolean, error: boolean): Html => {
  const ids = [hint ? `${id}-hjalp` : '', error ? `${id}-fel` : ''].filter(Boolean).join(' ');
  return ids ? html` aria-describedby="${ids}"` : html``;
};

export interface FieldOptions {
  name: string;
  label: string;
  hint?: string;
  type?: 'text' | 'email' | 'password' | 'date' | 'number';
  inputmode?: 'numeric' | 'decimal';
  autocomplete?: string;
  required?: boolean;
  /** For fields whose width should fit their content (dates, amounts). */
  short?: boolean;
  value?: string;
  /** The server's limit for the field, so the browser stops there too. */
  maxLength?: number;
}

const maxLengthOf = (n: number | undefined): Html => (n === undefined ? html`` : html` maxlength="${String(n)}"`);

export function textField(form: FormState, o: FieldOptions): Html {
  form.register(o.name, o.label);
  const id = form.id(o.name);
  const messages = form.messagesFor(o.name);
  const value = o.value ?? form.value(o.name);
  return html`<div class="field${messages.length ? ' field-invalid' : ''}">
  <label for="${id}">${o.label}${o.required ? html` <span class="required">(obligatoriskt)</span>` : ''}</label>
  ${o.hint ? html`<p class="hint" id="${id}-hjalp">${o.hint}</p>` : ''}
  ${errorText(id, messages)}
  <input id="${id}" name="${o.name}" type="${o.type ?? 'text'}" value="${value}"${o.short ? html` class="short"` : ''}${o.inputmode ? html` inputmode="${o.inputmode}"` : ''}${o.autocomplete ? html` autocomplete="${o.autocomplete}"` : ''}${maxLengthOf(o.maxLength)}${attr('required', o.required === true)}${messages.length ? html` aria-invalid="true"` : ''}${describedBy(id, Boolean(o.hint), messages.length > 0)}>
</div>`;
}

export function textArea(form: FormState, o: Omit<FieldOptions, 'type' | 'inputmode' | 'short'> & { rows?: number }): Html {
  form.register(o.name, o.label);
  const id = form.id(o.name);
  const messages = form.messagesFor(o.name);
  return html`<div class="field${messages.length ? ' field-invalid' : ''}">
  <label for="${id}">${o.label}${o.required ? html` <span class="required">(obligatoriskt)</span>` : ''}</label>
  ${o.hint ? html`<p class="hint" id="${id}-hjalp">${o.hint}</p>` : ''}
  ${errorText(id, messages)}
  <textarea id="${id}" name="${o.name}" rows="${o.rows ?? 4}"${maxLengthOf(o.maxLength)}${attr('required', o.required === true)}${messages.length ? html` aria-invalid="true"` : ''}${describedBy(id, Boolean(o.hint), messages.length > 0)}>${o.value ?? form.value(o.name)}</textarea>
</div>`;
}

export interface Choice {
  value: string;
  label: string;
}

export function selectField(form: FormState, o: { name: string; label: string; choices: Choice[]; hint?: string; value?: string; empty?: string }): Html {
  form.register(o.name, o.label);
  const id = form.id(o.name);
  const messages = form.messagesFor(o.name);
  const selected = o.value ?? form.value(o.name);
  return html`<div class="field${messages.length ? ' field-invalid' : ''}">
  <label for="${id}">${o.label}</label>
  ${o.hint ? html`<p class="hint" id="${id}-hjalp">${o.hint}</p>` : ''}
  ${errorText(id, messages)}
  <select id="${id}" name="${o.name}"${messages.length ? html` aria-invalid="true"` : ''}${describedBy(id, Boolean(o.hint), messages.length > 0)}>
    ${o.empty !== undefined ? html`<option value="">${o.empty}</option>` : ''}
    ${o.choices.map((c) => html`<option value="${c.value}"${attr('selected', c.value === selected)}>${c.label}</option>`)}
  </select>
</div>`;
}

/** A group of checkboxes sharing one name (a list in the API); its problems are those of the list and its items. */
export function checkboxGroup(form: FormState, o: { name: string; legend: string; choices: Choice[]; checked: string[]; hint?: string }): Html {
  form.register(o.name, o.legend);
  const id = form.id(o.name);
  const messages = form.problems.filter((p) => p.field === o.name || p.field.startsWith(`${o.name}.`)).map((p) => form.readable(p));
  return html`<fieldset class="field${messages.length ? ' field-invalid' : ''}" id="${id}"${describedBy(id, Boolean(o.hint), messages.length > 0)}>
  <legend>${o.legend}</legend>
  ${o.hint ? html`<p class="hint" id="${id}-hjalp">${o.hint}</p>` : ''}
  ${errorText(id, messages)}
  ${o.choices.map(
    (c, i) => html`<div class="checkbox"><input type="checkbox" id="${id}-${i}" name="${o.name}" value="${c.value}"${attr('checked', o.checked.includes(c.value))}><label for="${id}-${i}">${c.label}</label></div>`,
  )}
</fieldset>`;
}

/** A fieldset whose own problems (e.g. "parties" or "economics.costLines") are shown at its legend. */
export function fieldset(form: FormState, o: { name: string; legend: string; hint?: string; body: Html }): Html {
  form.register(o.name, o.legend);
  const id = form.id(o.name);
  const messages = form.messagesFor(o.name);
  return html`<fieldset class="group${messages.length ? ' field-invalid' : ''}" id="${id}"${describedBy(id, Boolean(o.hint), messages.length > 0)}>
  <legend>${o.legend}</legend>
  ${o.hint ? html`<p class="hint" id="${id}-hjalp">${o.hint}</p>` : ''}
  ${errorText(id, messages)}
  ${o.body}
</fieldset>`;
}

/** Rendered after the fields (so it knows their labels), shown first: every problem, linked to its field. */
/** The field a one-time form token travels in: a double submit or a reload then creates nothing twice. */
export const FORM_TOKEN = 'formToken';

/** A new token for a new form; a form shown again with its problems keeps its token. */
export function formTokenField(form: FormState): Html {
  return html`<input type="hidden" name="${FORM_TOKEN}" value="${form.value(FORM_TOKEN) || randomUUID()}">`;
}

export function errorSummary(form: FormState): Html {
  if (form.problems.length === 0) return html``;
  return html`<div class="error-summary" role="alert" tabindex="-1" aria-labelledby="${form.id('felrubrik')}" data-focus-on-load>
  <h2 id="${form.id('felrubrik')}">Uppgifterna behöver rättas</h2>
  <ul>${form.problems.map((p) => {
    const target = form.targetOf(p.field);
    return html`<li>${target ? html`<a href="#${form.id(target)}">${form.readable(p)}</a>` : form.readable(p)}</li>`;
  })}</ul>
</div>`;
}

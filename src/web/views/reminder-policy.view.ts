import type { AgreementView } from '@app/agreements/agreements.service';
import type { Actor } from '@app/audit/actor';
import type { FieldProblem } from '@app/common/domain-error';
import { DEFAULT_REMINDER_POLICY, type ReminderOffset, type ReminderPolicy } from '@workflows/agreement/reminders';
import { errorSummary, formTokenField, FormState, textField } from '../forms';
import { formText, type FormBody } from '../form-input';
import { html } from '../html';
import { page } from '../layout';
import { offsetsWords, REMINDER_POLICY_PATH, REMINDER_POLICY_ROWS } from './agreement.view';
import { agreementPath } from './common';

const UNITS: Array<[RegExp, keyof ReminderOffset]> = [
  [/^(m|mån|månad|månader)$/, 'months'],
  [/^(v|vecka|veckor)$/, 'weeks'],
  [/^(d|dag|dagar)$/, 'days'],
];

/** "6 månader, 1 månad 2 veckor, på dagen" → offsets; null when a part cannot be read. */
export function offsetsFromText(text: string): ReminderOffset[] | null {
  const items = text.split(/[,;]|\boch\b/).map((s) => s.trim().toLowerCase()).filter(Boolean);
  const out: ReminderOffset[] = [];
  for (const item of items) {
    if (/^(på dagen|samma dag|0)$/.test(item)) {
      out.push({});
      continue;
    }
    const offset: ReminderOffset = {};
    const parts = [...item.matchAll(/(\d{1,3})\s*([a-zåäö]+)/g)];
    if (parts.length === 0 || parts.map((m) => m[0]).join(' ').replace(/\s+/g, '') !== item.replace(/\s+/g, '')) return null;
    for (const [, n, unit] of parts) {
      const key = UNITS.find(([re]) => re.test(unit ?? ''))?.[1];
      if (!key || offset[key] !== undefined) return null;
      offset[key] = Number(n);
    }
    out.push(offset);
  }
  return out;
}

/** The form's fields: a list written out only when this agreement has its own, empty for the default. */
export function reminderPolicyValues(policy: Partial<ReminderPolicy> | null): Record<string, string> {
  return Object.fromEntries(REMINDER_POLICY_ROWS.map(([key]) => [key, policy?.[key] ? offsetsWords(policy[key]) : '']));
}

/** The form as the API's ReminderPolicyDto body (lists left empty keep the default), or the fields that could not be read. */
export function parseOffsets(body: FormBody): { input: Record<string, unknown>; problems: FieldProblem[] } {
  const input: Record<string, unknown> = {};
  const problems: FieldProblem[] = [];
  for (const [key, label] of REMINDER_POLICY_ROWS) {
    const text = formText(body, key);
    if (text === '') continue;
    if (/^inga( påminnelser)?$/i.test(text)) {
      input[key] = [];
      continue;
    }
    const offsets = offsetsFromText(text);
    if (offsets === null) problems.push({ field: key, message: `${label}: skriv till exempel "6 månader, 1 månad, 1 vecka, på dagen".` });
    else input[key] = offsets;
  }
  return { input, problems };
}

/** `afterPost`: the page answers a refused POST; it then stands in history as the form's own address (no resubmission on Back or reload). */
export function reminderPolicyPage(o: { actor: Actor; agreement: AgreementView; form: FormState; afterPost?: boolean }): string {
  const a = o.agreement;
  const f = o.form;
  const fields = REMINDER_POLICY_ROWS.map(([key, label]) =>
    textField(f, { name: key, label, hint: `Lämna tomt för standard: ${offsetsWords(DEFAULT_REMINDER_POLICY[key])}. Skriv "inga" för att inte påminna.` }),
  );
  return page({
    title: `Påminnelser – ${a.title}`,
    actor: o.actor,
    body: html`<p class="muted"><a href="${agreementPath(a.id)}">${a.title}</a> › Påminnelser</p>
      <h1>När påminnelser skickas</h1>
      <p class="lead">Hur långt före (eller efter) varje datum påminnelserna om ${a.title} går ut. Ändringen gäller bara den här överenskommelsen, planerar om kommande påminnelser direkt och sparas i historiken.</p>
      ${errorSummary(f)}
      <form method="post" action="${agreementPath(a.id)}${REMINDER_POLICY_PATH}" novalidate class="agreement-terms"${o.afterPost ? html` data-history-url="${agreementPath(a.id)}${REMINDER_POLICY_PATH}"` : ''}>${formTokenField(f)}${fields}
        <div class="actions"><button type="submit">Spara påminnelserna</button><a class="button button-secondary" href="${agreementPath(a.id)}">Avbryt</a></div>
      </form>`,
  });
}

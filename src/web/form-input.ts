import type { ArgumentMetadata, Type } from '@nestjs/common';
import { DomainError, type FieldProblem } from '@app/common/domain-error';
import { strictValidationPipe } from '@app/common/validation';
import { integerFromText, kronorFromText, percentToBasisPoints } from './format';

/** A urlencoded form as Express parses it (flat keys, a repeated key gives a list). */
export type FormBody = Record<string, string | string[] | undefined>;

/** Only text counts: a JSON body sent to a form's address may hold anything, and is read as empty. */
const textOf = (v: unknown): string => (typeof v === 'string' ? v : '');

export const formText = (body: FormBody, key: string): string => {
  const v: unknown = body[key];
  return textOf(Array.isArray(v) ? v[0] : v).trim();
};

export const formList = (body: FormBody, key: string): string[] => {
  const v: unknown = body[key];
  return (v === undefined ? [] : Array.isArray(v) ? v : [v]).map((s) => textOf(s).trim()).filter(Boolean);
};

/** Indexes N for which some `prefix.N.*` field was sent, in order. */
export function indexesOf(body: FormBody, prefix: string): number[] {
  const found = new Set<number>();
  for (const key of Object.keys(body)) {
    const m = new RegExp(`^${prefix.replace(/\./g, '\\.')}\\.(\\d+)\\.`).exec(key);
    if (m) found.add(Number(m[1]));
  }
  return [...found].sort((a, b) => a - b);
}

/** Validates a body exactly as the API does (same pipe, same Swedish messages): the DTO, or a DomainError with problems. */
export async function validated<T extends object>(type: Type<T>, body: Record<string, unknown>): Promise<T> {
  const metadata: ArgumentMetadata = { type: 'body', metatype: type, data: '' };
  const dto: unknown = await strictValidationPipe().transform(body, metadata);
  return dto as T;
}

/** The API's field problems when it refused the input (validation_failed), else null. */
export const problemsOf = (error: unknown): FieldProblem[] | null =>
  error instanceof DomainError && error.code === 'validation_failed' ? ((error.details.problems as FieldProblem[] | undefined) ?? []) : null;

/**
 * The API names an item of a list by its place in the list it was sent (`members.2.name`); the form
 * left empty rows out, so `fieldOf[2]` says which form row that was (`members.3`) and the rest is kept.
 */
export function remapListProblems(problems: readonly FieldProblem[], list: string, fieldOf: readonly string[]): FieldProblem[] {
  const pattern = new RegExp(`^${list.replace(/\./g, '\\.')}\\.(\\d+)(\\..*)?$`);
  return problems.map((p) => {
    const m = pattern.exec(p.field);
    const row = m ? fieldOf[Number(m[1])] : undefined;
    if (!m || row === undefined) return p;
    const field = `${row}${m[2] ?? ''}`;
    return { field, message: p.message.startsWith(p.field) ? `${field}${p.message.slice(p.field.length)}` : p.message };
  });
}

/** The event form as the API's SendEventDto body: empty fields left out, numbers as numbers. */
export function sendEventBody(body: FormBody): Record<string, unknown> {
  const out: Record<string, unknown> = { type: formText(body, 'type') };
  // Every plain field the event's page rendered (organisationId, reason, ground, note …); lists have dotted names.
  for (const key of Object.keys(body).filter((k) => !k.includes('.') && k !== 'type' && k !== 'expectedVersion')) {
    const v = formText(body, key);
    if (v) out[key] = v;
  }
  const version = formText(body, 'expectedVersion');
  if (version) out.expectedVersion = integerFromText(version);
  const lines = indexesOf(body, 'lines').map((i) => ({ organisationId: formText(body, `lines.${i}.organisationId`), amount: formText(body, `lines.${i}.amountKr`) }));
  if (lines.length > 0) out.lines = lines.filter((l) => l.amount !== '').map((l) => ({ organisationId: l.organisationId, amountKr: kronorFromText(l.amount) }));
  return out;
}

function optional(body: FormBody, keys: readonly string[], prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of keys) {
    const v = formText(body, `${prefix}${k}`);
    if (v !== '') out[k] = v;
  }
  return out;
}

/** The form's `economics.*` fields as the API's EconomicsDto body, or null when nothing was filled in. */
export function economicsBody(body: FormBody): Record<string, unknown> | null {
  const costLines = indexesOf(body, 'economics.costLines')
    .map((i) => ({ label: formText(body, `economics.costLines.${i}.label`), amount: formText(body, `economics.costLines.${i}.amountKr`) }))
    .filter((l) => l.label !== '' || l.amount !== '')
    .map((l) => ({ label: l.label, amountKr: kronorFromText(l.amount) }));
  const total = formText(body, 'economics.totalKr');
  if (!total && costLines.length === 0) return null;
  const indexation = formText(body, 'economics.indexationBasisPoints');
  // A total left empty is the cost lines together (when they are all amounts; otherwise the validator names them).
  const amounts = costLines.map((l) => l.amountKr);
  const sum = amounts.every((a): a is number => typeof a === 'number') ? amounts.reduce((x, y) => x + y, 0) : '';
  return { costLines, totalKr: total ? kronorFromText(total) : sum, indexationBasisPoints: indexation ? percentToBasisPoints(indexation) : 0 };
}

/** A whole number typed in a form, or left out when empty (the validator names a missing required one). */
export function optionalInteger(body: FormBody, key: string): number | string | undefined {
  const v = formText(body, key).replace(/[\s\u00a0\u202f]/g, '');
  return v === '' ? undefined : integerFromText(v);
}

/** The form's `followUp.*` fields as the API's FollowUpDutiesDto body, or null when none was filled in (no duties). */
export function followUpBody(body: FormBody): Record<string, unknown> | null {
  const meetings = optionalInteger(body, 'followUp.meetingsPerYear');
  const day = optionalInteger(body, 'followUp.yearlyReport.dueDay');
  const month = optionalInteger(body, 'followUp.yearlyReport.dueMonth');
  if (meetings === undefined && day === undefined && month === undefined) return null;
  return { meetingsPerYear: meetings ?? 0, ...(day !== undefined || month !== undefined ? { yearlyReport: { dueMonth: month, dueDay: day } } : {}) };
}

/** The initiative and draft forms as the API's AgreementTermsDto body: what was left empty is left out. */
export function termsBody(body: FormBody): Record<string, unknown> {
  const out: Record<string, unknown> = { title: formText(body, 'title'), ...optional(body, ['diarienummer', 'committee', 'purpose', 'targetGroup', 'activities', 'placeCategory']) };
  if (formText(body, 'places')) out.places = integerFromText(formText(body, 'places'));
  const validity = optional(body, ['startDate', 'endDate'], 'validity.');
  if (Object.keys(validity).length > 0) out.validity = validity;
  const extension = optional(body, ['periodMonths', 'maxExtensions', 'decisionNoticeMonths'], 'extension.');
  if (Object.keys(extension).length > 0) out.extension = Object.fromEntries(Object.entries(extension).map(([k, v]) => [k, integerFromText(v)]));
  out.parties = indexesOf(body, 'parties')
    .filter((i) => formText(body, `parties.${i}.organisationId`) !== '')
    .map((i) => {
      const contribution = formText(body, `parties.${i}.contributionKr`);
      const sharePercent = formText(body, `parties.${i}.shareBasisPoints`);
      return {
        organisationId: formText(body, `parties.${i}.organisationId`),
        ...(contribution ? { contributionKr: kronorFromText(contribution) } : {}),
        ...(sharePercent ? { shareBasisPoints: percentToBasisPoints(sharePercent) } : {}),
      };
    });
  const economics = economicsBody(body);
  if (economics) out.economics = economics;
  const invoicing = optional(body, ['address', 'gln', 'organisationNumber', 'peppolId', 'reference', 'marking'], 'invoicing.');
  if (Object.keys(invoicing).length > 0) out.invoicing = invoicing;
  const followUp = followUpBody(body);
  if (followUp) out.followUp = followUp;
  if (body.signatoryIds !== undefined || body.samverkansgruppIds !== undefined || formText(body, 'expectedVersion')) {
    out.signatoryIds = formList(body, 'signatoryIds');
    out.samverkansgruppIds = formList(body, 'samverkansgruppIds');
  }
  const version = formText(body, 'expectedVersion');
  if (version) out.expectedVersion = integerFromText(version);
  return out;
}

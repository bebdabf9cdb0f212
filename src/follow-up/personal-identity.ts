/**
 * Finds Swedish personal identity numbers (personnummer) and coordination numbers
 * (samordningsnummer, day + 60) in free text, with or without century and separator:
 * 198501011234, 19850101-1234, 850101-1234, 8501011234, 850101+1234 (over 100 years old).
 * A candidate counts only if its date exists and its check digit is right (Luhn over the
 * ten digits), so ordinary figures ("2024 deltog 1234 personer", an organisationsnummer,
 * a phone number) are not mistaken for one.
 */

import { luhnCheckDigit } from '@app/organisations/organisation-number';

/** Six date digits with an optional century, an optional separator, four digits; not inside a longer number. */
const CANDIDATE = /(?<!\d)((?:19|20)?)(\d{2})(\d{2})(\d{2})[-+]?(\d{4})(?!\d)/g;

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The ten digits YYMMDDNNNN end in the same Luhn check digit as an organisationsnummer does. */
export function luhnValid(tenDigits: string): boolean {
  return /^\d{10}$/.test(tenDigits) && luhnCheckDigit(tenDigits.slice(0, 9)) === Number(tenDigits[9]);
}

function plausibleDate(century: string, yy: string, mm: string, dd: string): boolean {
  const month = Number(mm);
  const rawDay = Number(dd);
  const day = rawDay > 60 ? rawDay - 60 : rawDay;
  if (month < 1 || month > 12 || day < 1 || day > DAYS_IN_MONTH[month - 1]) return false;
  if (month === 2 && day === 29 && century) {
    const year = Number(century + yy);
    return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  }
  return true;
}

/** Whether the text carries something that is a personnummer or samordningsnummer. */
export function containsPersonalIdentityNumber(text: string): boolean {
  for (const match of text.matchAll(CANDIDATE)) {
    const [, century, yy, mm, dd, serial] = match;
    if (plausibleDate(century, yy, mm, dd) && luhnValid(`${yy}${mm}${dd}${serial}`)) return true;
  }
  return false;
}

/**
 * Every string in a plain object (DTO), with its field path ("participants.0.name"), that carries a
 * personal identity number.
 */
export function fieldsWithPersonalIdentityNumbers(value: unknown, path = ''): string[] {
  if (typeof value === 'string') return containsPersonalIdentityNumber(value) ? [path] : [];
  if (Array.isArray(value)) return value.flatMap((item, i) => fieldsWithPersonalIdentityNumbers(item, path ? `${path}.${i}` : String(i)));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) => fieldsWithPersonalIdentityNumbers(item, path ? `${path}.${key}` : key));
  }
  return [];
}

/** The refusal, in Swedish, for a field that carries one. */
export const PERSONAL_IDENTITY_MESSAGE =
  'Uppföljningen får bara innehålla sammanräknade uppgifter, inga personuppgifter om deltagare. Fältet innehåller något som ser ut som ett personnummer eller samordningsnummer: ta bort det.';

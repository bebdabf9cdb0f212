/**
 * Swedish organisationsnummer: NNNNNN-NNNN, the last digit a Luhn (mod 10)
 * check digit over the first nine. The third digit is 2 or more for legal
 * entities, which is what tells an organisationsnummer from a personnummer
 * (month 01–12). Municipalities (212000-xxxx, group 2) meet that rule too.
 * Pure: no NestJS.
 */

export type OrganisationNumberProblem = 'format' | 'legal_entity' | 'check_digit';

export const ORGANISATION_NUMBER_MESSAGES: Record<OrganisationNumberProblem, string> = {
  format: 'organisationsnummer ska ha formen NNNNNN-NNNN',
  legal_entity: 'organisationsnummer ska ha 2 eller högre som tredje siffra (ett personnummer är inget organisationsnummer)',
  check_digit: 'organisationsnummer har fel kontrollsiffra',
};

export type OrganisationNumberResult =
  | { ok: true; value: string }
  | { ok: false; problem: OrganisationNumberProblem; message: string };

const PATTERN = /^(\d{6})-?(\d{4})$/;

/** The Luhn check digit for a string of digits (weights 2, 1, 2, … from the left for nine digits). */
export function luhnCheckDigit(digits: string): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i += 1) {
    // Weight 2 on every other digit counted from the one next to the check digit.
    const weight = (digits.length - i) % 2 === 1 ? 2 : 1;
    const product = Number(digits[i]) * weight;
    sum += product > 9 ? product - 9 : product;
  }
  return (10 - (sum % 10)) % 10;
}

const fail = (problem: OrganisationNumberProblem): OrganisationNumberResult => ({
  ok: false,
  problem,
  message: ORGANISATION_NUMBER_MESSAGES[problem],
});

/** Checks an organisationsnummer, with or without the dash, and gives it back as NNNNNN-NNNN. */
export function parseOrganisationNumber(input: unknown): OrganisationNumberResult {
  if (typeof input !== 'string') return fail('format');
  const match = PATTERN.exec(input.trim());
  if (!match) return fail('format');
  const digits = match[1] + match[2];
  if (Number(digits[2]) < 2) return fail('legal_entity');
  if (luhnCheckDigit(digits.slice(0, 9)) !== Number(digits[9])) return fail('check_digit');
  return { ok: true, value: `${match[1]}-${match[2]}` };
}

/**
 * A PEPPOL participant id in scheme 0007 is a Swedish organisationsnummer (0007:2120000449, seed 000):
 * what is wrong with that number, or null (also for other schemes, which are not ours to check).
 */
export function peppolOrganisationNumberProblem(value: unknown): string | null {
  if (typeof value !== 'string' || !value.startsWith('0007:')) return null;
  const result = parseOrganisationNumber(value.slice(5));
  return result.ok ? null : result.message;
}

export const isOrganisationNumber = (input: unknown): boolean => parseOrganisationNumber(input).ok;

/** The dashed form of a valid number; anything else is returned unchanged, for validation to report. */
export function normaliseOrganisationNumber<T>(input: T): T | string {
  const result = parseOrganisationNumber(input);
  return result.ok ? result.value : input;
}

/**
 * The organisation group named by the first digit (Bolagsverket's grouping):
 * 2 stat, region och kommun; 5 aktiebolag; 7 ekonomisk förening; 8 ideell förening och stiftelse; …
 */
export const ORGANISATION_GROUPS: Readonly<Record<string, string>> = {
  '1': 'dödsbon',
  '2': 'stat, regioner, kommuner och församlingar',
  '3': 'utländska företag',
  '5': 'aktiebolag',
  '6': 'enkla bolag',
  '7': 'ekonomiska föreningar och bostadsrättsföreningar',
  '8': 'ideella föreningar och stiftelser',
  '9': 'handelsbolag och kommanditbolag',
};

export function organisationGroupOf(input: string): string | null {
  const result = parseOrganisationNumber(input);
  return result.ok ? (ORGANISATION_GROUPS[result.value[0]] ?? null) : null;
}

import { formatBasisPoints, formatKronor, groupThousands } from '@workflows/agreement/economics';
import { AGREEMENT_TIME_ZONE } from '@workflows/calendar/calendar';

/** Swedish formats for the pages: 2 368 800 kr, 70 %, 2025-09-30, 2025-09-30 08:15. */

const DASH = '–';

export const kronor = (amountKr: number | null | undefined): string => (amountKr === null || amountKr === undefined ? DASH : formatKronor(amountKr));

export const share = (basisPoints: number | null | undefined): string => (basisPoints === null || basisPoints === undefined ? DASH : formatBasisPoints(basisPoints));

export const wholeNumber = (n: number | null | undefined): string =>
  n === null || n === undefined ? DASH : groupThousands(String(n));

/** Singular or plural by the count (src/common/plural.ts), for the pages as for the e-mails. */
export { plural, pluralWord } from '@app/common/plural';

/** A calendar date is already ÅÅÅÅ-MM-DD, the Swedish standard form. */
export const date = (d: string | null | undefined): string => d ?? DASH;

const STOCKHOLM = new Intl.DateTimeFormat('sv-SE', {
  timeZone: AGREEMENT_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
});

/** An instant as Stockholm wall time, 2025-09-30 08:15. */
export const dateTime = (at: Date | string | null | undefined): string => (at ? STOCKHOLM.format(new Date(at)).replace(',', '') : DASH);

/** "70" or "70,5" (per cent) → 7000 or 7050 basis points; anything else is returned as typed, for the validator to name. */
export function percentToBasisPoints(text: string): number | string {
  const t = text.trim().replace(/\s|%/g, '').replace(',', '.');
  if (!/^\d+(\.\d{1,2})?$/.test(t)) return text;
  return Math.round(Number(t) * 100);
}

/** "2 368 800", "2368800 kr" → 2368800; anything else as typed. */
export function kronorFromText(text: string): number | string {
  const t = text.replace(/[\s\u00a0\u202f]|kr$/gi, '');
  return /^-?\d{1,15}$/.test(t) ? Number(t) : text;
}

export function integerFromText(text: string): number | string {
  const t = text.trim();
  return /^-?\d{1,9}$/.test(t) ? Number(t) : text;
}

/** Basis points back to what the form shows: 7000 → "70", 7050 → "70,5". */
export const basisPointsToPercent = (bp: number | null | undefined): string =>
  bp === null || bp === undefined ? '' : String(bp / 100).replace('.', ',');

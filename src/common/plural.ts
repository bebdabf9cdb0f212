import { groupThousands } from '@workflows/agreement/economics';

/** The noun's singular form for one, its plural otherwise: pluralWord(1, 'dag', 'dagar') → "dag". */
export const pluralWord = (n: number, singular: string, pluralForm: string): string => (Math.abs(n) === 1 ? singular : pluralForm);

/**
 * The count and the noun in the right number, thousands grouped as every amount in the UI:
 * plural(1, 'överenskommelse', 'överenskommelser') → "1 överenskommelse", 1200 → "1 200 överenskommelser".
 */
export const plural = (n: number, singular: string, pluralForm: string): string => `${n < 0 ? '-' : ''}${groupThousands(String(Math.abs(n)))} ${pluralWord(n, singular, pluralForm)}`;

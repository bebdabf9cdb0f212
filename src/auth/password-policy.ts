import COMMON_PASSWORDS from './common-passwords.json';

/**
 * Memorised secrets as NIST SP 800-63B §5.1.1.2 asks: a minimum length, a generous maximum, no
 * composition rules (no "one digit and one capital"), and a refusal of passwords that are known
 * to be common or guessable. The list is the 10,000 most common passwords of zxcvbn-ts's ranked
 * list (MIT, from @zxcvbn-ts/language-common 4.1.3), plus Swedish and service-specific words.
 */
export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 128;

const COMMON: ReadonlySet<string> = new Set(COMMON_PASSWORDS);

/** Rows of a Swedish keyboard, for walks like "asdfghjklöä" or "1qaz2wsx" (read by column too). */
const KEYBOARD_ROWS = ['1234567890+', 'qwertyuiopå', 'asdfghjklöä', 'zxcvbnm,.-'];
const KEYBOARD_COLUMNS = Array.from({ length: 11 }, (_, i) => KEYBOARD_ROWS.map((r) => r[i] ?? '').join(''));
const LEET: Record<string, string> = { '@': 'a', '4': 'a', '8': 'b', '3': 'e', '1': 'i', '!': 'i', '0': 'o', '$': 's', '5': 's', '7': 't', '2': 'z' };

/** Who the password is for: their own name and e-mail are guessable to anyone who knows them. */
export interface PasswordContext {
  email?: string | null;
  name?: string | null;
}

const isSequential = (a: string, b: string): boolean => {
  if (Math.abs(a.charCodeAt(0) - b.charCodeAt(0)) <= 1) return true;
  return [...KEYBOARD_ROWS, ...KEYBOARD_COLUMNS].some((row) => {
    const i = row.indexOf(a);
    return i >= 0 && (row[i + 1] === b || row[i - 1] === b);
  });
};

/** Repeated characters, sequences and keyboard walks: most neighbours one step apart, or a short pattern repeated. */
function isPattern(value: string): boolean {
  const chars = [...value];
  if (new Set(chars).size <= 3) return true;
  for (let size = 1; size <= Math.floor(chars.length / 2); size += 1) {
    const unit = chars.slice(0, size).join('');
    if (unit.repeat(Math.ceil(chars.length / size)).startsWith(value)) return true;
  }
  let steps = 0;
  for (let i = 1; i < chars.length; i += 1) if (isSequential(chars[i - 1], chars[i])) steps += 1;
  return steps >= (chars.length - 1) * 0.75;
}

/** The word under the decoration people add to meet a rule: leading/trailing digits and symbols, leetspeak. */
function cores(lower: string): string[] {
  const stripped = lower.replace(/^[\d\W_]+|[\d\W_]+$/gu, '');
  const unleet = [...lower].map((c) => LEET[c] ?? c).join('');
  const spaced = lower.replace(/[\s\-_.]+/g, '');
  return [...new Set([lower, stripped, unleet, unleet.replace(/^[\d\W_]+|[\d\W_]+$/gu, ''), spaced])];
}

/** Parts of the person's name and e-mail long enough to matter. */
function personalWords(context: PasswordContext): string[] {
  const local = context.email?.split('@')[0]?.toLowerCase() ?? '';
  const words = [local, ...local.split(/[.\-_+]/), ...(context.name ?? '').toLowerCase().split(/\s+/), (context.name ?? '').toLowerCase().replace(/\s+/g, '')];
  return [...new Set(words.filter((w) => w.length >= 4))];
}

/** Why the password is refused, in Swedish, or null when it may be used. */
export function passwordProblem(password: string, context: PasswordContext = {}): string | null {
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH) return `Lösenordet ska ha minst ${MIN_PASSWORD_LENGTH} tecken.`;
  if (length > MAX_PASSWORD_LENGTH) return `Lösenordet får ha högst ${MAX_PASSWORD_LENGTH} tecken.`;
  const lower = password.normalize('NFC').toLowerCase();
  const candidates = cores(lower);
  if (candidates.some((c) => COMMON.has(c))) return 'Lösenordet är ett av de vanligaste lösenorden och gissas lätt. Välj ett annat, gärna en mening eller flera ord.';
  if (candidates.some((c) => c.length < 4 || isPattern(c))) return 'Lösenordet är upprepade tecken, en följd eller ett tangentbordsmönster och gissas lätt. Välj ett annat, gärna en mening eller flera ord.';
  const personal = personalWords(context);
  if (personal.some((w) => candidates.some((c) => c.includes(w)))) return 'Lösenordet innehåller ditt namn eller din e-postadress och gissas lätt. Välj ett annat.';
  return null;
}

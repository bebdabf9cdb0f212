import { createHash } from 'node:crypto';
import { canonicalJson } from './audit-chain';
import { headsDigest, sortedHeads } from './audit-checkpoint';

/** canonicalJson as it was before it was written for speed: the hashes of every stored row depend on its exact output. */
function reference(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(reference).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${reference(v)}`).join(',')}}`;
}

/** A small deterministic generator (no dependency): values of every JSON kind, nested, with awkward keys. */
function* values(seed: number, count: number): Generator<unknown> {
  let state = seed;
  const random = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  const keys = ['a', 'B', 'b', 'ä', 'Å', 'z', '10', '9', '', ' ', 'a"b', 'Ω', '\u{1F600}', '\uFFFF', 'kåse', 'key\n'];
  const make = (depth: number): unknown => {
    const kind = Math.floor(random() * (depth > 3 ? 6 : 9));
    switch (kind) {
      case 0:
        return null;
      case 1:
        return random() < 0.5;
      case 2:
        return Math.floor(random() * 2000) - 1000;
      case 3:
        return random() * 1e6;
      case 4:
        return keys[Math.floor(random() * keys.length)] + 'text "med" \\ tecken';
      case 5:
        return undefined;
      case 6:
      case 7:
        return Object.fromEntries(Array.from({ length: Math.floor(random() * 6) }, () => [keys[Math.floor(random() * keys.length)], make(depth + 1)]));
      default:
        return Array.from({ length: Math.floor(random() * 5) }, () => make(depth + 1));
    }
  };
  for (let i = 0; i < count; i += 1) yield make(0);
}

describe('canonicalJson', () => {
  it('writes exactly what the first version wrote, for every kind of value', () => {
    for (const value of values(20251201, 5000)) expect(canonicalJson(value)).toBe(reference(value));
  });

  it('sorts keys by UTF-16 code units and leaves out undefined, at every level', () => {
    expect(canonicalJson({ b: 1, a: { d: undefined, c: [1, 'två', null] }, B: true })).toBe('{"B":true,"a":{"c":[1,"två",null]},"b":1}');
    // eslint-disable-next-line no-sparse-arrays
    const holes = [1, , 3];
    expect(canonicalJson(holes)).toBe(reference(holes));
    expect(canonicalJson([undefined])).toBe('[null]');
    expect(canonicalJson(undefined)).toBe('null');
  });
});

describe('headsDigest', () => {
  it('is SHA-256 over the canonical JSON of the sorted heads, as when it was hashed in one piece', () => {
    const heads = Array.from({ length: 500 }, (_, i) => ({
      agreementId: `${(i * 7919) % 500}`.padStart(3, '0') + (i % 3 === 0 ? 'ä' : ''),
      caseType: 'agreement',
      count: i % 17,
      lastHash: `h${i}`,
    }));
    heads.push({ ...heads[10], count: 99 }); // the same id twice: the sort keeps their order
    const whole = createHash('sha256').update(canonicalJson(sortedHeads(heads))).digest('hex');
    expect(headsDigest(heads)).toBe(whole);
    expect(headsDigest([])).toBe(createHash('sha256').update('[]').digest('hex'));
  });
});

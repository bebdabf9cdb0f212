import { DomainError } from './domain-error';
import { encodeCursor, pageOfArray, pageRequestOf, PAGE_SIZE, type Page, type SortKey } from './paging';

const problemOf = (run: () => unknown): unknown => {
  try {
    run();
  } catch (error) {
    return error instanceof DomainError ? error.details.problems : error;
  }
  return null;
};

describe('page requests', () => {
  it('defaults to 50 rows from the start and takes 1 to 200', () => {
    expect(pageRequestOf({}, 2)).toEqual({ limit: PAGE_SIZE.default, after: null });
    expect(pageRequestOf({ limit: '1' }, 2).limit).toBe(1);
    expect(pageRequestOf({ limit: '200' }, 2).limit).toBe(200);
    for (const limit of ['0', '201', '-3', '2.5', 'tio', ['1', '2']]) {
      expect(problemOf(() => pageRequestOf({ limit }, 2))).toEqual([{ field: 'limit', message: 'limit ska vara ett heltal från 1 till 200.' }]);
    }
  });

  it('reads back the cursors it gives and refuses anything else, naming after', () => {
    expect(pageRequestOf({ after: encodeCursor(['Bromodellen', 'a1']) }, 2).after).toEqual(['Bromodellen', 'a1']);
    const bad = [encodeCursor(['bara en']), encodeCursor([1, 2, 3]), Buffer.from('{"a":1}').toString('base64url'), Buffer.from('[null,1]').toString('base64url'), 'ej+base64', 'x'.repeat(2001)];
    for (const after of bad) expect((problemOf(() => pageRequestOf({ after }, 2)) as Array<{ field: string }>)[0].field).toBe('after');
  });
});

describe('pages of a list in memory', () => {
  const rows = Array.from({ length: 23 }, (_, i) => ({ id: `id-${String(i).padStart(2, '0')}`, group: i % 3 }));
  const keys: SortKey<(typeof rows)[number]>[] = [
    { sql: '', value: (r) => r.group, descending: true },
    { sql: '', value: (r) => r.id },
  ];

  it('walks every row once in a stable order, with mixed directions', () => {
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const page: Page<(typeof rows)[number]> = pageOfArray(rows, keys, pageRequestOf(after ? { limit: '5', after } : { limit: '5' }, 2));
      seen.push(...page.items.map((r) => r.id));
      after = page.next;
    } while (after);
    expect(seen).toHaveLength(23);
    expect(new Set(seen).size).toBe(23);
    expect(seen.slice(0, 3)).toEqual(['id-02', 'id-05', 'id-08']);
  });
});

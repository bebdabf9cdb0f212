import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { Brackets } from 'typeorm';
import { DomainError } from './domain-error';

/** Every list answers in pages: 50 rows unless asked, never more than 200. */
export const PAGE_SIZE = { default: 50, max: 200 } as const;

type CursorValue = string | number;

/** A page asked for: its size and where the previous page ended (null: the first page). */
export interface PageRequest {
  limit: number;
  after: CursorValue[] | null;
}

/**
 * One page of a list and the cursor of the next (null on the last page). Controllers return it;
 * PagingInterceptor answers with the items and puts the cursor in a `Link: <…>; rel="next"` header,
 * so a list's body stays the array it always was.
 */
export class Page<T> {
  constructor(
    readonly items: T[],
    readonly next: string | null,
  ) {}

  map<U>(project: (item: T) => U): Page<U> {
    return new Page(this.items.map(project), this.next);
  }
}

/** The cursor is the last row's sort key, opaque to clients. */
export function encodeCursor(values: CursorValue[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

const badCursor = (): DomainError => DomainError.validation([{ field: 'after', message: 'after är ingen giltig sidmarkör: använd länken rel="next" från förra sidan.' }]);

/**
 * A cursor is not signed: one made by hand can hold a value its column cannot take (a word for a
 * date). PostgreSQL refuses it as a data exception (SQLSTATE class 22), which is the client's error.
 */
async function readingCursor<T>(page: PageRequest, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    const code = (error as { code?: unknown; driverError?: { code?: unknown } }).driverError?.code ?? (error as { code?: unknown }).code;
    if (page.after && typeof code === 'string' && code.startsWith('22')) throw badCursor();
    throw error;
  }
}

function decodeCursor(cursor: string, length: number): CursorValue[] {
  const bad = badCursor();
  if (cursor.length > 2000 || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw bad;
  let values: unknown;
  try {
    values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw bad;
  }
  if (!Array.isArray(values) || values.length !== length) throw bad;
  if (!values.every((v) => typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v)))) throw bad;
  return values as CursorValue[];
}

/** Reads `limit` and `after` from a request's query, or says in a 400 what is wrong with them. */
export function pageRequestOf(query: { limit?: unknown; after?: unknown }, keyCount: number): PageRequest {
  let limit: number = PAGE_SIZE.default;
  if (query.limit !== undefined && query.limit !== '') {
    const text = typeof query.limit === 'string' ? query.limit : '';
    if (!/^\d{1,4}$/.test(text) || Number(text) < 1 || Number(text) > PAGE_SIZE.max) {
      throw DomainError.validation([{ field: 'limit', message: `limit ska vara ett heltal från 1 till ${PAGE_SIZE.max}.` }]);
    }
    limit = Number(text);
  }
  if (query.after !== undefined && typeof query.after !== 'string') {
    throw DomainError.validation([{ field: 'after', message: 'after får anges en gång.' }]);
  }
  const after = query.after ? decodeCursor(query.after, keyCount) : null;
  return { limit, after };
}

/**
 * A list's order: SQL expressions, each with the row property that holds its value. The last key
 * must be unique (the id) so the order is total and a page boundary is never ambiguous. Keys must
 * not be null: wrap nullable columns in COALESCE in both the expression and the selected value.
 */
export interface SortKey<T> {
  sql: string;
  value: (row: T) => CursorValue;
  descending?: boolean;
}

/**
 * Keyset paging: `WHERE (k1, k2, …) > (cursor)` spelled out per key so mixed directions work,
 * `ORDER BY` the keys, one row more than the page to know if there is a next. Cost is the index
 * range read, the same on page 1 and page 2,000.
 */
export async function keysetPage<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, keys: SortKey<T>[], page: PageRequest): Promise<Page<T>> {
  return keysetPageOf(qb, keys, page, (q) => q.getMany());
}

/** As keysetPage, for queries read as raw rows (narrow selects that map to no entity). */
export async function keysetRawPage<R extends ObjectLiteral>(
  qb: SelectQueryBuilder<ObjectLiteral>,
  keys: SortKey<R>[],
  page: PageRequest,
  options: KeysetOptions = {},
): Promise<Page<R>> {
  return keysetPageOf(qb, keys, page, (q) => q.getRawMany<R>(), options);
}

export interface KeysetOptions {
  /**
   * Columns the query's filter holds equal to one value (`state = 'active'`), leading an index
   * whose next columns are the keys: put before the keys in the comparison, so later pages are a
   * range of that index too. Not in the cursor.
   */
  equalPrefix?: Array<{ sql: string; value: CursorValue }>;
}

async function keysetPageOf<Q extends ObjectLiteral, R>(
  qb: SelectQueryBuilder<Q>,
  keys: SortKey<R>[],
  page: PageRequest,
  read: (qb: SelectQueryBuilder<Q>) => Promise<R[]>,
  options: KeysetOptions = {},
): Promise<Page<R>> {
  const oneDirection = keys.every((k) => Boolean(k.descending) === Boolean(keys[0].descending));
  if (page.after && oneDirection) {
    // One row comparison, (a, b, id) > (…): PostgreSQL reads it as a range of the index on those columns.
    const prefix = options.equalPrefix ?? [];
    const columns = [...prefix.map((p) => p.sql), ...keys.map((k) => k.sql)];
    const values = [...prefix.map((p) => p.value), ...page.after];
    qb.andWhere(
      `(${columns.join(', ')}) ${keys[0].descending ? '<' : '>'} (${values.map((_, i) => `:page_${i}`).join(', ')})`,
      Object.fromEntries(values.map((v, i) => [`page_${i}`, v])),
    );
  } else if (page.after) {
    const after = page.after;
    qb.andWhere(
      new Brackets((or) => {
        keys.forEach((key, i) => {
          or.orWhere(
            new Brackets((and) => {
              keys.slice(0, i).forEach((earlier, j) => and.andWhere(`${earlier.sql} = :page_${j}`));
              and.andWhere(`${key.sql} ${key.descending ? '<' : '>'} :page_${i}`);
            }),
          );
        });
      }),
      Object.fromEntries(after.map((v, i) => [`page_${i}`, v])),
    );
  }
  keys.forEach((key, i) => (i === 0 ? qb.orderBy(key.sql, key.descending ? 'DESC' : 'ASC') : qb.addOrderBy(key.sql, key.descending ? 'DESC' : 'ASC')));
  const rows = await readingCursor(page, () => read(qb.limit(page.limit + 1)));
  const items = rows.slice(0, page.limit);
  const last = items[items.length - 1];
  const next = rows.length > page.limit && last !== undefined ? encodeCursor(keys.map((k) => k.value(last))) : null;
  return new Page(items, next);
}

/** Pages a list already small and bounded in memory (e.g. the registry's kinds), with the same cursor. */
export function pageOfArray<T>(all: T[], keys: SortKey<T>[], page: PageRequest): Page<T> {
  const compare = (a: CursorValue[], b: CursorValue[]): number => {
    for (let i = 0; i < keys.length; i++) {
      if (a[i] === b[i]) continue;
      const order = a[i] < b[i] ? -1 : 1;
      return keys[i].descending ? -order : order;
    }
    return 0;
  };
  const keyed = all.map((item) => ({ item, key: keys.map((k) => k.value(item)) })).sort((x, y) => compare(x.key, y.key));
  const after = page.after;
  const rest = after ? keyed.filter((x) => compare(x.key, after) > 0) : keyed;
  const items = rest.slice(0, page.limit);
  const next = rest.length > page.limit ? encodeCursor(items[items.length - 1].key) : null;
  return new Page(
    items.map((x) => x.item),
    next,
  );
}

/** The keyset of a hand-written query: a WHERE condition (or TRUE), the ORDER BY, the LIMIT and the cursor's parameters. */
export interface KeysetClause {
  where: string;
  orderBy: string;
  limit: number;
  params: CursorValue[];
}

/**
 * The same keyset for hand-written SQL: `read` gets the clause, its cursor parameters numbered
 * from `firstParameter`, and must LIMIT `clause.limit` (one row more than the page).
 */
export async function keysetRows<T>(keys: SortKey<T>[], page: PageRequest, firstParameter: number, read: (clause: KeysetClause) => Promise<T[]>): Promise<Page<T>> {
  const orderBy = keys.map((k) => `${k.sql} ${k.descending ? 'DESC' : 'ASC'}`).join(', ');
  const p = (i: number): string => `$${firstParameter + i}`;
  const oneDirection = keys.every((k) => Boolean(k.descending) === Boolean(keys[0].descending));
  // One row comparison where it can be (a range of the index), as keysetPageOf.
  const where = page.after && oneDirection
    ? `((${keys.map((k) => k.sql).join(', ')}) ${keys[0].descending ? '<' : '>'} (${keys.map((_, i) => p(i)).join(', ')}))`
    : page.after
    ? `(${keys
        .map((key, i) => `(${[...keys.slice(0, i).map((earlier, j) => `${earlier.sql} = ${p(j)}`), `${key.sql} ${key.descending ? '<' : '>'} ${p(i)}`].join(' AND ')})`)
        .join(' OR ')})`
    : 'TRUE';
  const rows = await readingCursor(page, () => read({ where, orderBy, limit: page.limit + 1, params: page.after ?? [] }));
  const items = rows.slice(0, page.limit);
  const last = items[items.length - 1];
  return new Page(items, rows.length > page.limit && last !== undefined ? encodeCursor(keys.map((k) => k.value(last))) : null);
}

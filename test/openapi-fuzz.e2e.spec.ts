import fc from 'fast-check';
import { createBromodellenParties, bromodellenBody, type BromodellenParties } from '@test/support/factories';
import { startTestApp, type TestApp } from '@test/support/test-app';

interface Schema {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  items?: Schema;
  properties?: Record<string, Schema>;
  allOf?: Schema[];
}
interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  schema?: Schema;
}
interface Operation {
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
}

/** Bounded: per operation and actor, so the whole run stays near 2,000 requests. */
const RUNS_PER_OPERATION = 40;
const SEED = 1212;

const loneSurrogate = fc.constantFrom('\ud800', 'a\udc00b', 'x\udbff');
const nul = fc.constantFrom('\u0000', 'a\u0000', '\u0000\u0000x');
const hugeInt = fc.constantFrom(3_000_000_000, -3_000_000_000, 1e300, Number.MAX_SAFE_INTEGER, 2 ** 31, -(2 ** 31) - 1, 0.5, -1);
const nested = fc.integer({ min: 20, max: 3000 }).map((n) => JSON.parse(`${'['.repeat(n)}${']'.repeat(n)}`) as unknown);
const hugeString = fc.integer({ min: 10_000, max: 60_000 }).map((n) => 'x'.repeat(n));

/** Anything wrong a client might send in place of a value. */
const badValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary', maxLength: 40 }),
  nul,
  loneSurrogate,
  hugeInt,
  hugeString,
  nested,
  fc.constantFrom(null, true, false, {}, [], [{}], [1, 'a'], { a: { b: 'c' } }, 'BEGIN:VEVENT\r\n', '=1+1', '\t=1'),
  fc.array(fc.anything(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.anything(), { maxKeys: 3 }),
);

describe('OpenAPI-driven fuzzing: no input gives a 5xx', () => {
  let t: TestApp;
  let p: BromodellenParties;
  let doc: { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, Schema> } };
  let agreementId: string;

  beforeAll(async () => {
    t = await startTestApp();
    p = await createBromodellenParties(t);
    agreementId = (await t.as(p.bildaSignatory.id).post('/agreements').send(bromodellenBody(p)).expect(201)).body.id as string;
    doc = (await t.http().get('/api/docs-json').expect(200)).body as typeof doc;
  });
  afterAll(() => t.close());

  const resolve = (s: Schema | undefined): Schema => {
    if (!s) return {};
    if (s.$ref) return resolve(doc.components.schemas[s.$ref.split('/').pop()!]);
    if (s.allOf?.length) return resolve(s.allOf[0]);
    return s;
  };

  /** A value for a schema: mostly well-formed (so deeper checks are reached), sometimes wrong. */
  const valueFor = (schema: Schema | undefined, depth = 0): fc.Arbitrary<unknown> => {
    const s = resolve(schema);
    const good: fc.Arbitrary<unknown> = s.enum
      ? fc.constantFrom(...s.enum)
      : s.type === 'integer'
        ? fc.oneof(fc.integer({ min: 0, max: 100 }), hugeInt)
        : s.type === 'number'
          ? fc.double()
          : s.type === 'boolean'
            ? fc.boolean()
            : s.type === 'array'
              ? depth > 4
                ? fc.constant([])
                : fc.array(valueFor(s.items, depth + 1), { maxLength: 3 })
              : s.type === 'object' || s.properties
                ? depth > 4
                  ? fc.constant({})
                  : bodyFor(s, depth + 1)
                : s.format === 'uuid'
                  ? fc.oneof(fc.constant(p.bilda.id), fc.uuid())
                  : fc.oneof(fc.string({ maxLength: 20 }), nul, loneSurrogate);
    return fc.oneof({ weight: 3, arbitrary: good }, { weight: 1, arbitrary: badValue });
  };

  const bodyFor = (schema: Schema, depth = 0): fc.Arbitrary<unknown> => {
    const props = resolve(schema).properties ?? {};
    const record = fc.record(Object.fromEntries(Object.entries(props).map(([k, v]) => [k, valueFor(v, depth)])), { requiredKeys: [] });
    return depth === 0 ? fc.oneof({ weight: 4, arbitrary: record }, { weight: 1, arbitrary: badValue }) : record;
  };

  const pathValue = fc.oneof(
    { weight: 3, arbitrary: fc.constant('ID') },
    { weight: 1, arbitrary: fc.uuid() },
    { weight: 1, arbitrary: fc.oneof(fc.string({ maxLength: 30 }), nul, loneSurrogate, fc.constant('1.eml'), fc.constant('2024')) },
  );

  /** Percent-encodes as a client would; a lone surrogate becomes raw invalid UTF-8 bytes. */
  const encode = (value: string): string => {
    try {
      return encodeURIComponent(value);
    } catch {
      return [...value].map((c) => (/[\ud800-\udfff]/.test(c) ? '%ED%A0%80' : encodeURIComponent(c))).join('');
    }
  };

  it('every operation, as administrator, secretariat and anonymous, answers below 500', async () => {
    const failures: string[] = [];
    let requests = 0;
    const started = Date.now();
    const actors: Array<[string, string | null]> = [
      ['administrator', t.administratorId],
      ['secretariat', p.secretariat.id],
      ['anonymous', null],
    ];
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        if (!['get', 'post', 'put', 'delete', 'patch'].includes(method)) continue;
        const jsonSchema = op.requestBody?.content?.['application/json']?.schema;
        const pathParams = (op.parameters ?? []).filter((x) => x.in === 'path');
        const queryParams = (op.parameters ?? []).filter((x) => x.in === 'query');
        const request = fc.record({
          path: fc.tuple(...pathParams.map(() => pathValue)),
          query: fc.record(Object.fromEntries(queryParams.map((q) => [q.name, fc.oneof(valueFor(q.schema), badValue).map((v) => (typeof v === 'string' ? v : JSON.stringify(v) ?? ''))])), { requiredKeys: [] }),
          body: jsonSchema ? bodyFor(jsonSchema) : fc.oneof(fc.constant(undefined), badValue),
          actor: fc.constantFrom(...actors),
        });
        for (const sample of fc.sample(request, { numRuns: RUNS_PER_OPERATION, seed: SEED + requests })) {
          let i = 0;
          const url = path.replace(/\{[^}]+\}/g, () => {
            const v = sample.path[i++];
            return v === 'ID' ? (path.includes('person') ? p.secretariat.id : agreementId) : encode(v);
          });
          const query = Object.entries(sample.query as Record<string, string>).map(([k, v]) => `${encode(k)}=${encode(v)}`).join('&');
          const [who, personId] = sample.actor;
          let req = t.http()[method as 'get' | 'post' | 'put' | 'delete' | 'patch'](`${url}${query ? `?${query}` : ''}`);
          if (personId) req = req.set('x-person-id', personId);
          if (sample.body !== undefined && method !== 'get') req = req.set('Content-Type', 'application/json').send(JSON.stringify(sample.body) ?? 'null');
          const res = await req;
          requests++;
          if (res.status >= 500) failures.push(`${res.status} ${method.toUpperCase()} ${url} as ${who}: ${JSON.stringify(sample.body)?.slice(0, 200)} → ${res.text.slice(0, 200)}`);
        }
      }
    }
    // Reported so the README's figures can be checked.
    process.stdout.write(`openapi-fuzz: ${requests} requests in ${Date.now() - started} ms, ${failures.length} answered 5xx\n`);
    expect(requests).toBeLessThanOrEqual(3000);
    expect(failures).toEqual([]);
  }, 180_000);
});

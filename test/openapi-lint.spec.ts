import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { startTestApp, type TestApp } from '@test/support/test-app';

/** The generated OpenAPI document passes Redocly's recommended rules with no errors. */
describe('OpenAPI document', () => {
  let t: TestApp;
  let doc: Record<string, unknown>;

  beforeAll(async () => {
    t = await startTestApp();
    doc = (await t.http().get('/api/docs-json').expect(200)).body as Record<string, unknown>;
  });
  afterAll(() => t.close());

  it('has no lint errors (Redocly recommended)', () => {
    const output = execFileSync(process.execPath, [path.join(__dirname, 'support', 'redocly-lint.mjs')], { input: JSON.stringify(doc), encoding: 'utf8' });
    const problems = JSON.parse(output) as Array<{ ruleId: string; severity: string; message: string; pointer: string }>;
    const errors = problems.filter((p) => p.severity === 'error').map((p) => `${p.ruleId}: ${p.message} @ ${p.pointer}`);
    expect(errors).toEqual([]);
  });

  it('declares cookie-session and bearer-token security, and every operation documents its errors with one schema', () => {
    const components = doc.components as { securitySchemes: Record<string, { type: string; in?: string; scheme?: string }>; schemas: Record<string, unknown> };
    expect(components.securitySchemes.session).toMatchObject({ type: 'apiKey', in: 'cookie' });
    expect(components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(components.schemas.Error).toBeDefined();
    const paths = doc.paths as Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema?: unknown }> }> }>>;
    for (const [path, item] of Object.entries(paths)) {
      for (const [method, op] of Object.entries(item)) {
        const codes = Object.keys(op.responses);
        expect({ op: `${method} ${path}`, ok: codes.some((c) => c.startsWith('2') || c.startsWith('3')) }).toEqual({ op: `${method} ${path}`, ok: true });
        for (const code of ['400', '503']) expect({ op: `${method} ${path}`, code, has: codes.includes(code) }).toEqual({ op: `${method} ${path}`, code, has: true });
        expect(JSON.stringify(op.responses['400'])).toContain('#/components/schemas/Error');
        if (['post', 'put', 'patch'].includes(method)) for (const code of ['413', '415']) expect(codes).toContain(code);
      }
    }
  });

  it('declares a real schema for every success answer: a $ref, or a type with declared properties for objects', () => {
    type Schema = { $ref?: string; type?: string; properties?: Record<string, unknown>; additionalProperties?: unknown; items?: Schema; format?: string };
    const schemas = (doc.components as { schemas: Record<string, Schema> }).schemas;
    const paths = doc.paths as Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema?: Schema }> }> }>>;
    const problems: string[] = [];
    const check = (where: string, schema: Schema | undefined): void => {
      if (!schema) return void problems.push(`${where}: no schema`);
      if (schema.$ref) {
        const target = schemas[schema.$ref.replace('#/components/schemas/', '')];
        return target ? check(`${where} -> ${schema.$ref}`, target) : void problems.push(`${where}: ${schema.$ref} is not a component`);
      }
      if (!schema.type) return void problems.push(`${where}: no type`);
      if (schema.additionalProperties === true) problems.push(`${where}: additionalProperties: true placeholder`);
      if (schema.type === 'object' && Object.keys(schema.properties ?? {}).length === 0) problems.push(`${where}: object without properties`);
      if (schema.type === 'array') check(`${where}[]`, schema.items);
    };
    let covered = 0;
    for (const [path, item] of Object.entries(paths)) {
      for (const [method, op] of Object.entries(item)) {
        for (const [code, response] of Object.entries(op.responses)) {
          if (!/^[23]\d\d$/.test(code)) continue;
          const where = `${method} ${path} ${code}`;
          // 204 and redirects have no body; everything else says what it answers.
          if (code === '204' || code.startsWith('3')) {
            if (response.content) problems.push(`${where}: a bodiless answer declares content`);
            continue;
          }
          if (!response.content || Object.keys(response.content).length === 0) problems.push(`${where}: no content`);
          for (const [mediaType, media] of Object.entries(response.content ?? {})) {
            if (mediaType === 'application/json') check(`${where} ${mediaType}`, media.schema);
            else if (media.schema?.type !== 'string' || media.schema.format !== 'binary') problems.push(`${where} ${mediaType}: a file answer is not a binary string`);
          }
          covered++;
        }
      }
    }
    expect(problems).toEqual([]);
    expect(covered).toBeGreaterThanOrEqual(50);
    expect(schemas.AgreementView.properties).toMatchObject({ rowVersion: { type: 'integer' }, startDate: { type: 'string', format: 'date' } });
    expect(JSON.stringify(paths['/agreements/{id}/history.csv'].get.responses['200'].content)).toContain('text/csv');
  });

  it('documents Idempotency-Key and its 422 on every creating POST', () => {
    const paths = doc.paths as Record<string, Record<string, { parameters?: Array<{ name: string; in: string }>; responses: Record<string, unknown> }>>;
    const creating = Object.entries(paths).flatMap(([path, item]) => (item.post?.parameters ?? []).some((p) => p.name === 'Idempotency-Key' && p.in === 'header') ? [path] : []);
    expect(creating).toEqual(expect.arrayContaining(['/agreements', '/agreements/{id}/events', '/organisations']));
    for (const path of creating) expect(Object.keys(paths[path].post.responses)).toContain('422');
  });

  it('types integer fields as integer (int32 columns, int64 money)', () => {
    const schemas = (doc.components as { schemas: Record<string, { properties: Record<string, { type?: string; maximum?: number }> }> }).schemas;
    expect(schemas.CreateAgreementDto.properties.places).toMatchObject({ type: 'integer', format: 'int32' });
    expect(schemas.EconomicsDto.properties.totalKr).toMatchObject({ type: 'integer', format: 'int64' });
    expect(schemas.ExtensionTermsDto.properties.periodMonths).toMatchObject({ type: 'integer' });
    const numbers = Object.entries(schemas).flatMap(([name, s]) => Object.entries(s.properties ?? {}).filter(([, v]) => v.type === 'number').map(([k]) => `${name}.${k}`));
    expect(numbers).toEqual([]);
  });
});

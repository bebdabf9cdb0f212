import { gzipSync } from 'node:zlib';
import { createBromodellenParties, bromodellenBody, type BromodellenParties, sendEvent } from '@test/support/factories';
import { startTestApp, type TestApp } from '@test/support/test-app';

/** Input that used to answer 500: each is refused with a 4xx in Swedish, naming the field where there is one. */
describe('input limits', () => {
  let t: TestApp;
  let p: BromodellenParties;

  beforeAll(async () => {
    t = await startTestApp();
    p = await createBromodellenParties(t);
  });
  afterAll(() => t.close());

  const agreements = async (): Promise<number> => (await t.dataSource.query(`SELECT count(*)::int AS n FROM agreement`))[0].n;
  const fieldsOf = (body: { problems?: Array<{ field: string }> }) => (body.problems ?? []).map((x) => x.field);
  const postJson = (url: string, text: string | Buffer, headers: Record<string, string> = {}) => {
    let req = t.as(p.bildaSignatory.id).post(url).set('Content-Type', 'application/json');
    for (const [k, v] of Object.entries(headers)) req = req.set(k, v);
    return req.send(text);
  };

  it.each([
    ['1 MB', 1024 * 1024],
    ['20 MB', 20 * 1024 * 1024],
  ])('a %s JSON body is 413, signed in or not', async (_label, size) => {
    const body = JSON.stringify({ ...bromodellenBody(p), purpose: 'x'.repeat(size) });
    const res = await postJson('/agreements', body).expect(413);
    expect(res.body).toMatchObject({ error: 'payload_too_large', message: 'Innehållet är för stort.' });
    const anonymous = await t.http().post('/auth/login').set('Content-Type', 'application/json').send(JSON.stringify({ email: 'x'.repeat(size), password: 'y' }));
    expect(anonymous.status).toBe(413);
  });

  it('a gzip bomb is measured after inflating: 413', async () => {
    const body = gzipSync(Buffer.from(JSON.stringify({ ...bromodellenBody(p), purpose: ' '.repeat(5 * 1024 * 1024) })));
    expect(body.length).toBeLessThan(100_000);
    // Raw bytes: supertest would serialise a Buffer given to send().
    const res = await fetch(`${t.started.url}/agreements`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip', 'x-person-id': p.bildaSignatory.id },
      body,
    });
    expect([res.status, await res.json()]).toEqual([413, expect.objectContaining({ error: 'payload_too_large' })]);
    const broken = await fetch(`${t.started.url}/agreements`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' }, body: Buffer.from('inte gzip') });
    expect(broken.status).toBe(400);
  });

  it('a large form is 413 too, as a Swedish page for a browser', async () => {
    const res = await t.http().post('/logga-in').set('Accept', 'text/html').type('form').send(`email=${'a'.repeat(1024 * 1024)}&password=x`).expect(413);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.text).toContain('Innehållet är för stort.');
  });

  it('charset=latin1 and an unknown Content-Encoding are 415', async () => {
    const latin1 = await t.as(p.bildaSignatory.id).post('/agreements').set('Content-Type', 'application/json; charset=latin1').send(JSON.stringify(bromodellenBody(p))).expect(415);
    expect(latin1.body.message).toMatch(/utf-8/);
    await t.http().post('/logga-in').set('Content-Type', 'application/x-www-form-urlencoded; charset=iso-8859-1').send('email=a&password=b').expect(415);
    const encoded = await postJson('/agreements', JSON.stringify(bromodellenBody(p)), { 'Content-Encoding': 'x-hemlig' }).expect(415);
    expect(encoded.body.message).toMatch(/Komprimeringen stöds inte/);
    await postJson('/agreements', JSON.stringify(bromodellenBody(p)), { 'Content-Encoding': 'br' }).expect(415);
  });

  it('malformed JSON is a 400 in Swedish', async () => {
    const res = await postJson('/agreements', '{"title": ').expect(400);
    expect(res.body).toMatchObject({ error: 'validation_failed', message: expect.stringMatching(/inte giltig JSON/) });
  });

  it('JSON nested 3,000 levels deep is 400', async () => {
    const deep = `${'{"a":'.repeat(3000)}1${'}'.repeat(3000)}`;
    const res = await postJson('/agreements', deep).expect(400);
    expect(res.body.problems[0].message).toMatch(/för djupt nästlat/);
    await postJson('/agreements', `${'['.repeat(3000)}${']'.repeat(3000)}`).expect(400);
  });

  it('a NUL in a text field, a query or a key is refused naming the field, and nothing is stored', async () => {
    const before = await agreements();
    const title = await t.as(p.bildaSignatory.id).post('/agreements').send(bromodellenBody(p, { title: 'Bromo\u0000dellen' })).expect(400);
    expect(fieldsOf(title.body)).toEqual(['title']);
    const nested = await t.as(p.bildaSignatory.id).post('/agreements').send(bromodellenBody(p, { economics: { costLines: [{ label: 'lo\u0000kaler', amountKr: 1 }], totalKr: 1, indexationBasisPoints: 0 } })).expect(400);
    expect(fieldsOf(nested.body)).toEqual(['economics.costLines.0.label']);
    const query = await t.as(p.secretariat.id).get('/agreements?state=active%00').expect(400);
    expect(fieldsOf(query.body)).toEqual(['state']);
    await t.as(p.secretariat.id).get('/agreements/%00').expect(400);
    const login = await t.http().post('/auth/login').send({ email: 'nina@example.se\u0000', password: 'x' }).expect(400);
    expect(fieldsOf(login.body)).toEqual(['email']);
    await t.http().post('/logga-in').type('form').send('email=nina%40example.se%00&password=x').expect(400);
    expect(await agreements()).toBe(before);
  });

  it('a lone UTF-16 surrogate in an e-mail address is refused naming the field', async () => {
    const res = await t.admin().post('/people').send({ name: 'Ensam Surrogat', email: 'ensam\ud800@example.se', organisationId: p.bilda.id }).expect(400);
    expect(fieldsOf(res.body)).toEqual(['email']);
    const login = await t.http().post('/auth/login').set('Content-Type', 'application/json').send('{"email":"a\\udc00@example.se","password":"x"}').expect(400);
    expect(fieldsOf(login.body)).toEqual(['email']);
  });

  it('integers beyond their column are refused by name', async () => {
    const before = await agreements();
    const places = await t.as(p.bildaSignatory.id).post('/agreements').send(bromodellenBody(p, { places: 3_000_000_000 })).expect(400);
    expect(fieldsOf(places.body)).toEqual(['places']);
    expect(places.body.problems[0].message).toMatch(/högst 2147483647/);
    const money = await t.as(p.bildaSignatory.id).post('/agreements').send(bromodellenBody(p, { economics: { costLines: [], totalKr: 1e300, indexationBasisPoints: 0 } })).expect(400);
    expect(fieldsOf(money.body)).toContain('economics.totalKr');
    const id = (await t.as(p.bildaSignatory.id).post('/agreements').send(bromodellenBody(p)).expect(201)).body.id as string;
    await sendEvent(t, p, id, { type: 'ACCEPT_INITIATIVE', expectedVersion: 99_999_999_999 }).expect(400);
    expect(await agreements()).toBe(before + 1);
  });

  it.each(['economics', 'validity', 'invoicing', 'extension', 'followUp'])('a list where %s should be an object is refused, not dropped', async (field) => {
    const before = await agreements();
    const res = await t.as(p.bildaSignatory.id).post('/agreements').send(bromodellenBody(p, { [field]: [{ startDate: '2024-01-01' }] })).expect(400);
    expect(fieldsOf(res.body)).toContain(field);
    expect(await agreements()).toBe(before);
  });

  it('bracketed form names never crash: `email[a]=b` on /logga-in, `reason[a]=b` on an event form', async () => {
    const login = await t.http().post('/logga-in').type('form').send('email[a]=b&password[b]=c');
    expect(login.status).toBeLessThan(500);
    expect(login.status).toBeGreaterThanOrEqual(400);
    const id = (await t.as(p.bildaSignatory.id).post('/agreements').send(bromodellenBody(p)).expect(201)).body.id as string;
    const form = await t.as(p.secretariat.id).post(`/overenskommelser/${id}/handelser`).type('form').send('type=DECLINE_INITIATIVE&reason[a]=b&expectedVersion[x]=1');
    expect(form.status).toBeLessThan(500);
    const json = await t.as(p.secretariat.id).post(`/overenskommelser/${id}/handelser`).send({ type: 'DECLINE_INITIATIVE', reason: { a: 'b' } });
    expect(json.status).toBeLessThan(500);
    expect((await t.as(p.secretariat.id).get(`/agreements/${id}`)).body.state).toBe('initiative');
  });

  it('a unique-key conflict answers in our words, without PostgreSQL detail', async () => {
    const body = { name: 'Dubbel förening', organisationNumber: '802002-8711', kind: 'civil_society' };
    await t.admin().post('/organisations').send(body).expect(201);
    const res = await t.admin().post('/organisations').send(body).expect(409);
    expect(res.body.detail).toBeUndefined();
    expect(JSON.stringify(res.body)).not.toMatch(/Key \(|already exists|organisation_number/);
  });
});

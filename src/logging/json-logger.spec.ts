import { JsonLogger } from './json-logger';
import { REDACTED, redact } from './redact';
import { requestContext, setRequestPerson } from './request-context';

function capture(): { sut: JsonLogger; text: () => string } {
  const raw: string[] = [];
  const sut = new JsonLogger('debug', (line) => raw.push(line));
  return { sut, text: () => raw.join('\n') };
}

describe('JsonLogger', () => {
  it('carries the request id and, once the guard knows them, the person', () => {
    const raw: string[] = [];
    const sut = new JsonLogger('info', (line) => raw.push(line));
    const request = {};
    requestContext.run({ requestId: 'req-1' }, () => {
      sut.log('före inloggningen', 'Test');
      setRequestPerson(request, '0b6a4f5e-0000-4000-8000-000000000001');
      sut.warn({ msg: 'efter' }, 'Test');
    });
    sut.log('utanför en begäran');
    const [before, after, outside] = raw.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(before).toMatchObject({ level: 'info', msg: 'före inloggningen', context: 'Test', requestId: 'req-1' });
    expect(before).not.toHaveProperty('personId');
    expect(after).toMatchObject({ level: 'warn', msg: 'efter', requestId: 'req-1', personId: '0b6a4f5e-0000-4000-8000-000000000001' });
    expect(outside).not.toHaveProperty('requestId');
  });

  it('redacts passwords, tokens, cookies and authorization at any depth and inside text', () => {
    const { sut, text } = capture();
    sut.log({
      msg: 'inloggning',
      password: 'hemligt-losenord',
      body: { newPassword: 'nytt-hemligt', clientSecret: 'klienthemlighet', tokenId: 'tok-42' },
      headers: { authorization: 'Bearer abc.def.ghi', cookie: 'iop_session=sessionshemlighet', 'set-cookie': ['iop_session=ny-hemlighet'] },
    });
    sut.error('Kunde inte ansluta till postgres://iop_app:dbhemlighet@db:5432/iop med Authorization: Bearer tokenhemlighet');
    sut.warn('GET /calendar.ics?token=kalenderhemlighet&x=1');
    const all = text();
    for (const secret of ['hemligt-losenord', 'nytt-hemligt', 'klienthemlighet', 'abc.def.ghi', 'sessionshemlighet', 'ny-hemlighet', 'dbhemlighet', 'tokenhemlighet', 'kalenderhemlighet']) {
      expect(all).not.toContain(secret);
    }
    // Ids of secrets, user names and hosts stay: they are what an operator searches for.
    expect(all).toContain('tok-42');
    expect(all).toContain('postgres://iop_app:[REDACTED]@db:5432/iop');
    expect(all).toContain('token=[REDACTED]&x=1');
  });

  it('redacts an error passed as a field, and survives cycles', () => {
    const cyclic: Record<string, unknown> = { name: 'a' };
    cyclic.self = cyclic;
    expect(redact({ error: new Error('smtp://u:pw@mail failed'), cyclic })).toEqual({
      error: expect.objectContaining({ name: 'Error', message: `smtp://u:${REDACTED}@mail failed` }),
      cyclic: { name: 'a', self: '[Circular]' },
    });
  });
});

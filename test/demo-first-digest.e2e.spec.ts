import { startTestApp, type TestApp } from '@test/support/test-app';

/**
 * A fresh start with the demo data and the sweeps running, as `npm start` does: the demo data is
 * loaded before any sweep starts, so the first weekly digest lists the demo agreements' dates (it
 * used to be built while the demo was still loading, and was empty).
 */
describe('the first weekly digest after a fresh start with the demo data', () => {
  let t: TestApp;

  beforeAll(async () => {
    // A Monday after 07:00 in Stockholm: the week's digest is due at once.
    t = await startTestApp({ now: null, env: { DEMO_DATA: 'on', CLOCK_START: '2026-11-23T09:00:00+01:00', TIMER_SWEEP_INTERVAL_MS: '200' } });
  });
  afterAll(() => t?.close());

  it('lists the demo agreements, and nothing was sent for the history replayed', async () => {
    let digests: Array<{ subject: string; text_body: string }> = [];
    for (let waited = 0; digests.length === 0 && waited < 30_000; waited += 200) {
      digests = await t.dataSource.query(`SELECT subject, text_body FROM outbox_message WHERE kind = 'weekly_digest'`);
      if (digests.length === 0) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(digests).toHaveLength(1);
    const [digest] = digests;
    expect(digest.subject).toMatch(/^IOP veckobrev 2026-W48: /);
    expect(digest.text_body).toContain('Bromodellen');
    expect(digest.text_body).not.toMatch(/FÖRSENAT \(0\)\n- Inga\.\n\nDE NÄRMASTE \d+ DAGARNA \(0\)/);
    // The links go to the pages, not the API.
    expect(digest.text_body).toMatch(/\/overenskommelser\/[0-9a-f-]{36}/);
    expect(digest.text_body).not.toContain('/agreements/');
    const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM outbox_message WHERE kind <> 'weekly_digest'`);
    expect(n).toBe(0);
  });
});

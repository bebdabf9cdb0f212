import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Response } from 'supertest';
import { PdfRendererService } from '@app/committee/pdf-renderer.service';
import { startTestApp, type TestApp } from '@test/support/test-app';

const run = promisify(execFile);

/** The Chromium browsers this process started (playwright spawns them as its direct children). */
async function chromiumChildren(): Promise<number[]> {
  try {
    const { stdout } = await run('pgrep', ['-P', String(process.pid), '-f', 'chromium']);
    return stdout.split('\n').filter(Boolean).map(Number);
  } catch {
    return []; // pgrep exits 1 when there is none
  }
}

describe('the PDF renderer: one browser, two at a time, a bounded queue', () => {
  let t: TestApp;
  let renderer: PdfRendererService;
  beforeAll(async () => {
    t = await startTestApp({ env: { PDF_QUEUE_SIZE: '1' } });
    renderer = t.started.app.get(PdfRendererService);
  });
  afterAll(() => t.close());

  const pdf = (): Promise<Response> =>
    t
      .admin()
      .get('/committee/reports/2022.pdf')
      .buffer(true)
      .parse((stream, done) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => done(null, Buffer.concat(chunks)));
      });

  it('six at once with room for two rendering and one waiting: the rest are 503 with Retry-After, and only one Chromium runs', async () => {
    const before = await chromiumChildren();
    const responses = await Promise.all(Array.from({ length: 6 }, () => pdf()));
    const statuses = responses.map((r) => r.status);
    const ok = responses.filter((r) => r.status === 200);
    const busy = responses.filter((r) => r.status === 503);
    expect(ok.length + busy.length).toBe(6);
    expect(ok.length).toBeGreaterThanOrEqual(1);
    expect(ok.length).toBeLessThanOrEqual(3);
    expect(busy.length).toBeGreaterThanOrEqual(3);
    for (const r of ok) expect((r.body as Buffer).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    for (const r of busy) {
      expect(r.headers['retry-after']).toBe('10');
      expect(JSON.parse((r.body as Buffer).toString('utf8'))).toMatchObject({ error: 'busy', message: expect.stringMatching(/^Många PDF:er skapas just nu/) });
    }
    expect(statuses).toContain(503);
    expect(renderer.launches).toBe(1);
    const after = await chromiumChildren();
    expect(after.filter((pid) => !before.includes(pid))).toHaveLength(1);
    expect(renderer.load).toEqual({ rendering: 0, waiting: 0 });
  });

  it('keeps the browser between PDFs', async () => {
    expect((await pdf()).status).toBe(200);
    expect((await pdf()).status).toBe(200);
    expect(renderer.launches).toBe(1);
  });

  it('starts a new browser after the one it had crashed', async () => {
    const [browser] = await chromiumChildren();
    expect(browser).toBeDefined();
    process.kill(browser, 'SIGKILL');
    // The disconnect is noticed asynchronously; the next PDF finds the browser gone either way.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const res = await pdf();
    expect(res.status).toBe(200);
    expect(renderer.launches).toBe(2);
    expect(await chromiumChildren()).toHaveLength(1);
  });

  it('closes the browser when the app stops', async () => {
    expect(await chromiumChildren()).toHaveLength(1);
    await renderer.onModuleDestroy();
    expect(await chromiumChildren()).toHaveLength(0);
  });
});

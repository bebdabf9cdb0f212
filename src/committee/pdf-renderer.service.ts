import { constants as fsConstants, promises as fs } from 'node:fs';
import { Injectable, Logger, type OnModuleDestroy, ServiceUnavailableException } from '@nestjs/common';
import type { Browser } from 'playwright-core';
import { AppConfig } from '@app/config/app-config';
import { BoundedWork } from '@app/common/bounded-work';
import { escapeHtml } from '@app/notifications/reminder-mail';

/** Files the page may load besides itself (its stylesheets), by path. Anything else is refused. */
export type PageAssets = Record<string, { contentType: string; body: string }>;

/** A made-up origin: every request is answered from memory, nothing leaves the machine. */
const ORIGIN = 'http://arsrapport.iop-motorn.invalid';

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'];

/** What a refused request is told to wait: about the time one report takes to print. */
export const PDF_RETRY_AFTER_SECONDS = 10;

/**
 * Prints a server-rendered page to an A4 PDF with headless Chromium (playwright-core driving the
 * system's Chromium at CHROMIUM_PATH; no browser is downloaded).
 *
 * One browser for the process, started at the first PDF, started again if it crashes or
 * disconnects, closed when the app stops; each PDF gets its own context (no cookies, cache or
 * storage shared between documents). At most PDF_CONCURRENCY (2) PDFs render at once and
 * PDF_QUEUE_SIZE (8) wait; one more is answered 503 with Retry-After instead of piling up
 * browser pages until the machine runs out of memory.
 */
@Injectable()
export class PdfRendererService implements OnModuleDestroy {
  private readonly logger = new Logger('PDF');
  private browser: Promise<Browser> | null = null;
  private readonly slots: BoundedWork;
  private launchCount = 0;

  constructor(private readonly config: AppConfig) {
    this.slots = new BoundedWork({
      concurrency: config.pdfConcurrency,
      queueSize: config.pdfQueueSize,
      busyMessage: `Många PDF:er skapas just nu. Försök igen om ${PDF_RETRY_AFTER_SECONDS} sekunder.`,
      retryAfterSeconds: PDF_RETRY_AFTER_SECONDS,
    });
  }

  /** How many times a browser was started (for tests and operators: one, unless it crashed). */
  get launches(): number {
    return this.launchCount;
  }

  /** PDFs rendering now and waiting for a slot. */
  get load(): { rendering: number; waiting: number } {
    const { running, waiting } = this.slots.load;
    return { rendering: running, waiting };
  }

  /** `tagged` and `outline`: a tagged (accessible) PDF with bookmarks from the headings (Chromium's own). */
  render(html: string, assets: PageAssets, footerText: string, options: { tagged?: boolean; outline?: boolean } = {}): Promise<Buffer> {
    return this.slots.run(() => this.renderNow(html, assets, footerText, options));
  }

  async onModuleDestroy(): Promise<void> {
    const browser = this.browser;
    this.browser = null;
    if (browser === null) return;
    await browser.then((b) => b.close()).catch(() => undefined);
  }

  private async renderNow(html: string, assets: PageAssets, footerText: string, options: { tagged?: boolean; outline?: boolean }): Promise<Buffer> {
    const browser = await this.sharedBrowser();
    try {
      const context = await browser.newContext();
      try {
        const page = await context.newPage();
        await page.route('**/*', async (route) => {
          const url = new URL(route.request().url());
          const asset = url.origin === ORIGIN ? (url.pathname === '/' ? { contentType: 'text/html; charset=utf-8', body: html } : assets[url.pathname]) : undefined;
          await (asset ? route.fulfill({ status: 200, contentType: asset.contentType, body: asset.body }) : route.abort());
        });
        await page.goto(`${ORIGIN}/`, { waitUntil: 'load' });
        return await page.pdf({
          format: 'A4',
          printBackground: true,
          displayHeaderFooter: true,
          headerTemplate: '<span></span>',
          // Chromium fills .pageNumber and .totalPages; the text is escaped, it is only ever ours.
          footerTemplate: `<div style="font-size:8px;width:100%;margin:0 14mm;display:flex;justify-content:space-between;font-family:sans-serif;color:#505050">
            <span>${escapeHtml(footerText)}</span><span>Sida <span class="pageNumber"></span> av <span class="totalPages"></span></span></div>`,
          margin: { top: '16mm', right: '0', bottom: '18mm', left: '0' },
          ...(options.tagged ? { tagged: true } : {}),
          ...(options.outline ? { outline: true } : {}),
        });
      } finally {
        await context.close().catch(() => undefined);
      }
    } catch (error) {
      if (browser.isConnected()) throw error;
      // The browser went away under this PDF; the next one starts a new browser.
      this.logger.error(`Chromium avslutades medan en PDF skapades: ${error instanceof Error ? error.message : String(error)}`);
      throw new ServiceUnavailableException('PDF kunde inte skapas: Chromium avslutades oväntat. Försök igen.');
    }
  }

  /** The process's one browser: started at first use, and again after it crashed or disconnected. */
  private sharedBrowser(): Promise<Browser> {
    const current = this.browser;
    if (current !== null) {
      return current.then((browser) => {
        if (browser.isConnected()) return browser;
        if (this.browser === current) this.browser = null;
        return this.sharedBrowser();
      });
    }
    const launching = this.launch().then((browser) => {
      browser.on('disconnected', () => {
        if (this.browser === launching) this.browser = null;
      });
      return browser;
    });
    // A failed start is not remembered: the next PDF tries again (e.g. once Chromium is installed).
    launching.catch(() => {
      if (this.browser === launching) this.browser = null;
    });
    this.browser = launching;
    return launching;
  }

  /** 503, never 500, when the PDF cannot be made here: the rest of the service works without Chromium. */
  private async launch(): Promise<Browser> {
    const executablePath = this.config.chromiumPath;
    try {
      await fs.access(executablePath, fsConstants.X_OK);
    } catch {
      throw new ServiceUnavailableException(
        `PDF kan inte skapas: Chromium finns inte på ${executablePath}. Installera Chromium (apt-get install chromium) eller ange sökvägen i CHROMIUM_PATH.`,
      );
    }
    this.launchCount += 1;
    try {
      // Loaded on the first PDF, not at start: requiring playwright-core alone took 0.4 s of the 2 s start.
      const { chromium } = await import('playwright-core');
      return await chromium.launch({ executablePath, args: CHROMIUM_ARGS, timeout: 30_000 });
    } catch (error) {
      this.logger.error(`Chromium (${executablePath}) startade inte: ${error instanceof Error ? error.message : String(error)}`);
      throw new ServiceUnavailableException(`PDF kan inte skapas just nu: Chromium på ${executablePath} (CHROMIUM_PATH) startade inte. Försök igen eller kontakta förvaltningen.`);
    }
  }
}

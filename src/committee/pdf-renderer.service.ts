import { constants as fsConstants, promises as fs } from 'node:fs';
import { Injectable, Logger, ServiceUnavailableException } from '@nestjs/common';
import { chromium, type Browser } from 'playwright-core';
import { AppConfig } from '@app/config/app-config';
import { escapeHtml } from '@app/notifications/reminder-mail';

/** Files the page may load besides itself (its stylesheets), by path. Anything else is refused. */
export type PageAssets = Record<string, { contentType: string; body: string }>;

/** A made-up origin: every request is answered from memory, nothing leaves the machine. */
const ORIGIN = 'http://arsrapport.iop-motorn.invalid';

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'];

/**
 * Prints a server-rendered page to an A4 PDF with headless Chromium (playwright-core driving the
 * system's Chromium at CHROMIUM_PATH; no browser is downloaded). One browser per PDF, one PDF at a
 * time: reports are made a few times a year, so a resident browser is not worth its memory.
 */
@Injectable()
export class PdfRendererService {
  private readonly logger = new Logger('PDF');
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly config: AppConfig) {}

  render(html: string, assets: PageAssets, footerText: string): Promise<Buffer> {
    const next = this.queue.then(() => this.renderNow(html, assets, footerText));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async renderNow(html: string, assets: PageAssets, footerText: string): Promise<Buffer> {
    const browser = await this.launch();
    try {
      const page = await browser.newPage();
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
      });
    } finally {
      await browser.close();
    }
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
    try {
      return await chromium.launch({ executablePath, args: CHROMIUM_ARGS, timeout: 30_000 });
    } catch (error) {
      this.logger.error(`Chromium (${executablePath}) startade inte: ${error instanceof Error ? error.message : String(error)}`);
      throw new ServiceUnavailableException(`PDF kan inte skapas just nu: Chromium på ${executablePath} (CHROMIUM_PATH) startade inte. Försök igen eller kontakta förvaltningen.`);
    }
  }
}

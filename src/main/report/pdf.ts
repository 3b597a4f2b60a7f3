// Prints a report page to PDF with headless Chromium (playwright-core; the e2e harness's browser):
// the CLI and browser mode. The desktop app prints with Electron's webContents.printToPDF instead.
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import type { PaperSize } from '../../shared/report';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export class ReportPrintError extends Error {
  override name = 'ReportPrintError';
}

export async function printPdf(html: string, paper: PaperSize): Promise<Buffer> {
  if (!existsSync(CHROMIUM)) throw new ReportPrintError(`Chromium not found at ${CHROMIUM}: the report is printed by Chromium (install it, or set CHROMIUM_PATH)`);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  try {
    const page = await browser.newPage();
    // The page is self-contained: nothing to load, so no network and no file access is needed.
    await page.route('**/*', (route) => route.abort());
    await page.setContent(html, { waitUntil: 'load' });
    return await page.pdf({ format: paper, preferCSSPageSize: true, printBackground: true });
  } finally {
    await browser.close();
  }
}

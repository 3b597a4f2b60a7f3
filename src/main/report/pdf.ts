// Prints a report page to PDF with headless Chromium through playwright-core: the CLI and browser
// mode. Which Chromium: src/main/browser/find.ts (CHROMIUM_PATH, else an installed Chromium or
// Chrome), the one the tests and benches also find. The desktop app prints with Electron's
// webContents.printToPDF instead.
import { existsSync } from 'node:fs';
import { HeartbeatError } from '../../shared/errors';
import { findBrowser, systemBrowserPaths } from '../browser/find';
import type { PaperSize } from '../../shared/report';
import { CancelledError } from '../inference/cancel';

/** No browser to print the report with. */
export class ReportPrintError extends HeartbeatError {
  override name = 'ReportPrintError';
  constructor(message: string) {
    super('NO_BROWSER', message);
  }
}

export interface PrintBrowser {
  path: string;
  /** Environment the browser needs (a bundled Chromium: its libraries). */
  env?: Record<string, string>;
}

/** The Chromium the report is printed with; a clear error when there is none. */
export function reportBrowser(): PrintBrowser {
  const found = findBrowser(process.env, process.platform, existsSync);
  if (!found)
    throw new ReportPrintError(
      `no Chromium or Chrome found (looked at ${systemBrowserPaths(process.platform, process.env).join(', ')}): the report is printed by Chromium; install one, or set CHROMIUM_PATH`
    );
  if (!existsSync(found.path)) throw new ReportPrintError(`CHROMIUM_PATH=${found.path}: no such file (the report is printed by Chromium)`);
  return found;
}

/** Prints the page; aborting `signal` closes the browser and rejects with a CancelledError. */
export async function printPdf(html: string, paper: PaperSize, browser: PrintBrowser = reportBrowser(), signal?: AbortSignal): Promise<Buffer> {
  if (signal?.aborted) throw new CancelledError('report cancelled');
  // loaded when used: the desktop app prints with Electron and never needs it
  const { chromium } = await import('playwright-core');
  const b = await chromium.launch({
    executablePath: browser.path,
    // with a signal the caller owns Ctrl-C (it aborts, the browser closes below); Playwright's own
    // handler would otherwise end the process at once, without the caller's message or exit path
    handleSIGINT: !signal,
    args: ['--headless', '--no-sandbox', '--disable-gpu'],
    ...(browser.env ? { env: { ...process.env, ...browser.env } as Record<string, string> } : {}),
  });
  const stop = () => void b.close();
  signal?.addEventListener('abort', stop);
  try {
    // No script: the page is static HTML and SVG (Electron's print window runs none either), and
    // should a review's text ever get past the page's escaping, it cannot run.
    const page = await (await b.newContext({ javaScriptEnabled: false })).newPage();
    // The page is self-contained: nothing to load, so no network and no file access is needed.
    await page.route('**/*', (route) => route.abort());
    // no time limit: a full disclosure of 24 h takes long on a busy machine, and cancelling stops it
    await page.setContent(html, { waitUntil: 'load', timeout: 0 });
    return await page.pdf({ format: paper, preferCSSPageSize: true, printBackground: true });
  } catch (e) {
    if (signal?.aborted) throw new CancelledError('report cancelled');
    throw e;
  } finally {
    signal?.removeEventListener('abort', stop);
    await b.close();
  }
}

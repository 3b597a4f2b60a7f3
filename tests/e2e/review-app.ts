// The review e2e files' common setup: start:web on a fresh data folder and Chromium for one test
// file, and a fresh browser profile (its own IndexedDB) opened on the bundled demo and analysed.
import { afterAll, beforeAll, expect } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium, startWeb, type WebServer } from './harness';

export interface ReviewApp {
  web: WebServer;
  browser: Browser;
  /** The app's data folder (HEARTBEAT_DATA_DIR), removed after the file's tests. */
  dataDir: string;
}

/** Registers the file's beforeAll / afterAll: the returned object is filled before the first test. */
export function useReviewApp(prefix: string): ReviewApp {
  const app = {} as ReviewApp;
  beforeAll(async () => {
    app.dataDir = await mkdtemp(join(tmpdir(), prefix));
    app.web = await startWeb({ HEARTBEAT_DATA_DIR: app.dataDir });
    app.browser = await launchChromium();
  });
  afterAll(async () => {
    await app.browser?.close();
    await app.web?.stop();
    if (app.dataDir) await rm(app.dataDir, { recursive: true, force: true });
  });
  return app;
}

/** The text of the element with data-testid `id`, trimmed (with `collapse`, runs of white space made one space). */
export function testText(page: Page, collapse = true): (id: string) => Promise<string> {
  return async (id) => {
    const t = (await page.textContent(`[data-testid=${id}]`)) ?? '';
    return (collapse ? t.replace(/\s+/g, ' ') : t).trim();
  };
}

/** Pushes the page's uncaught errors (and, with `console`, its console errors) onto `errors`. */
export function collectErrors(page: Page, errors: string[], console = true): void {
  page.on('pageerror', (e) => errors.push(e.message));
  if (console)
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
}

/** Waits until the open record is analysed: the flagged count shown and the progress bar gone. */
export async function waitAnalysed(page: Page): Promise<void> {
  await page.waitForSelector('[data-testid=flagged-count]', { timeout: 120_000 });
  await page.waitForSelector('[data-testid=analysis-progress]', { state: 'detached', timeout: 120_000 });
}

/** Opens the record at `path` from the path box and waits until the status bar names it (`name`) and it is analysed. */
export async function openAnalysed(page: Page, path: string, name: string): Promise<void> {
  await page.fill('[data-testid=path]', path);
  await page.keyboard.press('Enter');
  await expect.poll(async () => (await page.textContent('[data-testid=status]')) ?? '', { timeout: 60_000 }).toContain(name);
  await waitAnalysed(page);
}

export interface ReviewPage {
  page: Page;
  context: BrowserContext;
  text: (id: string) => Promise<string>;
  /** Page errors (console errors too unless `console: false`). */
  errors: string[];
  /** analysis:run requests so far (a model run). */
  runs: () => number;
}

/** A fresh browser profile on the app: the demo opens on first start; resolves once it is analysed. */
export async function freshPage(
  app: ReviewApp,
  opts: { viewport?: { width: number; height: number }; deviceScaleFactor?: number; errors?: string[]; console?: boolean } = {}
): Promise<ReviewPage> {
  const context = await app.browser.newContext({ viewport: opts.viewport ?? { width: 1440, height: 900 }, deviceScaleFactor: opts.deviceScaleFactor ?? 1 });
  const page = await context.newPage();
  const errors = opts.errors ?? [];
  collectErrors(page, errors, opts.console ?? true);
  let runs = 0;
  page.on('request', (r) => {
    if (r.url().includes('/api/invoke/analysis:run')) runs++;
  });
  await page.goto(app.web.url);
  await waitAnalysed(page);
  return { page, context, text: testText(page), errors, runs: () => runs };
}

/** Resolves once the page has no request in flight and has painted twice since: for screenshots after a jump or a load. */
export async function painted(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle');
  await page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
}

/** The reviewer's cursor (a beat's sample) of the most recently opened record, as IndexedDB holds it (null until saved). */
export function savedCursor(page: Page): Promise<number | null> {
  return page.evaluate(`new Promise((resolve, reject) => {
    const open = indexedDB.open('heartbeat-sensei');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      const q = db.transaction('records').objectStore('records').getAll();
      q.onsuccess = () => {
        db.close();
        const rows = q.result.sort((a, b) => (b.lastOpened ?? 0) - (a.lastOpened ?? 0));
        resolve(rows[0]?.cursor ?? null);
      };
    };
  })`) as Promise<number | null>;
}

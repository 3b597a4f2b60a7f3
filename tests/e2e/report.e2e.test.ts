// The app's Report: open the demo in Chromium over the loopback bridge, relabel the first flagged
// beat, preview the report (its PVC count is the summary panel's), save the PDF (a download) and
// read its text back; the relabel shows in both. Screenshots of the preview and the PDF's pages.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, SHOTS, startWeb, type WebServer } from './harness';
import { testBrowser } from '../helpers/browser';

let web: WebServer;
let browser: Browser;
let page: Page;
let dataDir: string;
const pageErrors: string[] = [];
const text = async (id: string) => ((await page.textContent(`[data-testid=${id}]`)) ?? '').trim();
const frameText = async () => (await page.frameLocator('[data-testid=report-frame]').locator('body').innerText()).replace(/\s+/g, ' ');

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'hb-e2e-report-'));
  // the bridge prints the PDF with the browser the tests use
  const b = await testBrowser();
  web = await startWeb({ HEARTBEAT_DATA_DIR: dataDir, ...b.env, CHROMIUM_PATH: b.path });
  browser = await launchChromium();
  page = await (await browser.newContext({ viewport: { width: 1440, height: 900 }, acceptDownloads: true })).newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
});

afterAll(async () => {
  await browser?.close();
  await web?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe.runIf(existsSync('/usr/bin/pdftotext'))('the Holter report in the app', () => {
  it('previews the reviewed state and saves it as a PDF', async () => {
    await page.goto(web.url);
    await page.waitForSelector('[data-testid=flagged-count]', { timeout: 120_000 });
    await page.waitForSelector('[data-testid=analysis-progress]', { state: 'detached', timeout: 120_000 });
    const pvcOf = async () => Number(/^(\d+)/.exec(await text('summary-pvc'))![1]);
    const before = await pvcOf();

    await page.click('[data-testid=report]');
    await expect.poll(frameText, { timeout: 60_000 }).toContain('PVC count');
    expect(await frameText()).toContain(`PVC count ${before} `);
    // the preview is modal: a label key pressed while it is open reaches no beat, and Esc closes it
    await page.keyboard.press('j');
    await page.keyboard.press('n');
    expect(await pvcOf()).toBe(before);
    await page.keyboard.press('Escape');
    await page.waitForSelector('[data-testid=report-preview]', { state: 'detached' });
    await page.click('[data-testid=report]');
    await expect.poll(frameText, { timeout: 60_000 }).toContain('PVC count');

    // the reviewer relabels the first flagged beat (a V) as N: the summary and the report follow
    await page.click('[data-testid=report-preview] >> text=Close');
    await page.keyboard.press('j');
    await page.waitForSelector('[data-testid=current-beat]');
    expect(await text('current-label')).toBe('V');
    await page.keyboard.press('n');
    await expect.poll(pvcOf).toBe(before - 1);
    await page.click('[data-testid=report]');
    await expect.poll(frameText, { timeout: 60_000 }).toContain(`PVC count ${before - 1} `);
    await expect.poll(() => text('report-state')).toMatch(/event strips/);
    await page.screenshot({ path: join(SHOTS, '21-report-preview.png') });

    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.click('[data-testid=report-pdf]')]);
    expect(download.suggestedFilename()).toBe('demo-report.pdf');
    const pdf = join(dataDir, 'saved.pdf');
    await download.saveAs(pdf);
    const t = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
    expect(t).toMatch(new RegExp(`PVC count\\s+${before - 1}\\b`));
    execFileSync('pdftoppm', ['-r', '70', '-png', '-f', '1', '-l', '3', pdf, join(SHOTS, '22-report-page')]);
    expect(pageErrors).toEqual([]);
  });

  it('keeps the strips marked with P across a reload and prints them', async () => {
    await page.click('[data-testid=report-preview] >> text=Close');
    await page.keyboard.press('p');
    await expect.poll(() => text('notice')).toMatch(/added to the report \(1 marked\)/);
    await page.reload();
    await page.waitForSelector('[data-testid=flagged-count]', { timeout: 120_000 });
    await page.waitForSelector('[data-testid=analysis-progress]', { state: 'detached', timeout: 120_000 });
    await page.click('[data-testid=report]');
    await expect.poll(frameText, { timeout: 60_000 }).toContain('Marked by the reviewer');
    expect(await page.textContent('[data-testid=report-preview]')).toContain('as a strip (P) (1)');
    await page.click('[data-testid=report-clear-strips]');
    await expect.poll(frameText, { timeout: 60_000 }).not.toContain('Marked by the reviewer');
    expect(pageErrors).toEqual([]);
  });
});

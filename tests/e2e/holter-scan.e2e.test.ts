// Holter scan settings, the HR trend and jumps from the summary, and presentation at small
// screens (issue 15: pause threshold, VT/SVT criteria, HR trend, 12), each test in a fresh browser
// profile on the bundled demo (opened on first start). Every wait is on a condition.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { SHOTS } from './harness';
import { freshPage, useReviewApp } from './review-app';

const app = useReviewApp('hb-e2e-scan-');

/** A fresh profile on the demo, analysed; counts analysis:run requests (a model run); page errors only. */
const fresh = (viewport = { width: 1440, height: 900 }) => freshPage(app, { viewport, console: false });

async function setScan(page: Page, key: string, value: number): Promise<void> {
  const input = page.locator(`[data-testid=scan-${key}]`);
  await input.fill(String(value));
  await input.dispatchEvent('change');
}

const secOf = (hms: string) => hms.split(':').reduce((s, p) => s * 60 + Number(p), 0);
const beatSec = (s: string) => secOf(/beat\s*(\d\d:\d\d:\d\d(?:\.\d+)?)/.exec(s)?.[1] ?? 'NaN');

describe('Holter scan settings, HR trend and presentation in Chromium', () => {
  it('pause limit and VT / SVT criteria are settings with their defaults shown; a change re-cuts episodes and the summary without a model run', async () => {
    const { page, text, runs, errors } = await fresh();
    for (const [k, d] of [
      ['pauseSec', '2'],
      ['vtMinBeats', '3'],
      ['vtMinRateBpm', '100'],
      ['svtMinBeats', '3'],
      ['svtMinRateBpm', '100'],
    ]) {
      expect(await text(`scan-default-${k}`)).toBe(`default ${d}`);
      expect(await page.inputValue(`[data-testid=scan-${k}]`)).toBe(d);
    }
    expect(await text('summary-pause')).toMatch(/> 2\.0 s/);
    const runs0 = runs();
    const pauseEpisodes = () => page.locator('[aria-label="Rhythm episodes"] li:has-text("PAUSE")').count();
    const pauseCount = async () => Number(/^([\d,]+) >/.exec(await text('summary-pause'))?.[1] ?? NaN);

    await setScan(page, 'pauseSec', 1.2);
    await expect.poll(() => text('summary-pause')).toMatch(/> 1\.2 s/);
    expect(await text('summary-pause')).toMatch(/· longest pause \d+\.\d s$/);
    await expect.poll(pauseCount).toBeGreaterThan(0);
    // the analysis's pauses come back re-cut from main: one episode per counted pause
    await expect.poll(pauseEpisodes).toBe(await pauseCount());
    await page.locator('[data-testid=scan-settings]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, '19-scan-settings.png') });

    await setScan(page, 'pauseSec', 10);
    await expect.poll(() => text('summary-pause')).toMatch(/^0 > 10\.0 s/);
    // with no pause over the limit the longest RR interval is not called a pause (the report's word)
    expect(await text('summary-pause')).toMatch(/· longest RR interval \d+\.\d s$/);
    await expect.poll(pauseEpisodes).toBe(0);

    const vtRuns = async () => Number(/^(\d+) runs?/.exec(await text('summary-vt'))?.[1] ?? NaN);
    await setScan(page, 'vtMinBeats', 2);
    const loose = await vtRuns();
    await setScan(page, 'vtMinBeats', 50);
    await expect.poll(vtRuns).toBe(0);
    expect(loose).toBeGreaterThan(0);
    await setScan(page, 'svtMinRateBpm', 300);
    await expect.poll(() => text('summary-s-runs')).toMatch(/ 0 SVT runs/);
    // a value out of range is not taken
    await setScan(page, 'vtMinRateBpm', 5);
    await expect.poll(() => page.inputValue('[data-testid=scan-vtMinRateBpm]')).toBe('100');

    // kept across a reload; Defaults restores every default
    await page.reload();
    await page.waitForSelector('[data-testid=analysis-progress]', { state: 'detached', timeout: 120_000 });
    await expect.poll(() => page.inputValue('[data-testid=scan-pauseSec]')).toBe('10');
    await expect.poll(() => text('summary-pause')).toMatch(/> 10\.0 s/);
    await page.click('[data-testid=scan-reset]');
    await expect.poll(() => text('summary-pause')).toMatch(/> 2\.0 s/);
    expect(await page.inputValue('[data-testid=scan-vtMinBeats]')).toBe('3');
    // one analysis run per page load; none for the settings
    expect(runs() - runs0).toBe(1);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('HR trend in bpm over the whole record with jumps to min and max HR; summary items jump to their strip', async () => {
    const { page, text, errors } = await fresh();
    await page.waitForSelector('[data-testid=hr-trend] svg path.mean');
    // the bpm axis has numbers
    const yLabels = await page.locator('[data-testid=hr-trend] svg text').allTextContents();
    expect(yLabels.some((t) => /^\d{2,3}$/.test(t.trim()))).toBe(true);
    const summaryHr = await text('summary-hr');
    const min = Number(/min (\d+)/.exec(summaryHr)?.[1]);
    const max = Number(/max (\d+)/.exec(summaryHr)?.[1]);
    expect(await text('hr-jump-min')).toMatch(new RegExp(`^min ${min} bpm at \\d\\d:\\d\\d:\\d\\d$`));
    expect(await text('hr-jump-max')).toMatch(new RegExp(`^max ${max} bpm at `));
    await page.screenshot({ path: join(SHOTS, '20-hr-trend.png') });

    for (const id of ['hr-jump-max', 'hr-jump-min']) {
      const minuteAt = secOf(/at (\d\d:\d\d:\d\d)/.exec(await text(id))![1]!);
      await page.click(`[data-testid=${id}]`);
      // the current beat is the beat nearest the minute's start (a beat closes an interval of that minute)
      await expect.poll(async () => Math.abs(beatSec(await text('current-beat')) - minuteAt)).toBeLessThan(3);
    }

    const pause = page.locator('[data-testid=summary-longest-pause]');
    const pauseAt = secOf(/\((\d\d:\d\d:\d\d)\)/.exec((await pause.getAttribute('title')) ?? '')![1]!);
    await pause.click();
    await expect.poll(async () => Math.abs(beatSec(await text('current-beat')) - pauseAt)).toBeLessThan(1);
    const ep = page.locator('[data-testid=summary-episodes] button').first();
    const epAt = secOf(/(\d\d:\d\d:\d\d)/.exec((await ep.textContent()) ?? '')![1]!);
    await ep.click();
    await expect.poll(async () => Math.abs(beatSec(await text('current-beat')) - epAt)).toBeLessThan(3);

    // a click on the trend goes to that moment
    const svg = page.locator('[data-testid=hr-trend] svg');
    const b = (await svg.boundingBox())!;
    await svg.click({ position: { x: 30 + (b.width - 32) * 0.75, y: b.height / 2 } });
    await expect.poll(async () => beatSec(await text('current-beat'))).toBeGreaterThan(400);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('at 1024×768 the PR curve and Poincaré plot have axis numbers, the status bar cuts no item, and a notice leaves the export fields free', async () => {
    const { page, errors } = await fresh({ width: 1024, height: 768 });
    const svgText = async (sel: string) => (await page.locator(`${sel} text`).allTextContents()).map((t) => t.trim());
    const pr = await svgText('svg[aria-label="Precision-recall curve"]');
    expect(pr).toEqual(expect.arrayContaining(['0', '0.5', '1', 'recall →', 'precision']));
    expect(await svgText('svg[aria-label="Precision, recall and F1 against threshold"]')).toEqual(expect.arrayContaining(['0', '0.5', '1']));
    expect(await svgText('[data-testid=poincare]')).toEqual(expect.arrayContaining(['500', '1000', '1500']));

    // every status item whole: none clipped by an ellipsis, none past the window's edge
    await page.waitForSelector('[data-testid=model-beat]');
    const cut = await page.$$eval(
      '[data-testid=status] > *',
      (els, width) => els.filter((e) => e.scrollWidth > e.clientWidth + 1 || e.getBoundingClientRect().right > width + 1).map((e) => e.textContent),
      1024
    );
    expect(cut).toEqual([]);
    expect(((await page.textContent('[data-testid=status]')) ?? '').replace(/\s+/g, ' ')).toMatch(/demo 00:10:00 360 Hz 2 leads/);

    // a notice (Save as default) shows while the export fields stay uncovered
    await page.click('text=Save as default');
    const notice = page.locator('[data-testid=notice]');
    await notice.waitFor();
    const nb = (await notice.boundingBox())!;
    for (const sel of [
      '[aria-label="Export format"]',
      '[aria-label="Annotator extension"]',
      '[aria-label="Export folder"]',
      '[data-testid=export]',
      '[aria-label="Import file"]',
    ]) {
      const b = (await page.locator(sel).boundingBox())!;
      const overlap = nb.x < b.x + b.width && b.x < nb.x + nb.width && nb.y < b.y + b.height && b.y < nb.y + nb.height;
      expect(overlap, `notice over ${sel}`).toBe(false);
    }
    await page.locator('svg[aria-label="Precision-recall curve"]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, '21-small-screen.png') });
    await page.locator('[data-testid=poincare]').scrollIntoViewIfNeeded();
    await page.locator('[aria-label="Poincaré plot"]').screenshot({ path: join(SHOTS, '22-poincare-axes.png') });
    expect(errors).toEqual([]);
    await page.context().close();
  });
});

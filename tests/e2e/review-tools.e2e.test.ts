// Holter review tools (issue 15): full disclosure (the whole record a page at a time, a minute a
// line, non-normal beats in their label's colour; a click opens that moment in the trace; PgUp /
// PgDn page through), several calipers at once (the last one marching) and a lasso on the
// Poincaré plot. Fresh browser profiles; every wait is on a condition.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { SHOTS } from './harness';
import { freshPage, useReviewApp, waitAnalysed } from './review-app';
import { writeSynthRecord } from '../../src/main/synth';

const app = useReviewApp('hb-e2e-tools-');

/** The canvas members the pixel counts read (the tests' tsconfig has no DOM types). */
interface PixelCanvas {
  width: number;
  height: number;
  getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } | null;
}

const secOf = (hms: string) => hms.split(':').reduce((s, p) => s * 60 + Number(p), 0);

/** Pixels of the page's canvas in the V colour (#ff5252, drawn opaque). */
const redPixels = (page: Page) =>
  page.locator('[data-testid=fd-canvas]').evaluate((c: PixelCanvas) => {
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i]! > 240 && d[i + 1]! > 70 && d[i + 1]! < 100 && d[i + 2]! > 70 && d[i + 2]! < 100) n++;
    return n;
  });

describe('Holter review tools in Chromium', () => {
  it('shows the demo a minute a line with its PVCs marked; a click opens that moment in the trace', async () => {
    const { page, context, text, errors } = await freshPage(app);
    await page.keyboard.press('d');
    await page.waitForSelector('[data-testid=fd]');
    expect(await text('fd-page')).toBe('page 1 of 1');
    expect(await text('fd-span')).toBe('00:00:00 – 00:10:00');
    await expect.poll(() => redPixels(page)).toBeGreaterThan(20);
    await page.screenshot({ path: join(SHOTS, '22-full-disclosure.png') });

    // line 6 (00:05:00), halfway across: 00:05:30
    const box = (await page.locator('[data-testid=fd-canvas]').boundingBox())!;
    await page.mouse.click(box.x + 62 + (box.width - 62 - 8) / 2, box.y + 4 + 5 * 20 + 10);
    await page.waitForSelector('[data-testid=fd]', { state: 'detached' });
    await expect.poll(async () => Math.abs(secOf(/beat\s*(\d\d:\d\d:\d\d)/.exec(await text('current-beat'))?.[1] ?? '0') - 330)).toBeLessThan(3);

    // the button opens it too; Esc closes
    await page.click('[data-testid=fd-open]');
    await page.waitForSelector('[data-testid=fd]');
    await page.keyboard.press('Escape');
    await page.waitForSelector('[data-testid=fd]', { state: 'detached' });
    expect(errors).toEqual([]);
    await context.close();
  });

  it('pages through a longer record with PgDn / PgUp and the page buttons', async () => {
    const rec = join(app.dataDir, 'long');
    await writeSynthRecord(rec, { scenario: 'pvc', minutes: 45, seed: 7 });
    const { page, context, text, errors } = await freshPage(app);
    await page.fill('[data-testid=path]', rec);
    await page.keyboard.press('Enter');
    await expect.poll(() => text('status'), { timeout: 60_000 }).toMatch(/^long 00:45:00/);
    // the analysis' progress bar leaves when it ends, and the panel (so its lines per page) grows then
    await waitAnalysed(page);
    await page.evaluate('document.activeElement && document.activeElement.blur()');
    await page.keyboard.press('d');
    await page.waitForSelector('[data-testid=fd]');
    await expect.poll(() => text('fd-page')).toMatch(/^page 1 of 2$/);
    const lines = secOf((await text('fd-span')).split(' – ')[1]!) / 60;
    expect(lines).toBeGreaterThanOrEqual(20);
    await page.keyboard.press('PageDown');
    await expect.poll(() => text('fd-page')).toBe('page 2 of 2');
    // the pages meet: page 2 starts where page 1 ends (lines per page follow the panel's height,
    // which a browser's fonts may settle after the first read, so page 1 is read again below)
    const [start2, end2] = (await text('fd-span')).split(' – ');
    expect(end2).toBe('00:45:00');
    await expect.poll(() => redPixels(page)).toBeGreaterThan(0);
    await page.click('[data-testid=fd-prev]');
    await expect.poll(() => text('fd-page')).toBe('page 1 of 2');
    expect(await text('fd-span')).toBe(`00:00:00 – ${start2}`);
    await page.keyboard.press('PageUp'); // stays on the first page
    expect(await text('fd-page')).toBe('page 1 of 2');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('keeps up to four calipers at once, each with its read-out, and marches the last one across the trace', async () => {
    const { page, context, text, errors } = await freshPage(app);
    await page.keyboard.press('0'); // 25 mm/s: 1 s = 94.49 CSS px
    const box = (await page.locator('[data-testid=trace]').boundingBox())!;
    const y = box.y + box.height * 0.3;
    const drag = async (x: number, px: number) => {
      await page.keyboard.down('Shift');
      await page.mouse.move(box.x + x, y);
      await page.mouse.down();
      await page.mouse.move(box.x + x + px, y, { steps: 4 });
      await page.mouse.up();
      await page.keyboard.up('Shift');
    };
    const ms = (s: string) => Number(/^(\d+) ms/.exec(s)?.[1] ?? NaN);
    await drag(100, 189); // 2000 ms
    await drag(400, 94.5); // 1000 ms
    await expect.poll(async () => ms(await text('caliper'))).toBeGreaterThan(985);
    expect(Math.abs(ms(await text('caliper')) - 1000)).toBeLessThanOrEqual(12);
    expect(await text('caliper')).toMatch(/· 60 bpm/);
    expect(Math.abs(ms(await text('caliper-1')) - 2000)).toBeLessThanOrEqual(12);
    expect(await text('caliper-1')).toMatch(/· 30 bpm/);

    // yellow (cursor colour) pixels on the trace: marching adds ticks across the view
    const yellow = () =>
      page.locator('[data-testid=trace]').evaluate((c: PixelCanvas) => {
        const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
        let n = 0;
        for (let i = 0; i < d.length; i += 4) if (d[i]! > 120 && d[i + 1]! > 100 && d[i + 2]! < 0.6 * d[i + 1]!) n++;
        return n;
      });
    const still = await yellow();
    await page.check('[data-testid=caliper-march]');
    await page.screenshot({ path: join(SHOTS, '23-calipers.png') });
    await expect.poll(yellow).toBeGreaterThan(still + 100);

    for (const x of [600, 700, 800]) await drag(x, 40);
    await expect.poll(() => page.locator('[data-testid=calipers] > div').count()).toBe(4);
    expect(await page.$('[data-testid=caliper-1]')).not.toBeNull();
    expect(Math.abs(ms(await text('caliper-1')) - 1000)).toBeLessThanOrEqual(12); // the oldest (2000 ms) went
    await page.keyboard.press('Escape');
    await page.waitForSelector('[data-testid=calipers]', { state: 'detached' });
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a lasso on the Poincaré plot selects what a box over the same outline selects, and Esc takes it away', async () => {
    const { page, context, text, errors } = await freshPage(app);
    await page.locator('[data-testid=poincare]').scrollIntoViewIfNeeded();
    const pb = (await page.locator('[data-testid=poincare]').boundingBox())!;
    const count = async () => Number(/^(\d+) selected/.exec(await text('selection-count'))?.[1] ?? NaN);
    // a box over the short-long pairs (the premature beats)
    await page.mouse.move(pb.x + 33, pb.y + 6);
    await page.mouse.down();
    await page.mouse.move(pb.x + 73, pb.y + 118, { steps: 6 });
    await page.mouse.up();
    await expect.poll(count).toBeGreaterThan(5);
    const boxed = await count();
    await page.keyboard.press('Escape');
    await expect.poll(() => text('selection-count')).toMatch(/drag a box/);

    await page.click('[data-testid=select-lasso]');
    expect(await text('selection-count')).toBe('draw round beats to select them');
    await page.mouse.move(pb.x + 33, pb.y + 6);
    await page.mouse.down();
    for (const [x, y] of [
      [73, 6],
      [73, 118],
      [33, 118],
      [33, 7],
    ])
      await page.mouse.move(pb.x + x!, pb.y + y!, { steps: 5 });
    await page.mouse.up();
    await expect.poll(count).toBe(boxed);
    expect(await page.$('[data-testid=lasso]')).not.toBeNull();
    await page.screenshot({ path: join(SHOTS, '24-poincare-lasso.png') });
    await page.keyboard.press('v');
    await expect.poll(() => text('bulk-question')).toBe(`Relabel ${boxed} beats as V?`);
    await page.keyboard.press('Escape');
    await page.waitForSelector('[data-testid=bulk-confirm]', { state: 'detached' });
    await page.keyboard.press('Escape');
    await expect.poll(() => text('selection-count')).toBe('draw round beats to select them');
    await page.waitForSelector('[data-testid=lasso]', { state: 'detached' });
    expect(errors).toEqual([]);
    await context.close();
  });
});

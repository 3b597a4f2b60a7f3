// Morphology groups as Holter scanners review templates (issue 15: 11), in a fresh browser
// profile on the bundled demo: a group opens to page through its members in time order (a click
// goes to that beat), splits in two by shape, merges back, and relabels with any class after a
// confirmation naming the count. Every wait is on a condition.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { SHOTS } from './harness';
import { freshPage, useReviewApp } from './review-app';

const app = useReviewApp('hb-e2e-morph-');

/** Beats per group tile, in tile order. */
async function sizes(page: Page): Promise<number[]> {
  return (await page.locator('[data-testid=morph-group] b').allTextContents()).map(Number);
}
const samplesShown = async (page: Page) =>
  (await page.locator('[data-testid=morph-member]').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-sample'))))) as number[];

/** The canvas members the pixel counts read (the tests' tsconfig has no DOM types). */
interface PixelCanvas {
  width: number;
  height: number;
  getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } | null;
}

/** Pixels of the tachogram in the S colour (#4fc3f7, drawn opaque). */
const tachogramS = (page: Page) =>
  page.locator('[data-testid=tachogram]').evaluate((c: PixelCanvas) => {
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (Math.abs(d[i]! - 0x4f) < 8 && Math.abs(d[i + 1]! - 0xc3) < 8 && Math.abs(d[i + 2]! - 0xf7) < 8) n++;
    return n;
  });

describe('morphology groups in Chromium', () => {
  it('pages through a group, goes to a member, splits and merges groups, relabels a group with any class', async () => {
    const { page, context, text, errors } = await freshPage(app);
    await page.locator('[aria-label="Morphology groups"]').scrollIntoViewIfNeeded();
    await expect.poll(() => text('morph-count')).toBe('8 groups');
    const before = await sizes(page);
    const total = before.reduce((a, b) => a + b, 0);
    expect(before[0]).toBeGreaterThan(12);

    // open the largest group: its members page by page, in time order
    await page.locator('[data-testid=morph-group]').first().click();
    expect(await text('morph-open-size')).toBe(`${before[0]} beats`);
    const pages = Math.ceil(before[0]! / 12);
    expect(await text('morph-page')).toBe(`page 1 of ${pages}`);
    await expect.poll(async () => (await samplesShown(page)).length).toBe(12);
    const first = await samplesShown(page);
    expect(first).toEqual([...first].sort((a, b) => a - b));
    await page.click('[data-testid=morph-next]');
    await expect.poll(() => text('morph-page')).toBe(`page 2 of ${pages}`);
    const second = await samplesShown(page);
    expect(Math.min(...second)).toBeGreaterThan(Math.max(...first));
    await page.click('[data-testid=morph-prev]');
    await expect.poll(async () => (await samplesShown(page))[0]).toBe(first[0]);

    // a member's click goes to that beat (the trace's current beat)
    const member = page.locator('[data-testid=morph-member]').nth(3);
    const at = (await member.locator('.t').textContent())!.trim();
    await member.click();
    await expect.poll(() => text('current-beat')).toContain(at);
    await expect.poll(() => member.getAttribute('class')).toMatch(/current/);
    await page.screenshot({ path: join(SHOTS, '20-morphology-group.png') });

    // split in two: the parts sit side by side and their beats add up; merge them back
    await page.click('[data-testid=morph-split]');
    await expect.poll(() => text('morph-count')).toBe('9 groups');
    const split = await sizes(page);
    expect(split.length).toBe(9);
    expect(split[0]! + split[1]!).toBe(before[0]);
    expect(split[0]).toBeGreaterThanOrEqual(split[1]!);
    expect(split.slice(2)).toEqual(before.slice(1));
    expect(split.reduce((a, b) => a + b, 0)).toBe(total);
    expect(await text('morph-open-size')).toBe(`${split[0]} beats`);
    await page.selectOption('[data-testid=morph-merge]', '1'); // group 1 into group 2
    await expect.poll(() => text('morph-count')).toBe('8 groups');
    expect(await sizes(page)).toEqual(before);
    expect(await text('morph-open-size')).toBe(`${before[0]} beats`);

    // relabel with a class other than N / V: asks first, naming the count; the group then reads S
    const sBefore = await tachogramS(page);
    await page.click('[data-testid=morph-label-S]');
    await expect.poll(() => text('bulk-question')).toBe(`Relabel ${before[0]!.toLocaleString('en-US')} beats as S?`);
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid=bulk-confirm]', { state: 'detached' });
    await expect.poll(() => text('morph-open-labels')).toBe(`S${before[0]}`);
    await expect.poll(() => text('reviewed-total')).toMatch(new RegExp(`^${before[0]!.toLocaleString('en-US')} beats`));
    await expect.poll(async () => (await page.locator('[data-testid=morph-member] span:first-of-type').allTextContents()).every((l) => l === 'S')).toBe(true);
    // the tachogram's points take the reviewed label: the group's beats in view turn S (the cursor did not move)
    await expect.poll(() => tachogramS(page)).toBeGreaterThan(sBefore + 100);
    await page.locator('[aria-label="Morphology groups"]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, '21-morphology-relabelled.png') });

    // undone in one step, like any multi-beat action; the tachogram back to the model's labels
    await page.keyboard.press('Control+z');
    await expect.poll(() => text('reviewed-total')).toMatch(/^0 beats/);
    await expect.poll(() => tachogramS(page)).toBeLessThan(sBefore + 50);
    expect(errors).toEqual([]);
    await context.close();
  });
});

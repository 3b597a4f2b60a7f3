// Printing the review page (issue 15, item 12): the record's line, the trace's current strip and
// the summary, at most two pages — not a dump of every panel. Printed by Chromium's own print path
// (page.pdf) and read back with poppler's pdfinfo / pdftotext / pdfimages.
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { SHOTS } from './harness';
import { freshPage, useReviewApp } from './review-app';

const app = useReviewApp('hb-e2e-print-');

/** The canvas members the pixel count reads (the tests' tsconfig has no DOM types). */
interface PixelCanvas {
  width: number;
  height: number;
  getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } | null;
}

/** Pixels of the trace in the signal's colour (#e6f2e6): the strip is drawn, not "Loading the signal…". */
const signalPixels = (page: Page) =>
  page.locator('[data-testid=trace]').evaluate((c: PixelCanvas) => {
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i]! > 200 && d[i + 1]! > 225 && d[i + 2]! > 200 && d[i + 1]! > d[i]!) n++;
    return n;
  });

describe('printing the review page', () => {
  it('prints the record, the current strip and the reviewed summary on at most two pages', async () => {
    const { page, context, text, errors } = await freshPage(app);
    await page.keyboard.press('j');
    await page.waitForSelector('[data-testid=current-beat]');
    await page.keyboard.press('n');
    await expect.poll(() => text('summary-status')).toMatch(/^after review: 1 of/);
    await expect.poll(() => signalPixels(page), { timeout: 30_000 }).toBeGreaterThan(500);
    const summary = await text('summary-status');
    const pdf = join(SHOTS, '40-print.pdf');
    await page.pdf({ path: pdf, preferCSSPageSize: true, printBackground: true });

    const pages = Number(/^Pages:\s+(\d+)/m.exec(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }))?.[1]);
    expect(pages).toBeGreaterThanOrEqual(1);
    expect(pages).toBeLessThanOrEqual(2);
    const printed = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ').toLowerCase();
    expect(printed).toContain('summary');
    expect(printed).toContain(summary.slice(0, 40).toLowerCase());
    expect(printed).toMatch(/pvcs/);
    expect(printed).toMatch(/demo/);
    // the tools stay on screen
    for (const panel of ['fine-tune', 'audit trail', 'poincaré', 'scan settings', 'morphology groups', 'pvc threshold', 'rhythm episodes'])
      expect(printed).not.toContain(panel);
    // the trace's strip: the canvas printed as an image
    const images = execFileSync('pdfimages', ['-list', pdf], { encoding: 'utf8' }).trim().split('\n').length - 2;
    expect(images).toBeGreaterThanOrEqual(1);
    execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', pdf, join(SHOTS, '40-print')]);
    expect(errors).toEqual([]);
    await context.close();
  });
});

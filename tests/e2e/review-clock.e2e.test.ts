// Clock time in the review UI: a record whose header gives a start (the demo's signal with
// "23:58:00 15/08/1994" on its record line) shows the recorder's time of day in the episode list,
// the current beat's read-out, the HR trend's buttons, the overview and the status bar, past
// midnight by date; the bundled demo (no start in its header) keeps elapsed times.
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, SHOTS } from './harness';
import { freshPage, openAnalysed, painted, useReviewApp } from './review-app';

const app = useReviewApp('hbs-e2e-clock-');

const START = 23 * 3600 + 58 * 60;
const secOf = (hms: string) => hms.split(':').reduce((s, p) => s * 60 + Number(p), 0);
const two = (n: number) => String(n).padStart(2, '0');
/** What the UI should show for an elapsed "hh:mm:ss[.ff]" on a record starting 23:58:00 on 15/08/1994 (a later day's date without its year). */
function clockOf(elapsed: string): string {
  const [whole, frac] = elapsed.split('.');
  const t = START + secOf(whole!);
  const s = t % 86_400;
  const time = `${two(Math.floor(s / 3600))}:${two(Math.floor((s % 3600) / 60))}:${two(s % 60)}${frac ? `.${frac}` : ''}`;
  return t >= 86_400 ? `16/08 ${time}` : time;
}

/** The demo record's signal and reference beats under another name, its header giving a start. */
async function clockDemo(dir: string): Promise<string> {
  const src = join(ROOT, 'resources/demo/demo');
  const hea = (await readFile(`${src}.hea`, 'utf8'))
    .replace(/^demo 2 360 216000$/m, 'clockdemo 2 360 216000 23:58:00 15/08/1994')
    .replaceAll('demo.dat', 'clockdemo.dat');
  if (!hea.startsWith('clockdemo 2 360 216000 23:58:00')) throw new Error(`the demo's record line changed: ${hea.split('\n')[0]}`);
  await writeFile(join(dir, 'clockdemo.hea'), hea);
  await copyFile(`${src}.dat`, join(dir, 'clockdemo.dat'));
  await copyFile(`${src}.atr`, join(dir, 'clockdemo.atr'));
  return join(dir, 'clockdemo');
}

describe('clock time in the review UI', () => {
  it('shows the time of day where the header gives a start, elapsed where it gives none', async () => {
    const { page, context, text, errors } = await freshPage(app);
    const episodes = async () => (await page.locator('[aria-label="Rhythm episodes"] button.jump').allTextContents()).map((t) => t.trim());
    // the bundled demo: no start in its header, elapsed times, and no clock in the status bar
    const elapsed = await episodes();
    expect(elapsed.length).toBeGreaterThan(0);
    for (const e of elapsed) expect(e).toMatch(/^\S+ 00:\d\d:\d\d · /);
    expect(await page.locator('[data-testid=time-basis]').count()).toBe(0);
    expect(await text('overview-axis')).toBe('00:00:00 – 00:10:00');
    await page.keyboard.press('j');
    const elapsedBeat = /^\d\d:\d\d:\d\d\.\d\d/.exec(await text('current-time'))![0];

    await openAnalysed(page, await clockDemo(app.dataDir), 'clockdemo');
    expect(await text('time-basis')).toBe('start 23:58:00 15/08/1994');
    expect(await page.getAttribute('[data-testid=time-basis]', 'title')).toMatch(/^Times are clock times, the recorder's time of day/);
    expect(await text('overview-axis')).toBe('23:58:00 – 16/08 00:08:00');
    // the same episodes, each at its elapsed time after 23:58:00, past midnight by date
    const clock = await episodes();
    expect(clock).toEqual(elapsed.map((e) => e.replace(/^(\S+) (\d\d:\d\d:\d\d)/, (_, name: string, t: string) => `${name} ${clockOf(t)}`)));
    expect(clock.some((e) => e.includes('16/08 '))).toBe(true);
    // the first flagged beat again: its time of day, the elapsed time in the title
    await page.keyboard.press('j');
    await expect.poll(() => text('current-time')).toMatch(new RegExp(`^${clockOf(elapsedBeat).replace(/[./]/g, '\\$&')}`));
    expect(await page.getAttribute('[data-testid=current-time]', 'title')).toBe(`elapsed ${elapsedBeat}`);
    expect(await text('hr-jump-min')).toMatch(/at (16\/08 00:0\d|23:5[89]):\d\d$/);
    await painted(page);
    await page.screenshot({ path: join(SHOTS, '40-clock-time.png') });
    await page.locator('[aria-label="Rhythm episodes"]').screenshot({ path: join(SHOTS, '41-clock-episodes.png') });
    // full disclosure: each line's time of day, its date under it past midnight
    await page.keyboard.press('d');
    await page.waitForSelector('[data-testid=fd]');
    expect(await text('fd-span')).toBe('23:58:00 – 16/08 00:08:00');
    await painted(page);
    await page.screenshot({ path: join(SHOTS, '42-clock-disclosure.png') });
    expect(errors).toEqual([]);
    await context.close();
  });

  it("shows each episode's confidence in full when its time is a later day, at the panel's width and at 200 % zoom", async () => {
    // a 1440 × 900 window, and the same at 200 % (720 × 450 CSS pixels, two device pixels each)
    for (const [k, opts] of [{}, { viewport: { width: 720, height: 450 }, deviceScaleFactor: 2 }].entries()) {
      const { page, context, errors } = await freshPage(app, opts);
      await openAnalysed(page, await clockDemo(app.dataDir), 'clockdemo');
      const rows = page.locator('[aria-label="Rhythm episodes"] button.jump');
      await expect.poll(async () => (await rows.allTextContents()).some((t) => t.includes('16/08 '))).toBe(true);
      // per row: its text, whether the button cuts any of it off, and whether its last characters (the confidence) lie inside it
      const cut = (await page.evaluate(`[...document.querySelectorAll('[aria-label="Rhythm episodes"] button.jump')].map((b) => {
        const r = b.getBoundingClientRect();
        const walker = document.createTreeWalker(b, NodeFilter.SHOW_TEXT);
        let last = null;
        for (let n = walker.nextNode(); n; n = walker.nextNode()) if (n.textContent.trim()) last = n;
        const end = last.textContent.trimEnd().length;
        const range = document.createRange();
        range.setStart(last, Math.max(0, end - 3));
        range.setEnd(last, end);
        const c = range.getBoundingClientRect();
        return { text: b.textContent.replace(/\\s+/g, ' ').trim(), clipped: b.scrollWidth > b.clientWidth, inside: c.left >= r.left - 0.5 && c.right <= r.right + 0.5 };
      })`)) as { text: string; clipped: boolean; inside: boolean }[];
      expect(cut.length).toBeGreaterThan(0);
      for (const row of cut) expect(row, row.text).toMatchObject({ clipped: false, inside: true });
      expect(cut.every((row) => /· \d+%$/.test(row.text))).toBe(true);
      await painted(page);
      await page.locator('[aria-label="Rhythm episodes"]').screenshot({ path: join(SHOTS, `43-clock-episodes-${k ? 'zoom200' : 'width'}.png`) });
      expect(errors).toEqual([]);
      await context.close();
    }
  });
});

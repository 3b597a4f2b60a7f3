// What assistive technology and low-vision reviewers meet: every control named for what it does,
// focus that goes somewhere sensible (into a dialog, back when it closes, kept on a confirmed
// episode), a keyboard-reached button taking Enter and Space, status changes announced, AA text
// contrast, and the panels at 200 % zoom with no control lost. Fresh browser profiles on the demo;
// every wait is on a condition.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { SHOTS } from './harness';
import { freshPage, painted, useReviewApp } from './review-app';
import { contrastFailures, lostControls } from './a11y';
import { writeSynthRecord } from '../../src/main/synth';
import { LEGEND_W } from '../../src/renderer/src/lib/trace-draw';
import type { MarkStyle } from '../../src/renderer/src/lib/beat-glyphs';

const app = useReviewApp('hb-e2e-a11y-');
const pageErrors: string[] = [];

/** Roles a person acts on or reads as one thing: each needs a name of more than a symbol or a letter (not "✓", "i" or "N"). */
const NAMED = /^\s*- '?(button|img|slider|checkbox|radio|textbox|combobox|spinbutton|progressbar|dialog|alertdialog)(?=[ :'\n]|$)(?: "((?:[^"\\]|\\.)*)")?/;

/** Lines of the page's accessibility tree for controls without a worded name. */
async function unnamed(page: Page): Promise<string[]> {
  const tree = await page.locator('body').ariaSnapshot();
  return tree.split('\n').filter((line) => {
    const m = NAMED.exec(line);
    return m && !/[\p{L}\p{N}]{2,}/u.test(m[2] ?? '');
  });
}

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** An SVG's width and its texts' boxes (getBBox: the SVG's own coordinates) under `within`. */
const svgTexts = (page: Page, svg: string, within: string) =>
  page.evaluate(`(() => {
    const svg = document.querySelector(${JSON.stringify(svg)});
    return {
      width: svg.width.baseVal.value,
      texts: [...svg.querySelectorAll(${JSON.stringify(within)})].map((t) => {
        const b = t.getBBox();
        return { text: t.textContent, x: b.x, y: b.y, width: b.width, height: b.height };
      }),
    };
  })()`) as Promise<{ width: number; texts: (Box & { text: string })[] }>;

/** What has focus: its tag and accessible label or text, or "BODY". */
const focused = (page: Page) =>
  page.evaluate(
    `(() => { const e = document.activeElement; return !e || e === document.body ? 'BODY' : e.tagName + ' ' + (e.getAttribute('aria-label') ?? e.textContent.trim()); })()`
  ) as Promise<string>;

/** Presses Tab (Shift+Tab with `back`) until `name` (a focused() string prefix) has focus; at most 150 presses. */
async function tabTo(page: Page, name: string, back = false): Promise<void> {
  for (let i = 0; i < 150; i++) {
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
    if ((await focused(page)).startsWith(name)) return;
  }
  throw new Error(`Tab never reached ${name}`);
}

/**
 * The demo in a short window (its 10 minutes then take more than one page of full disclosure), full
 * disclosure open, focus Tabbed to ▶ (the review keys leave Enter to a button only when the keyboard
 * put focus on it): the page, its live region and the page count.
 */
async function disclosureAtNext() {
  const { page, context } = await freshPage(app, { errors: pageErrors, viewport: { width: 1440, height: 300 } });
  const live = page.locator('[data-testid=live-status]');
  await page.click('[data-testid=fd-open]');
  await page.waitForSelector('[data-testid=fd]');
  const pages = Number(/of (\d+)$/.exec((await page.textContent('[data-testid=fd-page]')) ?? '')![1]);
  expect(pages).toBeGreaterThan(1);
  await tabTo(page, 'BUTTON Next page');
  return { page, context, live, pages };
}

describe('accessibility of the review UI in Chromium', () => {
  it('names every control for what it does: the episode list and review buttons, the trace', async () => {
    const { page, context } = await freshPage(app, { errors: pageErrors });
    await page.keyboard.press('j');
    await page.waitForSelector('[data-testid=current-beat]');
    await page.locator('[data-testid=morph-group]').first().click();
    await page.waitForSelector('[data-testid=morph-open]');
    expect(await unnamed(page)).toEqual([]);
    // each episode's buttons name the action and the episode
    const first = ((await page.locator('[aria-label="Rhythm episodes"] li button.jump').first().textContent()) ?? '').split(' · ')[0]!.trim();
    expect(first).toMatch(/^\w+ \d\d:\d\d:\d\d$/);
    for (const action of ['Confirm', 'Reject']) expect(await page.getByRole('button', { name: `${action} ${first}`, exact: true }).count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Relabel N', exact: true }).count()).toBe(1);
    expect(await page.getByRole('img', { name: 'ECG trace' }).count()).toBe(1);
    expect(await page.getByRole('group', { name: 'Selection shape' }).count()).toBe(1);
    await context.close();
  });

  it('walks the main loop by keyboard alone: a button reached by Tab takes Enter and Space, a slider its arrows', async () => {
    const { page, context, text } = await freshPage(app, { errors: pageErrors });
    await page.keyboard.press('j');
    await expect.poll(() => text('current-label')).toBe('V');
    // relabel from the N button reached by Tab (Space confirmed the beat as V instead, and took focus away)
    await tabTo(page, 'BUTTON Relabel N');
    await page.keyboard.press('Space');
    await expect.poll(() => text('review-progress')).toMatch(/^1 \//);
    expect(await focused(page)).toBe('BUTTON Relabel N');
    await page.keyboard.press('k'); // a review key still acts from a button
    await expect.poll(() => text('current-label')).toBe('N');
    expect(await text('current-beat')).toMatch(/relabelled/);
    // the threshold slider reached by Tab moves with its arrows, and says how many beats it flags
    await tabTo(page, 'INPUT PVC threshold');
    const t0 = await text('threshold-value');
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => text('threshold-value')).not.toBe(t0);
    expect(await page.getAttribute('[data-testid=threshold]', 'aria-valuetext')).toMatch(/^\d\.\d{3}: \d+ flagged of \d+ beats$/);
    // export by its key; the report from its button, reached by Tab; Esc closes it and focus comes back
    await page.keyboard.press('e');
    await expect.poll(async () => (await page.getByRole('status').allTextContents()).join(' ')).toMatch(/Exported \d+ beats/);
    // (the report's page held back until the test lets it come)
    let release: () => void = () => undefined;
    const held = new Promise<void>((r) => (release = r));
    await page.route('**/api/invoke/report:page', async (route) => {
      await held;
      await route.continue();
    });
    await tabTo(page, 'BUTTON Report', true);
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid=report-preview]');
    expect(await page.evaluate(`document.activeElement.closest('[role=dialog]')?.getAttribute('aria-label')`)).toBe('Holter report preview');
    // Tab goes round the dialog's controls, never to the page it covers
    const IN_REPORT = `!!document.activeElement?.closest('[data-testid=report-preview]')`;
    const inReport = () => page.evaluate(IN_REPORT);
    // focus settled in the dialog: under a loaded CI run one Tab was read as the body once (the
    // dialog's controls and its sandboxed frame were all there); focus that stays out fails after 2 s
    const settlesInReport = () =>
      page.waitForFunction(IN_REPORT, null, { timeout: 2000 }).then(
        () => true,
        () => false
      );
    const outside: string[] = [];
    for (let i = 0; i < 12; i++) {
      await page.keyboard.press('Tab');
      if (!(await settlesInReport())) outside.push(await focused(page));
    }
    expect(outside).toEqual([]);
    // its Cancel, focused when the page is made and the button goes, leaves focus in the dialog
    await tabTo(page, 'BUTTON Cancel');
    release();
    await page.waitForSelector('[data-testid=report-cancel]', { state: 'detached', timeout: 60_000 });
    await expect.poll(inReport).toBe(true);
    await page.keyboard.press('Escape');
    await page.waitForSelector('[data-testid=report-preview]', { state: 'detached' });
    expect(await focused(page)).toBe('BUTTON Report');
    // an episode confirmed and rejected from its buttons: focus stays on the row's button
    const row = page.locator('[aria-label="Rhythm episodes"] li').first();
    const name = ((await row.locator('button.jump').textContent()) ?? '').split(' · ')[0]!.trim();
    await tabTo(page, `BUTTON Confirm ${name}`);
    await page.keyboard.press('Space');
    await expect.poll(async () => (await row.textContent()) ?? '').toMatch(/confirmed/);
    expect(await focused(page)).toBe(`BUTTON Confirm ${name}`);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await row.textContent()) ?? '').toMatch(/rejected/);
    expect(await focused(page)).toBe(`BUTTON Reject ${name}`);
    await context.close();
  });

  it('moves focus into a dialog and back to what opened it when it closes', async () => {
    const { page, context } = await freshPage(app, { errors: pageErrors });
    const inDialog = () => page.evaluate(`document.activeElement.closest('[role=dialog], [role=alertdialog]')?.getAttribute('aria-label') ?? null`);
    // the key list
    await page.keyboard.press('?');
    await page.waitForSelector('[role=dialog][aria-label=Keyboard]');
    expect(await inDialog()).toBe('Keyboard');
    await page.keyboard.press('Escape');
    await page.waitForSelector('[role=dialog][aria-label=Keyboard]', { state: 'detached' });
    // the Report preview closed by its Close button
    await page.click('[data-testid=report]');
    await page.click('[data-testid=report-preview] button:has-text("Close")');
    await page.waitForSelector('[data-testid=report-preview]', { state: 'detached' });
    expect(await focused(page)).toBe('BUTTON Report');
    // the status bar's "how the analysis ran"
    await page.click('[data-testid=model-info]');
    await page.click('[data-testid=model-popover] button');
    await page.waitForSelector('[data-testid=model-popover]', { state: 'detached' });
    expect(await focused(page)).toBe('BUTTON How the analysis ran');
    // full disclosure closed by its ×
    await page.click('[data-testid=fd-open]');
    await page.click('[data-testid=fd] button.close');
    await page.waitForSelector('[data-testid=fd]', { state: 'detached' });
    expect(await focused(page)).toBe('BUTTON full disclosure');
    // a multi-beat relabel asked first: focus on its button, back on the group's label button after Esc
    await page.locator('[data-testid=morph-group]').first().click();
    await page.click('[data-testid=morph-label-N]');
    await page.waitForSelector('[data-testid=bulk-confirm]');
    expect(await inDialog()).toBe('Confirm a multi-beat action');
    await page.keyboard.press('Escape');
    await page.waitForSelector('[data-testid=bulk-confirm]', { state: 'detached' });
    expect(await focused(page)).toBe('BUTTON Relabel the whole group N');
    // a folder typed in the path field: the dialog of its records takes focus
    const folder = join(app.dataDir, 'folder');
    await writeSynthRecord(join(folder, 'a'), { scenario: 'pvc', minutes: 1, seed: 3 });
    await page.fill('[data-testid=path]', folder);
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid=folder-picker]');
    expect(await inDialog()).toBe('Records in the folder');
    await context.close();
  });

  it('keeps focus when a pressed button disables itself: ▶ on the last page, Defaults once the defaults are in', async () => {
    const { page, context, live, pages } = await disclosureAtNext();
    for (let p = 2; p <= pages; p++) {
      await page.keyboard.press('Enter');
      await expect.poll(async () => (await page.textContent('[data-testid=fd-page]')) ?? '').toBe(`page ${p} of ${pages}`);
    }
    // ▶ went disabled under focus: focus on ◀, and the live region says why
    await expect.poll(() => focused(page)).toBe('BUTTON Previous page');
    await expect.poll(async () => (await live.textContent()) ?? '').toContain('Last page');
    await page.screenshot({ path: join(SHOTS, 'a11y-focus-last-page.png') });
    for (let p = pages - 1; p >= 1; p--) await page.keyboard.press('Enter');
    await expect.poll(() => focused(page)).toBe('BUTTON Next page');
    expect(await page.textContent('[data-testid=fd-page]')).toBe(`page 1 of ${pages}`);
    await page.click('[data-testid=fd] button.close');
    await page.waitForSelector('[data-testid=fd]', { state: 'detached' });
    // a scan setting changed, then Defaults pressed from the keyboard: focus stays in the panel
    await page.fill('[data-testid=scan-svtMinBeats]', '5');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.isEnabled('[data-testid=scan-reset]')).toBe(true);
    await tabTo(page, 'BUTTON Defaults');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.inputValue('[data-testid=scan-svtMinBeats]')).toBe('3');
    await expect.poll(() => page.evaluate(`!!document.activeElement?.closest('[data-testid=scan-settings]')`)).toBe(true);
    await expect.poll(async () => (await live.textContent()) ?? '').toContain('Scan settings back to their defaults');
    await context.close();
  });

  it('leaves focus where the reviewer took it when the button it left disables itself later: ▶ reached by page keys', async () => {
    const { page, context, live, pages } = await disclosureAtNext();
    // a click on the panel's text takes focus off ▶ (to the body, where the review keys act)
    await page.click('[data-testid=fd-page]');
    await expect.poll(() => focused(page)).toBe('BODY');
    for (let p = 2; p <= pages; p++) {
      await page.keyboard.press('PageDown');
      await expect.poll(async () => (await page.textContent('[data-testid=fd-page]')) ?? '').toBe(`page ${p} of ${pages}`);
    }
    await expect.poll(() => page.isDisabled('[data-testid=fd-next]')).toBe(true);
    // ▶ disabled without focus: focus stays on the body (an Enter is then the review's, not ◀'s), nothing announced
    await painted(page);
    expect(await focused(page)).toBe('BODY');
    expect((await live.textContent()) ?? '').not.toContain('Last page');
    await context.close();
  });

  it('tells marks apart by more than colour: beat glyphs with a legend in the tachogram and full disclosure, dashes in the threshold plot', async () => {
    const { page, context } = await freshPage(app, { errors: pageErrors });
    await page.keyboard.press('j');
    await page.waitForSelector('[data-testid=current-beat]');
    /** Per legend item: its letter and its glyph's outline. */
    const legend = (id: string) =>
      page.$$eval(`[data-testid=${id}] [data-label]`, (items) => items.map((i) => [i.textContent?.trim(), i.querySelector('path')?.getAttribute('d')]));
    const tacho = await legend('tachogram-legend');
    expect(tacho.map(([l]) => l)).toEqual(['N', 'S', 'V', 'F', 'Q', 'X']);
    expect(new Set(tacho.map(([, d]) => d)).size).toBe(6);
    // each metric's line its own dash, its sample beside the letter in the legend
    const dashes = (await page.evaluate(
      `[...document.querySelectorAll('[aria-label="Precision, recall and F1 against threshold"] path')].map((p) => getComputedStyle(p).strokeDasharray)`
    )) as string[];
    expect(new Set(dashes).size).toBe(3);
    expect(await page.locator('[data-testid=metric-legend] line').count()).toBe(3);
    // the legend whole inside the plot, clear of the axis name beside it: per text, its left and right edge
    const spans = (await page.evaluate(
      `[...document.querySelectorAll('[aria-label="Precision, recall and F1 against threshold"] text')].filter((t) => t.getBoundingClientRect().bottom > t.ownerSVGElement.getBoundingClientRect().bottom - 12).map((t) => { const b = t.getBBox(); return [t.textContent, b.x, b.x + b.width, t.ownerSVGElement.width.baseVal.value]; })`
    )) as [string, number, number, number][];
    expect(spans.map(([t]) => t)).toEqual(['threshold →', 'P', 'R', 'F1']);
    for (const [t, , right, width] of spans) expect(right, t).toBeLessThanOrEqual(width);
    const sample = (await page.evaluate(`document.querySelector('[data-testid=metric-legend] line').getBBox().x`)) as number;
    expect(spans[0]![2]).toBeLessThan(sample);
    await painted(page);
    // the panel, its legend with it (above the plot)
    await page.locator('[data-testid=tachogram-panel]').screenshot({ path: join(SHOTS, 'a11y-marks-tachogram.png') });
    await page.locator('[data-testid=overview]').screenshot({ path: join(SHOTS, 'a11y-marks-overview.png') });
    await page.locator('[aria-label="Threshold"] .plots').screenshot({ path: join(SHOTS, 'a11y-marks-threshold.png') });
    await page.click('[data-testid=fd-open]');
    await page.waitForSelector('[data-testid=fd]');
    const fd = await legend('fd-legend');
    expect(fd.map(([l]) => l)).toEqual(['S', 'V', 'F', 'Q', 'X']);
    // the same glyph for a class in both views
    expect(fd).toEqual(tacho.slice(1));
    await painted(page);
    await page.screenshot({ path: join(SHOTS, 'a11y-marks-disclosure.png') });
    await context.close();
  });

  it("tells the zoomed-out trace's beat marks apart without colour: glyphs, then ticks a V's taller than an N's, the legend keying what is drawn", async () => {
    const { page, context } = await freshPage(app, { errors: pageErrors });
    const style = () => page.getAttribute('[data-testid=trace-marks]', 'data-mark');
    const glyphs = (id: string) =>
      page.$$eval(`[data-testid=${id}] [data-label]`, (items) => items.map((i) => [i.textContent?.trim(), i.querySelector('path')?.getAttribute('d')]));
    const trace = (await page.locator('[data-testid=trace]').boundingBox())!;
    /** The legend's room at the right of the axis row, where the axis writes no time, px: as much as the legend takes. */
    const roomKept = async (s: string) => {
      const key = (await page.locator('[data-testid=trace-legend]').boundingBox())!;
      expect(trace.x + trace.width - key.x, s).toBeLessThanOrEqual(LEGEND_W[s as MarkStyle]);
    };
    const seen = [(await style())!];
    await roomKept(seen[0]!);
    // zoom out by keys (a step of 2 each) until the marks are ticks, the legend following the frame drawn
    for (let k = 0; k < 12 && seen.at(-1) !== 'tick'; k++) {
      await page.keyboard.press('-');
      await painted(page);
      const s = (await style())!;
      if (s !== seen.at(-1)) {
        seen.push(s);
        await roomKept(s);
      }
      if (s === 'glyph') {
        // the trace's glyphs are the tachogram's: one vocabulary
        expect(await glyphs('trace-marks')).toEqual(await glyphs('tachogram-legend'));
        expect(await page.locator('[data-testid=legend-flagged]').count()).toBe(1);
        await page.locator('[data-testid=trace]').screenshot({ path: join(SHOTS, 'a11y-trace-glyphs.png') });
      }
    }
    expect(seen).toEqual(['text', 'glyph', 'tick']);
    await page.locator('[data-testid=trace]').screenshot({ path: join(SHOTS, 'a11y-trace-ticks.png') });
    await page.locator('[data-testid=trace-legend]').screenshot({ path: join(SHOTS, 'a11y-trace-ticks-legend.png') });
    // On the canvas, per column of the marks' row (below the 14 px episode band), the pixels of the V
    // and of the N colour: the tallest V mark is several times the tallest N mark (what greyscale shows).
    const tallest = (await page.evaluate(`(() => {
      const c = document.querySelector('[data-testid=trace]');
      const d = c.getContext('2d').getImageData(0, 14, c.width, 32).data;
      const out = { V: 0, N: 0 };
      for (let x = 0; x < c.width; x++) {
        const n = { V: 0, N: 0 };
        for (let y = 0; y < 32; y++) {
          const i = 4 * (y * c.width + x);
          const rgb = d[i] + ',' + d[i + 1] + ',' + d[i + 2];
          if (rgb === '255,82,82') n.V++;
          else if (rgb === '176,190,197') n.N++;
        }
        out.V = Math.max(out.V, n.V);
        out.N = Math.max(out.N, n.N);
      }
      return out;
    })()`)) as { V: number; N: number };
    expect(tallest.N).toBeGreaterThan(2);
    expect(tallest.V).toBeGreaterThanOrEqual(3 * tallest.N);
    await context.close();
  });

  it("names the overview's narrow rhythm bands in words beside them, and in full in the tooltip: not by colour alone", async () => {
    const { page, context } = await freshPage(app, { errors: pageErrors });
    await painted(page);
    // On the strip's band row: each run of a VT or pause band's colour too narrow for its name, and how
    // many light (text) pixels lie within 40 px of it in the row (bands are coloured, the envelope dim green).
    const narrow = (await page.evaluate(`(() => {
      const c = document.querySelector('[data-testid=overview]');
      const w = c.width;
      const d = c.getContext('2d').getImageData(0, 0, w, 9).data;
      const at = (x, y) => [d[4 * (y * w + x)], d[4 * (y * w + x) + 1], d[4 * (y * w + x) + 2]].join(',');
      const light = (x, y) => { const i = 4 * (y * w + x); return Math.min(d[i], d[i + 1], d[i + 2]) >= 170; };
      const out = [];
      for (const [name, rgb] of [['VT', '255,82,82'], ['PAUSE', '100,181,246']]) {
        for (let x = 0; x < w; x++) {
          if (at(x, 4) !== rgb || (x > 0 && at(x - 1, 4) === rgb)) continue;
          let z = x;
          while (z < w && at(z, 4) === rgb) z++;
          if (z - x > 8) continue;
          let text = 0;
          for (let y = 0; y < 9; y++) for (let u = Math.max(0, x - 40); u < Math.min(w, z + 40); u++) if (light(u, y)) text++;
          out.push({ name, x, width: z - x, text });
        }
      }
      return out;
    })()`)) as { name: string; x: number; width: number; text: number }[];
    expect(narrow.map((b) => b.name).sort()).toEqual(['PAUSE', 'VT']);
    for (const b of narrow) expect(b.text, `${b.name} at ${b.x}`).toBeGreaterThan(5);
    await page.locator('[data-testid=overview]').screenshot({ path: join(SHOTS, 'a11y-overview-bands.png') });
    // pointing at a band a few pixels wide names it in full
    const strip = (await page.locator('[data-testid=overview]').boundingBox())!;
    for (const b of narrow) {
      await page.mouse.move(strip.x + b.x + b.width / 2, strip.y + 4);
      await expect.poll(() => page.getAttribute('[data-testid=overview]', 'title')).toMatch(new RegExp(`^${b.name} \\d\\d:\\d\\d:\\d\\d–`));
    }
    await page.mouse.move(strip.x + 5, strip.y + 40);
    await expect.poll(() => page.getAttribute('[data-testid=overview]', 'title')).toMatch(/^Whole record/);
    await context.close();
  });

  it('keeps legends and axis names off the data: the tachogram legend above its plot (at 100 % and 200 % zoom), the Poincaré and HR-trend axis names and numbers in their margins', async () => {
    /** Rectangles that overlap by more than a hair (touching edges do not count). */
    const overlap = (a: Box, b: Box) => a.x < b.x + b.width - 0.5 && b.x < a.x + a.width - 0.5 && a.y < b.y + b.height - 0.5 && b.y < a.y + a.height - 0.5;
    for (const [name, viewport, deviceScaleFactor] of [
      ['100', { width: 1440, height: 900 }, 1],
      ['zoom200', { width: 720, height: 450 }, 2],
    ] as const) {
      const { page, context } = await freshPage(app, { errors: pageErrors, viewport, deviceScaleFactor });
      await page.keyboard.press('j');
      await page.waitForSelector('[data-testid=current-beat]');
      // The whole canvas is plot: an RR of 2 s or more (a pause) is drawn 10 px under its top edge, at any x.
      const canvas = page.locator('[data-testid=tachogram]');
      await canvas.scrollIntoViewIfNeeded();
      const plot = (await canvas.boundingBox())!;
      const key = (await page.locator('[data-testid=tachogram-legend]').boundingBox())!;
      expect.soft(overlap(key, plot), `tachogram legend ${JSON.stringify(key)} over its plot ${JSON.stringify(plot)} (${name})`).toBe(false);
      // whole within the plot's width, not cut off at the column's edge
      expect(key.x, name).toBeGreaterThanOrEqual(plot.x);
      expect(key.x + key.width, name).toBeLessThanOrEqual(plot.x + plot.width + 0.5);
      await painted(page);
      await page.screenshot({ path: join(SHOTS, `tach-${name}.png`) });
      await page.locator('[data-testid=tachogram-panel]').screenshot({ path: join(SHOTS, `tach-${name}-panel.png`) });
      if (name === '100') {
        // the Poincaré plot's axis names and numbers in its margins: its data from x 30 to 228 and y 4 to 202 of the 232-px square
        const texts = (await svgTexts(page, '[data-testid=poincare]', '.axis text')).texts;
        expect(texts.map((t) => t.text)).toEqual(expect.arrayContaining(['RR(n) ms →', '500', '1500']));
        const data = { x: 30, y: 4, width: 198, height: 198 };
        expect.soft(texts.filter((t) => overlap(t, data)).map((t) => t.text)).toEqual([]);
        // and whole: none cut off at the square's left edge
        expect.soft(texts.filter((t) => t.x < 0).map((t) => t.text)).toEqual([]);
        await page.locator('[aria-label="Poincaré plot"]').screenshot({ path: join(SHOTS, 'poincare-axis-names.png') });
        // the HR trend's numbers in its margins too: its data from x 30 to 2 px short of its right edge, y 4 to 78 of 92
        const trend = await svgTexts(page, '[data-testid=hr-trend] svg', 'text');
        expect(trend.texts.length).toBeGreaterThan(3);
        const trendData = { x: 30, y: 4, width: trend.width - 32, height: 74 };
        expect.soft(trend.texts.filter((t) => overlap(t, trendData)).map((t) => t.text)).toEqual([]);
      }
      await context.close();
    }
  });

  it('announces status changes: notices in a live region that was there before them, the analysis progress by name, the current beat', async () => {
    const { page, context, text } = await freshPage(app, { errors: pageErrors });
    // a live region announces changes to it, not its own arrival: it waits, empty, for the first notice
    const region = page.locator('[data-testid=live-status]');
    expect(await region.getAttribute('role')).toBe('status');
    expect(((await region.textContent()) ?? '').trim()).toBe('');
    await page.keyboard.press('e');
    await expect.poll(async () => (await region.textContent()) ?? '').toMatch(/Exported \d+ beats/);
    // the current beat's read-out, which J and K change, is a polite live region there from the start
    const beat = page.locator('[aria-live=polite]:has([data-testid=current-beat])');
    expect(await page.locator('[aria-live=polite]:has-text("No beat selected")').count()).toBe(1);
    await page.keyboard.press('j');
    await expect.poll(async () => (await beat.textContent()) ?? '').toMatch(/#1 of/);
    expect(await beat.getAttribute('aria-atomic')).toBe('true');
    // the report preview says when its page is made
    await page.click('[data-testid=report]');
    const made = page.getByRole('dialog', { name: 'Holter report preview' }).getByRole('status');
    await expect.poll(async () => (await made.textContent()) ?? '', { timeout: 60_000 }).toMatch(/\d+ event strips/);
    await page.keyboard.press('Escape');
    // the analysis' progress bar has a name (held up while the test reads it)
    let release: () => void = () => undefined;
    const held = new Promise<void>((r) => (release = r));
    await page.route('**/api/invoke/analysis:result', async (route) => {
      await held;
      await route.continue();
    });
    await page.reload();
    const bar = page.getByRole('progressbar', { name: 'Analysis progress' });
    await bar.waitFor();
    expect(await bar.getAttribute('aria-valuetext')).toMatch(/^\w.* \d+ %$/);
    release();
    await page.waitForSelector('[data-testid=analysis-progress]', { state: 'detached', timeout: 120_000 });
    expect(await text('flagged-count')).toMatch(/^\d+$/);
    await context.close();
  });

  it('keeps text at AA contrast (4.5:1) on the dark theme: panels, placeholders, the progress fill, the fine-tune panel, the dialogs', async () => {
    // console: false: the failed fine-tune below is a 500 answer, which the browser logs
    const { page, context } = await freshPage(app, { errors: pageErrors, console: false, viewport: { width: 1440, height: 2600 } });
    await page.keyboard.press('j');
    for (let i = 0; i < 30; i++) await page.keyboard.press('Enter'); // the review progress's fill under its text
    await expect.poll(async () => (await page.textContent('[data-testid=review-progress]')) ?? '').toMatch(/^30 \//);
    await page.click('button.fold-toggle:has-text("Fine-tune")');
    await page.click('[aria-label="Audit trail"] button');
    await page.waitForSelector('[data-testid=finetune-panel] li');
    expect(await contrastFailures(page)).toEqual([]);
    // a fine-tune that fails: its error in the panel
    await page.route('**/api/invoke/finetune:start', (route) =>
      route.fulfill({
        status: 500,
        contentType: 'application/json',
        body: JSON.stringify({ ok: false, error: { code: 'INTERNAL', message: 'the worker stopped' } }),
      })
    );
    await page.click('[data-testid=finetune-panel] button:has-text("Start")');
    await page.waitForSelector('[data-testid=finetune-panel] [role=alert]');
    expect(await contrastFailures(page)).toEqual([]);
    // the multi-beat question and its hint
    await page.locator('[data-testid=morph-group]').first().click();
    await page.click('[data-testid=morph-label-N]');
    await page.waitForSelector('[data-testid=bulk-confirm]');
    expect(await contrastFailures(page)).toEqual([]);
    await page.keyboard.press('Escape');
    await page.waitForSelector('[data-testid=bulk-confirm]', { state: 'detached' });
    // the key list
    await page.keyboard.press('?');
    await page.waitForSelector('[role=dialog][aria-label=Keyboard]');
    expect(await contrastFailures(page)).toEqual([]);
    await context.close();
  });

  it('at 200 % zoom loses no control: nothing off to the side, nothing hidden under the status bar, the key list scrolls', async () => {
    // a 1440 × 900 window at 200 %: 720 × 450 CSS pixels, two device pixels each
    const { page, context } = await freshPage(app, { errors: pageErrors, viewport: { width: 720, height: 450 }, deviceScaleFactor: 2 });
    await page.keyboard.press('j');
    await page.waitForSelector('[data-testid=current-beat]');
    await page.screenshot({ path: join(SHOTS, 'a11y-zoom200.png') });
    expect(await page.evaluate('document.documentElement.scrollWidth - innerWidth')).toBeLessThanOrEqual(0);
    // the page itself does not scroll (its columns do): the status bar stays at the window's foot, not over the tachogram
    expect(await page.evaluate('document.documentElement.scrollHeight - innerHeight')).toBeLessThanOrEqual(0);
    expect(await lostControls(page)).toEqual([]);
    await page.keyboard.press('?');
    await page.waitForSelector('[role=dialog][aria-label=Keyboard]');
    await page.screenshot({ path: join(SHOTS, 'a11y-zoom200-keys.png') });
    const lastRow = await page.evaluate(`(() => {
      const row = [...document.querySelectorAll('[aria-label=Keyboard] tr')].pop();
      row.scrollIntoView({ block: 'nearest' });
      const r = row.getBoundingClientRect();
      return row.contains(document.elementFromPoint(r.left + 4, r.top + r.height / 2));
    })()`);
    expect(lastRow).toBe(true);
    await page.keyboard.press('Escape');
    await context.close();
  });

  it('raised no page errors', () => {
    expect(pageErrors).toEqual([]);
  });
});

// The reviewer's workflow, keyboard only, in Debian Chromium against the real main-process
// handlers over the loopback bridge: open the demo (first start), go to the first flagged beat,
// relabel it, undo, redo, move the threshold and see the counts move, export and read the file
// back with the project's WFDB reader, reload and find the work still there. Screenshots go to
// tests/e2e/screenshots/.
import { beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { SHOTS } from './harness';
import { contrastFailures } from './a11y';
import { collectErrors, painted, savedCursor, testText, useReviewApp, waitAnalysed as analysed } from './review-app';
import { readAnnotations } from '../../src/main/wfdb/annotations';
import { writeSynthRecord } from '../../src/main/synth';

const app = useReviewApp('hb-e2e-');
let page: Page;
const pageErrors: string[] = [];

const text = (id: string) => testText(page, false)(id);
const currentLine = async () => text('current-beat');
const waitAnalysed = () => analysed(page);

// one page for the whole workflow (after useReviewApp's beforeAll)
beforeAll(async () => {
  const context = await app.browser.newContext({ viewport: { width: 1440, height: 900 } });
  page = await context.newPage();
  collectErrors(page, pageErrors);
});

describe('review workflow in Chromium (keyboard only)', () => {
  it('refuses the page without the token', async () => {
    const bare = app.web.url.replace(/\?token=.*$/, '');
    const res = await page.request.get(bare);
    expect(res.status()).toBe(401);
    const api = await page.request.post(bare + 'api/invoke/app:info', { headers: { 'content-type': 'application/json' }, data: '{}' });
    expect(api.status()).toBe(401);
  });

  let firstTime = '';
  let flaggedAt50 = 0; // flagged at the analysis's own threshold
  let exportedFile = '';

  it('opens the demo on first start and analyses it', async () => {
    await page.goto(app.web.url);
    await waitAnalysed();
    expect(await text('status')).toContain('demo');
    flaggedAt50 = Number(await text('flagged-count'));
    expect(flaggedAt50).toBeGreaterThan(0);
  });

  it('goes to the first flagged beat (J), relabels it (N), undoes and redoes', async () => {
    await page.keyboard.press('j');
    await page.waitForSelector('[data-testid=current-beat]');
    const before = await currentLine();
    expect(before).toContain('#1 of');
    firstTime = /beat(\d\d:\d\d:\d\d\.\d\d)/.exec(before.replace(/\s+/g, ''))![1]!;
    const original = await text('current-label');
    expect(original).toBe('V');
    await painted(page); // the jump fetches the new stretch of signal over the bridge
    await page.screenshot({ path: join(SHOTS, '01-first-flagged.png') });

    await page.keyboard.press('n'); // relabel N, then on to the next flagged beat
    await expect.poll(() => text('review-progress')).toMatch(/^1 \//);
    await page.keyboard.press('k'); // back to it
    await expect.poll(() => text('current-label')).toBe('N');
    expect(await currentLine()).toContain('relabelled');
    await page.screenshot({ path: join(SHOTS, '02-relabelled.png') });

    await page.keyboard.press('Control+z');
    await expect.poll(() => text('current-label')).toBe('V');
    expect(await text('review-progress')).toMatch(/^0 \//);
    expect((await currentLine()).replace(/\s+/g, '')).toContain(firstTime);

    await page.keyboard.press('Control+Shift+z');
    await expect.poll(() => text('current-label')).toBe('N');
    expect(await text('review-progress')).toMatch(/^1 \//);
  });

  it('deletes a false beat and adds a missed one (Delete, A), both undoable', async () => {
    await page.mouse.move(5, 5); // off the trace: A then adds between this beat and the next
    await page.keyboard.press('ArrowRight');
    const at = (await currentLine()).replace(/\s+/g, '');
    await page.keyboard.press('Delete');
    await expect.poll(async () => (await currentLine()).replace(/\s+/g, '')).toContain('Xdeleted');
    await page.keyboard.press('Control+z');
    await expect.poll(async () => (await currentLine()).replace(/\s+/g, '')).toBe(at);
    await page.keyboard.press('a');
    await expect.poll(() => currentLine()).toContain('added');
    expect(await text('current-label')).toBe('N');
    await page.keyboard.press('Control+z');
    await expect.poll(async () => (await currentLine()).replace(/\s+/g, '')).toBe(at);
    await page.keyboard.press('ArrowLeft');
  });

  it('moves the threshold with [ and ] and the flagged count follows', async () => {
    const t0 = Number(await text('threshold-value'));
    for (let i = 0; i < 100; i++) await page.keyboard.press(']');
    await expect.poll(() => text('threshold-value')).toBe('1.000');
    const high = Number(await text('flagged-count'));
    for (let i = 0; i < 100; i++) await page.keyboard.press('[');
    await expect.poll(() => text('threshold-value')).toBe('0.000');
    const low = Number(await text('flagged-count'));
    const total = Number(/of (\d+) beats/.exec(await text('flagged-line'))![1]);
    expect(low).toBe(total); // every beat has P(V) ≥ 0
    expect(high).toBeLessThan(low);
    expect(high).toBeLessThanOrEqual(flaggedAt50);
    // Back to (about) where it was; the counts follow.
    for (let i = 0; i < Math.round(t0 * 100); i++) await page.keyboard.press(']');
    await expect.poll(() => text('threshold-value')).toBe((Math.round(t0 * 100) / 100).toFixed(3));
    const back = Number(await text('flagged-count'));
    expect(back).toBeLessThan(low);
    expect(back).toBeGreaterThanOrEqual(high);
    await page.screenshot({ path: join(SHOTS, '03-threshold.png') });
  });

  it('exports a WFDB annotation file (E) that the project reader reads back with the correction', async () => {
    await page.keyboard.press('e');
    await expect.poll(() => text('notice'), { timeout: 20_000 }).toMatch(/Exported \d+ beats/);
    exportedFile = /to (\S+)$/.exec(await text('notice'))![1]!;
    expect(exportedFile.startsWith(app.dataDir)).toBe(true);
    expect(exportedFile.endsWith('demo.rev')).toBe(true);
    const anns = await readAnnotations(exportedFile.slice(0, -4), 'rev');
    const [h, m, s] = firstTime.split(':').map(Number) as [number, number, number];
    const sec = h * 3600 + m * 60 + s;
    const fs = 360;
    const near = anns.filter((a) => Math.abs(a.sample / fs - sec) < 0.006);
    expect(near.map((a) => a.code)).toEqual([1]); // N, not the model's V
    expect(anns.filter((a) => a.code === 5).length).toBeGreaterThan(0);
  });

  it('keeps the work across a reload', async () => {
    // the cursor is saved once navigation pauses: wait for the stored one to be the beat shown
    const [hh, mm, ss] = /beat(\d\d):(\d\d):(\d\d\.\d\d)/
      .exec((await currentLine()).replace(/\s+/g, ''))!
      .slice(1)
      .map(Number) as [number, number, number];
    const shownSec = hh * 3600 + mm * 60 + ss;
    await expect.poll(async () => Math.abs(((await savedCursor(page)) ?? -1e9) / 360 - shownSec)).toBeLessThan(0.011);
    await page.reload();
    await waitAnalysed();
    await expect.poll(() => text('review-progress')).toMatch(/^1 \//);
    await expect.poll(() => text('current-label')).toBe('N');
    expect((await currentLine()).replace(/\s+/g, '')).toContain(firstTime);
    await page.screenshot({ path: join(SHOTS, '04-after-reload.png') });
    await page.locator('[aria-label="Morphology groups"]').scrollIntoViewIfNeeded();
    await painted(page);
    await page.screenshot({ path: join(SHOTS, '06-panels.png') });
  });

  it('scrolls and zooms the trace from the keyboard and the wheel (frame times: npm run bench -- trace-frames)', async () => {
    const speed = () => page.inputValue('[data-testid=speed]');
    const draws = () => page.evaluate('window.__heartbeatPerf.drawMs().length') as Promise<number>;
    const trace = await page.$('[data-testid=trace]');
    const box = (await trace!.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.evaluate('window.__heartbeatPerf.reset()');
    for (let i = 0; i < 20; i++) await page.keyboard.press('PageDown');
    await expect.poll(draws).toBeGreaterThan(0);
    for (let i = 0; i < 6; i++) await page.keyboard.press('-');
    await expect.poll(speed).not.toBe('25');
    for (let i = 0; i < 30; i++) await page.mouse.wheel(0, i % 2 ? 120 : -120);
    for (let i = 0; i < 6; i++) await page.keyboard.press('+');
    for (let i = 0; i < 20; i++) await page.keyboard.press('PageUp');
    await page.keyboard.press('0');
    await expect.poll(speed).toBe('25');
    expect(await draws()).toBeGreaterThan(10);
    await page.screenshot({ path: join(SHOTS, '05-after-scroll.png') });
    // Into the run of ectopic beats further on, for a picture of the review.
    await page.mouse.move(5, 5);
    for (let i = 0; i < 12; i++) await page.keyboard.press('j');
    await page.locator('[aria-label="Review"]').scrollIntoViewIfNeeded();
    await painted(page);
    await page.screenshot({ path: join(SHOTS, '07-review.png') });
  });

  it('reads paper speeds: standard ones exactly, a wheel zoom as "≈ n mm/s", +/− back onto the standard ones', async () => {
    const speed = async () => `${await page.inputValue('[data-testid=speed]')}|${(await page.textContent('[data-testid=speed] option:checked')) ?? ''}`;
    await page.keyboard.press('0');
    await expect.poll(speed).toBe('25|25 mm/s');
    const tb = (await (await page.$('[data-testid=trace]'))!.boundingBox())!;
    await page.mouse.move(tb.x + tb.width / 2, tb.y + tb.height / 2);
    await page.mouse.wheel(0, -120); // a free zoom in, off the standard speeds
    await expect.poll(speed).toMatch(/^\|≈ \d+ mm\/s$/);
    await page.mouse.move(5, 5);
    await page.keyboard.press('+');
    await expect.poll(speed).toBe('50|50 mm/s');
    await page.keyboard.press('-');
    await page.keyboard.press('-');
    await expect.poll(speed).toBe('12.5|12.5 mm/s');
  });

  it('measures with calipers (Shift + drag) and lists the actions in the audit trail', async () => {
    await page.keyboard.press('0'); // 25 mm/s: 1 s = 25 mm = 94.49 CSS px
    const box = (await (await page.$('[data-testid=trace]'))!.boundingBox())!;
    const y = box.y + box.height * 0.3;
    await page.keyboard.down('Shift');
    await page.mouse.move(box.x + 200, y);
    await page.mouse.down();
    await page.mouse.move(box.x + 200 + 189, y, { steps: 5 });
    await page.mouse.up();
    await page.keyboard.up('Shift');
    const cal = await text('caliper');
    const ms = Number(/^(\d+) ms/.exec(cal)![1]);
    expect(Math.abs(ms - 2000)).toBeLessThanOrEqual(12);
    expect(cal).toMatch(/· 30 bpm/);
    await page.keyboard.press('Escape');
    expect(await page.$('[data-testid=caliper]')).toBeNull();
    // Poincaré: a box over short-long pairs (RR(n) 300–650 ms, RR(n+1) 1000–2000 ms) selects the premature beats.
    await page.locator('[data-testid=poincare]').scrollIntoViewIfNeeded();
    const pb = (await (await page.$('[data-testid=poincare]'))!.boundingBox())!;
    await page.mouse.move(pb.x + 33, pb.y + 6);
    await page.mouse.down();
    await page.mouse.move(pb.x + 73, pb.y + 118, { steps: 6 });
    await page.mouse.up();
    await expect.poll(async () => (await page.textContent('.poincare .count')) ?? '').toMatch(/^\d+ selected/);
    expect(Number(/^(\d+)/.exec((await page.textContent('.poincare .count'))!)![1])).toBeGreaterThan(5);
    await page.screenshot({ path: join(SHOTS, '08-poincare-selection.png') });
    await page.keyboard.press('Escape');
    await expect.poll(async () => (await page.textContent('.poincare .count')) ?? '').toContain('drag a box');
    await page.click('text=Audit trail');
    await expect.poll(async () => (await page.textContent('[aria-label="Audit trail"]')) ?? '').toMatch(/relabel N: beat @\d+ .*→ N \(relabelled\)/);
    expect((await page.textContent('[aria-label="Audit trail"]')) ?? '').toMatch(/undo relabel N/);
  });

  it('resizes a rhythm episode by dragging its edge on the trace, one undo step, in the audit trail', async () => {
    await page.keyboard.press('0'); // 25 mm/s: 1 s = 94.49 CSS px
    const rows = page.locator('[aria-label="Rhythm episodes"] li');
    const texts = await rows.allTextContents();
    const parse = (t: string) => {
      const m = /(\w+) (\d\d):(\d\d):(\d\d) · (?:([\d.]+) s|(\d+) min (\d+) s|(\d+) h (\d+) min) ·/.exec(t)!;
      const dur = m[5] ? Number(m[5]) : m[6] ? +m[6] * 60 + +m[7]! : +m[8]! * 3600 + +m[9]! * 60;
      return { type: m[1]!, onset: +m[2]! * 3600 + +m[3]! * 60 + +m[4]!, dur, text: t };
    };
    // Any episode of 10 s or more (which ones the rhythm model finds is its business).
    const k = texts.findIndex((t) => parse(t).dur >= 10 && parse(t).dur < 3600);
    expect(k).toBeGreaterThanOrEqual(0);
    const before = parse(texts[k]!);
    const row = rows.nth(k); // the list is in onset order; 2 s later keeps its place
    await row.locator('button.jump').click(); // the onset at the middle of the trace
    await page.evaluate('document.activeElement && document.activeElement.blur()');
    const box = (await (await page.$('[data-testid=trace]'))!.boundingBox())!;
    const x = box.x + box.width / 2;
    await page.mouse.move(x, box.y + 6);
    await expect.poll(async () => page.evaluate("document.querySelector('[data-testid=trace]').classList.contains('resize')")).toBe(true);
    await page.mouse.down();
    await page.mouse.move(x + 189, box.y + 6, { steps: 6 }); // 2 s later (snapped to a beat within 8 px)
    await page.screenshot({ path: join(SHOTS, '09-episode-drag.png') });
    await page.mouse.up();
    await expect.poll(async () => (await row.textContent()) ?? '').toMatch(/resized/);
    const after = parse((await row.textContent())!);
    expect(after.type).toBe(before.type);
    expect(Math.abs(after.dur - (before.dur - 2))).toBeLessThanOrEqual(before.dur < 100 ? 0.3 : 1.1);
    expect(Math.abs(after.onset - (before.onset + 2))).toBeLessThanOrEqual(1);
    await expect
      .poll(async () => (await page.textContent('[aria-label="Audit trail"]')) ?? '')
      .toMatch(new RegExp(`resize ${before.type}|${before.type}.*resized`));
    await page.keyboard.press('Control+z');
    await expect.poll(async () => (await row.textContent()) ?? '').toBe(before.text);
    await page.keyboard.press('Control+Shift+z');
    await expect.poll(async () => (await row.textContent()) ?? '').toMatch(/resized/);
    await page.keyboard.press('Control+z');
    await expect.poll(async () => (await row.textContent()) ?? '').toBe(before.text);
  });

  it('keeps the status bar on one line: short model wording, full reasons on hover and in the info popover', async () => {
    const bar = (await page.$('[data-testid=status]'))!;
    const h = await bar.evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
    expect(h.scroll).toBeLessThanOrEqual(h.client + 1);
    const beat = page.locator('[data-testid=model-beat]');
    expect(await beat.textContent()).not.toMatch(/\//);
    expect(((await beat.getAttribute('title')) ?? '').length).toBeGreaterThan(((await beat.textContent()) ?? '').length);
    await page.click('[data-testid=model-info]');
    expect(await text('model-popover')).toContain((await beat.getAttribute('title'))!.split('\n')[0]!);
    await page.screenshot({ path: join(SHOTS, '12-status-info.png') });
    await page.click('[data-testid=model-popover] button');
    expect(await page.$('[data-testid=model-popover]')).toBeNull();
    await page.click('[data-testid=model-info]');
    await page.keyboard.press('Escape');
    expect(await page.$('[data-testid=model-popover]')).toBeNull();
  });

  it('continues the review elsewhere from an exported JSON file (fresh browser profile)', async () => {
    await page.selectOption('[aria-label="Export format"]', 'json');
    await page.evaluate('document.activeElement && document.activeElement.blur()');
    await page.keyboard.press('e');
    await expect.poll(() => text('notice'), { timeout: 20_000 }).toMatch(/review\.json$/);
    const json = /to (\S+)$/.exec(await text('notice'))![1]!;
    const fresh = await app.browser.newContext({ viewport: { width: 1440, height: 900 } });
    const p2 = await fresh.newPage();
    collectErrors(p2, pageErrors, false);
    await p2.goto(app.web.url);
    await p2.waitForSelector('[data-testid=flagged-count]', { timeout: 120_000 });
    expect(((await p2.textContent('[data-testid=review-progress]')) ?? '').trim()).toMatch(/^0 \//);
    await p2.fill('[aria-label="Import file"]', json);
    await p2.click('text=Import');
    await expect.poll(async () => ((await p2.textContent('[data-testid=review-progress]')) ?? '').trim(), { timeout: 20_000 }).toMatch(/^1 \//);
    expect(await p2.textContent('[data-testid=summary]')).toContain('PVCs');
    await fresh.close();
  });

  it('fine-tunes on the corrections: counts, progress, result card with the threshold, accept, roll back', async () => {
    // confirm a few more flagged beats (Enter confirms and moves on): with the earlier relabel (a
    // false alarm corrected) the job has something to learn and more than one beat
    await page.evaluate('document.activeElement && document.activeElement.blur()');
    await page.keyboard.press('j');
    for (let i = 0; i < 4; i++) await page.keyboard.press('Enter');
    await page.click('button.fold-toggle:has-text("Fine-tune")');
    await expect.poll(async () => Number(/Will use (\d+)/.exec(await text('finetune-counts'))?.[1] ?? 0)).toBeGreaterThanOrEqual(3);
    const counts = await text('finetune-counts');
    expect(Number(/Will use (\d+)/.exec(counts)![1])).toBeGreaterThanOrEqual(2);
    const beatModel = async () => ((await page.textContent('[data-testid=model-beat]')) ?? '').trim();
    expect(await beatModel()).toMatch(/beat-pvc \d/);
    await page.click('[data-testid=finetune-panel] button:has-text("Start")');
    await page.waitForSelector('[data-testid=finetune-result]', { timeout: 90_000 });
    expect(await text('finetune-threshold')).toMatch(/^PVC threshold \d\.\d{3} → \d\.\d{3} \(/);
    // the shipped model carries the replay/reference features, so the job adapts the embedding layer too
    expect(await text('finetune-adapted')).toBe('Adapted: embedding layer + classification head');
    // what the version does where nobody reviewed, beside the parent and what the review suggests
    expect(await text('finetune-unreviewed')).toMatch(/^Where nobody reviewed \(\d+ beats\): PVC calls \d+ → \d+ \(your review suggests about \d+\)$/);
    expect(await text('finetune-result')).toMatch(/Held-out corrections|Reference set/);
    await page.locator('[data-testid=finetune-panel]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, '13-finetune-result.png') });
    // the loss plot's legend, the result card and the version list at AA contrast on the dark theme
    expect(await contrastFailures(page, '[data-testid=finetune-panel]')).toEqual([]);
    // a version the verdict refuses (reference set worse) is activated only with the explicit override
    if (await page.$('[data-testid=finetune-override]')) await page.check('[data-testid=finetune-override]');
    await page.click('[data-testid=finetune-accept]');
    await expect.poll(beatModel, { timeout: 60_000 }).toMatch(/-ft/);
    await waitAnalysed();
    // the version was tuned on this very record (same content hash): no other-patient warning
    expect(await beatModel()).not.toMatch(/tuned on/);
    expect(await page.getAttribute('[data-testid=model-beat]', 'title')).toMatch(/fine-tuned on this record/);
    // another patient's record with that version active: the status bar says whose version it is
    const other = join(app.dataDir, 'other');
    await writeSynthRecord(other, { scenario: 'pvc', minutes: 2, seed: 11 });
    await page.fill('[data-testid=path]', other);
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await page.textContent('[data-testid=status]')) ?? '', { timeout: 60_000 }).toContain('other');
    await waitAnalysed();
    await expect.poll(beatModel, { timeout: 60_000 }).toMatch(/-ft.* · tuned on demo$/);
    expect(await beatModel()).toMatch(/^⚠ /);
    expect(await page.getAttribute('[data-testid=model-beat]', 'title')).toMatch(/not this record/);
    // the demo's job (progress, loss curve, result card) stayed with the demo
    expect(await page.$('[data-testid=finetune-panel] svg[aria-label="Loss curve"]')).toBeNull();
    expect(await page.$('[data-testid=finetune-result]')).toBeNull();
    await painted(page); // the side panels' canvases draw after the analysis lands (only the picture waits on this)
    await page.screenshot({ path: join(SHOTS, '14-tuned-on-another-record.png') });
    await page.click('[data-testid=finetune-panel] button:has-text("Roll back")');
    await expect.poll(beatModel, { timeout: 60_000 }).not.toMatch(/-ft/);
    await waitAnalysed();
    // again from the version list: a version the verdict refuses takes a second press there too
    const activate = page.locator('[data-testid=version-activate]').first();
    if (((await activate.textContent()) ?? '').includes('…')) {
      await activate.click();
      await expect.poll(async () => (await activate.textContent()) ?? '').toBe('Activate anyway');
      expect(await beatModel()).not.toMatch(/-ft/);
    }
    await activate.click();
    await expect.poll(beatModel, { timeout: 60_000 }).toMatch(/-ft/);
    await waitAnalysed();
    await page.click('[data-testid=finetune-panel] button:has-text("Roll back")');
    await expect.poll(beatModel, { timeout: 60_000 }).not.toMatch(/-ft/);
    await waitAnalysed();
  });

  it('raised no page errors', () => {
    expect(pageErrors).toEqual([]);
  });
});

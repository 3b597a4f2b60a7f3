// What the reviewer signs is what the reviewer decided (issue 15), each test in a fresh browser
// profile on the bundled demo (opened on first start): the summary follows relabels and episode
// decisions; a multi-beat selection asks before it acts and is spent once applied or undone; the
// queue order switch starts the new order at its start; review keys act wherever focus is.
import { describe, expect, it } from 'vitest';
import { stat, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import { SHOTS } from './harness';
import { freshPage, useReviewApp } from './review-app';
import { dataPath, needData } from '../helpers/data';
import { writeSynthRecord } from '../../src/main/synth';

const app = useReviewApp('hb-e2e-dec-');
const pageErrors: string[] = [];

/** A fresh profile on the demo, analysed; its page and console errors go to pageErrors. */
const fresh = () => freshPage(app, { errors: pageErrors });

const num = (s: string, re: RegExp) => Number((re.exec(s)?.[1] ?? 'NaN').replace(/,/g, ''));
const timeOf = (line: string) => /beat\s*(\d\d:\d\d:\d\d\.\d\d)/.exec(line)?.[1] ?? '';

describe('review decisions in Chromium', () => {
  it('the summary follows relabels, deletions and episode rejections, and says which figures are reviewed', async () => {
    const { page, context, text } = await fresh();
    const summary = () => text('summary');
    const pvcs = async () => num(await summary(), /PVCs\s*([\d,]+)/);
    const af = async () => num(await summary(), /AF\s*([\d.]+)%/);
    const beats = async () => num(await text('summary-beats'), /^([\d,]+)/);
    // the first summary is counted on the reference's episodes (the demo has them) and recounted a
    // moment after the analysis's arrive (aria-busy meanwhile): the model's figures are the recount's
    await page.waitForSelector('[data-testid=summary][aria-busy=false]');
    await expect.poll(af).toBeGreaterThan(0);
    const pvc0 = await pvcs();
    const af0 = await af();
    const beats0 = await beats();
    expect(pvc0).toBeGreaterThan(3);
    expect(af0).toBeGreaterThan(0);
    expect(await summary()).toMatch(/nothing reviewed/);

    await page.keyboard.press('j');
    await page.waitForSelector('[data-testid=current-beat]');
    await expect.poll(() => text('current-label')).toBe('V');
    await page.keyboard.press('n'); // a false alarm: relabel N (and on to the next flagged beat)
    await expect.poll(pvcs).toBe(pvc0 - 1);
    expect(await text('summary-pvc')).toMatch(/\(model [\d,]+\)/);
    expect(await text('summary-pvc')).toMatch(/1 of \d+ reviewed/);
    expect(await text('summary-status')).toMatch(/after review: 1 of [\d,]+ beats[\s\S]*threshold\s+\d\.\d{3}\s*$/);

    await page.keyboard.press('Delete'); // the next flagged beat is not a beat
    await expect.poll(beats).toBe(beats0 - 1);
    await expect.poll(pvcs).toBe(pvc0 - 2);

    // the demo's recording call rests on its AF episode: an alarm until the reviewer rejects that episode
    const call = page.locator('[data-testid=recording-call]');
    expect(await call.textContent()).toMatch(/^Recording: AF \([\d.]+\)$/);
    expect(await call.getAttribute('class')).toMatch(/alarm/);
    await page.click('[aria-label="Rhythm episodes"] li:has-text("AF") button[title=Reject]');
    await expect.poll(af).toBe(0);
    await expect.poll(() => call.textContent()).toMatch(/^Recording: AF \([\d.]+\) · rejected in review$/);
    expect(await call.getAttribute('class')).not.toMatch(/alarm/);
    expect(await text('summary-af')).toMatch(/\(model [\d.]+%\)/);
    expect(await text('summary-af')).toMatch(/reviewed/);
    await page.locator('[data-testid=summary]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, '15-summary-after-review.png') });

    await page.keyboard.press('Control+z'); // the AF decision undone: the model's burden again
    await expect.poll(af).toBe(af0);
    await expect.poll(() => call.textContent()).toMatch(/^Recording: AF \([\d.]+\)$/);
    await context.close();
  });

  it('a relabel made in the same moment the page reloads is kept (the hiding page journals what its batched write has not stored)', async () => {
    const { page, context, text } = await fresh();
    await page.keyboard.press('j');
    await page.waitForSelector('[data-testid=current-beat]');
    await expect.poll(() => text('current-label')).toBe('V');
    // the relabel and the reload in one task: the page goes before any timer of the write can run
    await page.evaluate(`(() => {
      window.dispatchEvent(new KeyboardEvent('keydown', { key: 'n', bubbles: true }));
      location.reload();
    })()`);
    await page.waitForSelector('[data-testid=analysis-progress]', { state: 'detached', timeout: 120_000 });
    await expect.poll(() => text('summary-status'), { timeout: 30_000 }).toMatch(/^after review: 1 of/);
    expect(await text('summary-pvc')).toMatch(/1 of \d+ reviewed/);
    await context.close();
  });

  it('a multi-beat selection asks first, naming the count, and is spent once applied or undone', async () => {
    const { page, context, text } = await fresh();
    await page.keyboard.press('j');
    await page.waitForSelector('[data-testid=current-beat]');
    const first = timeOf(await text('current-beat'));
    for (let i = 0; i < 7; i++) await page.keyboard.press('Shift+ArrowRight');
    await expect.poll(() => text('selection-count')).toBe('8 selected');
    const last = timeOf(await text('current-beat'));
    expect(last).not.toBe(first);

    await page.keyboard.press('v');
    await expect.poll(() => text('bulk-question')).toBe('Relabel 8 beats as V?');
    await page.keyboard.press('Escape'); // nothing happens
    await page.waitForSelector('[data-testid=bulk-confirm]', { state: 'detached' });
    expect(await text('reviewed-total')).toMatch(/^0 beats/);
    expect(await text('selection-count')).toBe('8 selected');

    await page.keyboard.press('q');
    await expect.poll(() => text('bulk-question')).toBe('Relabel 8 beats as Q?');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid=bulk-confirm]', { state: 'detached' });
    await expect.poll(() => text('reviewed-total')).toMatch(/^8 beats/);
    expect(await text('selection-count')).toMatch(/drag a box/); // spent

    await page.keyboard.press('Control+z');
    await expect.poll(() => text('reviewed-total')).toMatch(/^0 beats/);
    expect(await text('selection-count')).toMatch(/drag a box/);
    // the undo leaves the cursor at the selection's first beat, not its last (nor the record's end)
    expect(timeOf(await text('current-beat'))).toBe(first);
    // a label key now acts on the current beat alone, without a question
    await page.keyboard.press('v');
    await expect.poll(() => text('reviewed-total')).toMatch(/^1 beat reviewed/);
    expect(await page.$('[data-testid=bulk-confirm]')).toBeNull();

    // a Poincaré box over the whole plane: the count is named before anything changes
    await page.locator('[data-testid=poincare]').scrollIntoViewIfNeeded();
    const box = (await page.locator('[data-testid=poincare]').boundingBox())!;
    await page.mouse.move(box.x + 24, box.y + 6);
    await page.mouse.down();
    await page.mouse.move(box.x + 120, box.y + 120, { steps: 4 });
    await page.mouse.move(box.x + box.width - 6, box.y + box.height - 24, { steps: 4 });
    await page.mouse.up();
    await expect.poll(async () => num(await text('selection-count'), /([\d,]+) selected/)).toBeGreaterThan(100);
    const n = num(await text('selection-count'), /([\d,]+) selected/);
    await page.keyboard.press('n');
    await expect.poll(() => text('bulk-question')).toBe(`Relabel ${n.toLocaleString('en-US')} beats as N?`);
    await page.screenshot({ path: join(SHOTS, '16-bulk-confirm.png') });
    await page.click('[data-testid=bulk-confirm] button:has-text("Cancel")');
    await page.waitForSelector('[data-testid=bulk-confirm]', { state: 'detached' });
    await context.close();
  });

  it('switching to "by uncertainty" starts that queue at its start', async () => {
    const { page, context, text } = await fresh();
    await page.keyboard.press('j');
    await page.waitForSelector('[data-testid=current-beat]');
    for (let i = 0; i < 9; i++) await page.keyboard.press('j');
    await expect.poll(() => text('current-beat')).toMatch(/#10 of/);
    await page.keyboard.press('o');
    await expect.poll(() => page.isChecked('input[name=order] >> nth=1')).toBe(true);
    await page.keyboard.press('j');
    await expect.poll(() => text('current-beat')).toMatch(/#1 of/);
    await page.keyboard.press('j');
    await expect.poll(() => text('current-beat')).toMatch(/#2 of/);
    await context.close();
  });

  it('Enter confirms the beat even after a click on a review button', async () => {
    const { page, context, text } = await fresh();
    await page.click('button:has-text("J ▶")');
    await page.waitForSelector('[data-testid=current-beat]');
    await expect.poll(() => text('current-beat')).toMatch(/#1 of/);
    await page.keyboard.press('Enter');
    await expect.poll(() => text('review-progress')).toMatch(/^1 \//);
    await context.close();
  });

  it('a fine-tune from a handful of reviewed beats keeps the parent threshold and says why; a version that gained nothing is not offered plainly', async () => {
    const { page, context, text } = await fresh();
    await page.keyboard.press('j');
    await page.waitForSelector('[data-testid=current-beat]');
    await page.keyboard.press('n'); // a false alarm corrected, then a few confirmations
    for (let i = 0; i < 4; i++) await page.keyboard.press('Enter');
    await expect.poll(() => text('reviewed-total')).toMatch(/^5 beats/);
    await page.click('button.fold-toggle:has-text("Fine-tune")');
    await page.click('[data-testid=finetune-panel] button:has-text("Start")');
    await page.waitForSelector('[data-testid=finetune-result]', { timeout: 120_000 });
    const line = await text('finetune-threshold');
    const [, before, after] = /PVC threshold (\d\.\d{3}) → (\d\.\d{3})/.exec(line)!;
    expect(after).toBe(before);
    expect(line).toMatch(/the parent's, kept: \d+ held-out PVCs? and \d+ other beats?: a threshold of this patient's own needs at least 5 and 20/);
    // whatever the verdict, Accept is plain only without a warning
    const warned = (await page.$('[data-testid=finetune-warning]')) !== null;
    expect(await text('finetune-accept')).toBe(warned ? 'Accept anyway' : 'Accept (activate)');
    await page.locator('[data-testid=finetune-result]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, '17-finetune-verdict.png') });
    await page.click('[data-testid=finetune-result] button:has-text("Discard")');
    await page.waitForSelector('[data-testid=finetune-result]', { state: 'detached' });
    await context.close();
  });

  it('a record whose reference has no beat labels has nothing to score the threshold against', async () => {
    if (!needData('vfdb')) return;
    const { page, context, text } = await fresh();
    await page.fill('[data-testid=path]', dataPath('vfdb', '418'));
    await page.keyboard.press('Enter');
    await expect.poll(() => text('status'), { timeout: 60_000 }).toContain('418');
    await page.waitForSelector('[data-testid=analysis-progress]', { state: 'detached', timeout: 180_000 });
    await expect
      .poll(() => text('threshold-nothing'), { timeout: 60_000 })
      .toBe('Nothing to score against: its reference annotations hold no beat labels (rhythm only).');
    expect(await page.$('[data-testid=metrics]')).toBeNull(); // no "precision 0.0 %, FP 1070"
    await context.close();
  });

  it("opens a record from any of its files, lists a folder's records, and an empty path says what to type", async () => {
    if (!needData('mitdb')) return;
    const { page, context, text } = await fresh();
    await page.fill('[data-testid=path]', '');
    await page.keyboard.press('Enter');
    await expect.poll(() => text('error')).toMatch(/^Type the path of a record/);
    await page.click('[data-testid=error] button');
    await page.fill('[data-testid=path]', dataPath('mitdb', '233.dat'));
    await page.keyboard.press('Enter');
    await expect.poll(() => text('status'), { timeout: 60_000 }).toMatch(/^233/);
    expect(await page.$('[data-testid=error]')).toBeNull();
    // a folder lists its records to pick from
    await page.fill('[data-testid=path]', dataPath('mitdb'));
    await page.keyboard.press('Enter');
    await expect.poll(() => text('folder-picker'), { timeout: 30_000 }).toMatch(/^\d+ records in .*mitdb: pick one/);
    await page.click('[data-testid=folder-picker] button:text-is("201")');
    await expect.poll(() => text('status'), { timeout: 60_000 }).toMatch(/^201/);
    expect(await page.$('[data-testid=folder-picker]')).toBeNull();
    await context.close();
  });

  it('adding a beat where it would make an RR faster than 200 bpm takes a second press', async () => {
    const { page, context, text } = await fresh();
    // the demo's VT run (170 bpm): halfway between two of its beats is ~176 ms from each
    await page.click('[aria-label="Rhythm episodes"] li:has-text("VT") button.jump');
    const trace = (await page.locator('[data-testid=trace]').boundingBox())!;
    await page.mouse.click(trace.x + trace.width / 2, trace.y + trace.height / 2);
    await expect.poll(() => text('current-label')).toBe('V');
    await page.mouse.move(5, 5); // off the trace: A adds between this beat and the next
    await page.keyboard.press('a');
    await expect.poll(() => text('notice')).toMatch(/ms (after the previous|before the next) beat \(\d+ bpm, faster than 200 bpm\).*Press A again/);
    expect(await text('reviewed-total')).toMatch(/^0 beats/);
    await page.keyboard.press('a');
    await expect.poll(() => text('current-beat')).toMatch(/added/);
    expect(await text('reviewed-total')).toMatch(/^1 beat reviewed/);
    await context.close();
  });

  it('a recording cut short opens with what it holds and says how much is missing', async () => {
    const rec = join(app.dataDir, 'cut');
    await writeSynthRecord(rec, { scenario: 'pvc', minutes: 2, seed: 5 });
    await truncate(`${rec}.dat`, Math.floor((await stat(`${rec}.dat`)).size / 2));
    const { page, context, text } = await fresh();
    await page.fill('[data-testid=path]', rec);
    await page.keyboard.press('Enter');
    await expect.poll(() => text('status'), { timeout: 60_000 }).toMatch(/^cut 00:01:00/);
    expect(await text('record-warning')).toMatch(
      /Truncated recording: cut\.dat holds 1 min 00 s of the 2 min 00 s its header gives; the last 1 min 00 s \(50\.0 %\) are missing/
    );
    await page.waitForSelector('[data-testid=analysis-progress]', { state: 'detached', timeout: 120_000 });
    await expect.poll(async () => Number(await text('flagged-count')), { timeout: 60_000 }).toBeGreaterThan(0);
    expect(await page.$('[data-testid=error]')).toBeNull();
    await page.screenshot({ path: join(SHOTS, '18-truncated.png') });
    await context.close();
  });

  it('another record opens at its start, not where the last one was; from the end of the demo a 9-s strip opens whole, without an error', async () => {
    const two = join(app.dataDir, 'two-min');
    const strip = join(app.dataDir, 'strip9');
    await writeSynthRecord(two, { scenario: 'pvc', minutes: 2, seed: 6 });
    await writeSynthRecord(strip, { scenario: 'pvc', minutes: 0.15, seed: 5 });
    const { page, context, text } = await fresh();
    // where the overview's box of the trace's window starts, px (0: the record's start)
    const windowX = async () => num((await page.getAttribute('.overview .window', 'style')) ?? '', /translateX\((-?[\d.]+)px\)/);
    // a record opened while the last one's analysis or recut runs cancels them (a 409 in the console): after them
    const open = async (path: string, status: RegExp) => {
      await page.waitForLoadState('networkidle');
      await page.fill('[data-testid=path]', path);
      await page.keyboard.press('Enter');
      await expect.poll(() => text('status'), { timeout: 60_000 }).toMatch(status);
      await page.waitForSelector('[data-testid=recording-call]', { timeout: 120_000 }); // analysed: the call comes with it
    };
    for (let i = 0; i < 80; i++) await page.keyboard.press('PageDown'); // to the end of the 10-min demo
    await expect.poll(windowX).toBeGreaterThan(900);
    await open(two, /^two-min 00:02:00/);
    await expect.poll(windowX).toBe(0);
    for (let i = 0; i < 20; i++) await page.keyboard.press('PageDown');
    await expect.poll(windowX).toBeGreaterThan(800);
    // the strip is narrower than the view: it starts within the view's small margin before the record
    await open(strip, /^strip9 00:00:09/);
    await expect.poll(windowX).toBeLessThanOrEqual(0);
    await page.waitForLoadState('networkidle');
    expect(await page.$('[data-testid=error]')).toBeNull();
    await context.close();
  });

  it('raised no page errors', () => {
    expect(pageErrors).toEqual([]);
  });
});

// The recording-level call in the status bar (issue 13): label and confidence, why on hover; and
// which signals the analysis read when a record also holds other modalities.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SHOTS } from './harness';
import { freshPage, openAnalysed, useReviewApp } from './review-app';
import { dataPath, needData } from '../helpers/data';
import { signalSpecs, synthesize } from '../../src/main/synth';
import { writeSynthSignals } from '../helpers/synth-record';

const app = useReviewApp('hbs-e2e-recording-');

/** The canvas members the pixel count reads (the tests' tsconfig has no DOM lib). */
interface PixelCanvas {
  width: number;
  height: number;
  getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } | null;
}

describe('recording call', () => {
  it('shows the analysis call for the whole recording in the status bar, its explanation in the title', async () => {
    const { page, context, errors } = await freshPage(app);
    const call = page.locator('[data-testid=recording-call]');
    await expect
      .poll(async () => (await call.textContent()) ?? '', { timeout: 60_000 })
      .toMatch(/^Recording: (AF|VT|VF|pause|normal|other rhythm|unreadable \(noise\)) \(\d\.\d\d\)$/);
    expect(await call.getAttribute('title')).toMatch(/^The analysis's call for the whole recording: [A-Z]+/);
    await page.locator('[data-testid=status]').screenshot({ path: join(SHOTS, '30-recording-call.png') });
    expect(errors).toEqual([]);
    await context.close();
  }, 180_000);
});

describe('unreadable signal', () => {
  it.runIf(needData('mitdb'))(
    'MIT-BIH 208: the unreadable stretch at 21:11 is a noise band on the trace, with no pause over it',
    async () => {
      const { page, context, errors, text } = await freshPage(app);
      await openAnalysed(page, dataPath('mitdb', '208'), '208');
      const noise = page.locator('button.jump', { hasText: /^\s*NOISE 00:21:1\d/ });
      await expect.poll(() => noise.count(), { timeout: 30_000 }).toBeGreaterThan(0);
      expect(await page.locator('button.jump', { hasText: /^\s*PAUSE 00:21:1/ }).count()).toBe(0);
      // the summary is recounted once the episodes have been quiet a moment: it then says how much
      // time is unreadable, and that its heart rates leave that time out
      const unreadable = async () => ((await page.textContent('[data-testid=summary-unreadable]')) ?? '').trim();
      await expect.poll(unreadable, { timeout: 30_000 }).toMatch(/^unreadable (?!00:00:00)\d\d:\d\d:\d\d \(\d+\.\d+%\)$/);
      await expect.poll(() => page.textContent('[data-testid=summary-hr-max]'), { timeout: 30_000 }).toMatch(/^max \d+$/);
      expect(await page.textContent('[data-testid=summary-hr-readable]')).toBe('(readable signal only)');
      // and that its ectopy rates are per hour of readable signal
      expect(await text('summary-pvc')).toMatch(/^[\d,]+ · [\d.]+% · \d+\/readable h/);
      expect(await page.getAttribute('[data-testid=summary-pvc]', 'title')).toMatch(/per hour of readable signal/);
      // beside its count of runs, the VT line says how many VT episodes the rhythm list holds
      const vtListed = await page.locator('[aria-label="Rhythm episodes"] li:not(.rejected) button.jump', { hasText: /^\s*VT / }).count();
      expect(vtListed).toBeGreaterThan(0);
      const vtLine = async () => ((await page.textContent('[data-testid=summary-vt-episodes]')) ?? '').trim();
      await expect.poll(vtLine).toBe(`(${vtListed} VT episode${vtListed === 1 ? '' : 's'})`);
      await page.locator('[data-testid=summary]').screenshot({ path: join(SHOTS, '32-summary-208.png') });
      await noise.first().click();
      // the jump fetches that stretch of signal: wait until the leads are drawn (trace colour #e6f2e6)
      const inked = () =>
        page.locator('[data-testid=trace]').evaluate((c: PixelCanvas) => {
          const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
          let n = 0;
          for (let i = 0; i < d.length; i += 4) if (d[i]! > 215 && d[i + 1]! > 230 && d[i + 2]! > 215) n++;
          return n;
        });
      await expect.poll(inked, { timeout: 30_000 }).toBeGreaterThan(500);
      await page.locator('[data-testid=trace]').screenshot({ path: join(SHOTS, '31-noise-band-208.png') });
      expect(errors).toEqual([]);
      await context.close();
    },
    240_000
  );
});

describe('analysed leads', () => {
  it('a record with a blood pressure stored before its ECG is analysed on the ECG, and the status bar says so', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hbs-e2e-icu-'));
    try {
      const r = synthesize({ scenario: 'demo', minutes: 3, seed: 5 });
      const ecg = signalSpecs(r)[0]!;
      const path = await writeSynthSignals(dir, 'icu', r, ['ABP', { lead: 0 }]);
      const { page, context, errors } = await freshPage(app);
      await openAnalysed(page, path, 'icu');
      const analysed = page.locator('[data-testid=analysed-leads]');
      await expect.poll(async () => (await analysed.textContent()) ?? '', { timeout: 60_000 }).toBe(`analysed: ${ecg.description}`);
      expect(await page.textContent('[data-testid=status]')).toContain(`2 leads: ABP, ${ecg.description}`);
      await page.locator('[data-testid=status]').screenshot({ path: join(SHOTS, '33-analysed-leads.png') });
      // the one-lead views show the analysed lead, not the pressure stored first
      await page.keyboard.press('d');
      await page.waitForSelector('[data-testid=fd]');
      expect(((await page.textContent('[data-testid=fd-lead]')) ?? '').trim()).toMatch(new RegExp(`^lead ${ecg.description} ·`));
      await page.screenshot({ path: join(SHOTS, '34-analysed-lead-disclosure.png') });
      expect(errors).toEqual([]);
      await context.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 240_000);

  it('a lead flat for most of the record is left out, with a warning that says why', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hbs-e2e-off-'));
    try {
      const r = synthesize({ scenario: 'demo', minutes: 3, seed: 5 });
      const specs = signalSpecs(r);
      const path = await writeSynthSignals(dir, 'off', r, [{ lead: 0 }, { lead: 1, flat: true }]);
      const { page, context, errors } = await freshPage(app);
      await openAnalysed(page, path, 'off');
      const analysed = page.locator('[data-testid=analysed-leads]');
      await expect.poll(async () => ((await analysed.textContent()) ?? '').trim(), { timeout: 60_000 }).toBe(`⚠ analysed: ${specs[0]!.description}`);
      expect(await analysed.getAttribute('title')).toContain(`${specs[1]!.description} left out: flat on 100 % of the record`);
      // the record reads as readable: a heart rate, not "unreadable" throughout
      await expect.poll(() => page.textContent('[data-testid=summary-hr-max]'), { timeout: 30_000 }).toMatch(/^max \d+$/);
      await page.locator('[data-testid=status]').screenshot({ path: join(SHOTS, '35-lead-left-out.png') });
      expect(errors).toEqual([]);
      await context.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 240_000);
});

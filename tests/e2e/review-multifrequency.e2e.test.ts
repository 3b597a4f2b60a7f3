// A multi-frequency record in the review UI: 03700181 (MIMIC: MCL1 at 4 samples per 125 Hz frame,
// ABP and RESP at 1) opens at MCL1's 500 Hz, its analysis's beats laid on the trace at that rate.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SHOTS } from './harness';
import { freshPage, openAnalysed, painted, useReviewApp } from './review-app';
import { dataPath, needData } from '../helpers/data';

const app = useReviewApp('hbs-e2e-multifreq-');

describe('multi-frequency record', () => {
  it.runIf(needData('wfdb-formats'))(
    '03700181 opens at its ECG’s 500 Hz and shows the analysis of MCL1',
    async () => {
      const { page, context, errors, text } = await freshPage(app);
      await openAnalysed(page, dataPath('wfdb-formats', '03700181'), '03700181');
      expect(await text('rate')).toBe('500 Hz');
      expect(await page.getAttribute('[data-testid=rate]', 'title')).toBe(
        'ECG at 4 samples per 125 Hz frame (a multi-frequency record): beats and times count its 500 Hz samples'
      );
      expect(await text('analysed-leads')).toBe('analysed: MCL1');
      // the analysis's beats (as `analyze` counts them: 1226), not refused for another rate
      await expect.poll(() => text('summary-beats'), { timeout: 30_000 }).toMatch(/1,226/);
      expect(await page.locator('[data-testid=error]').count()).toBe(0);
      // a beat of the trace, at its time: the 5-minute mark's neighbourhood
      await page.keyboard.press('End');
      await painted(page);
      await page.screenshot({ path: join(SHOTS, '50-multifrequency.png') });
      expect(errors).toEqual([]);
      await context.close();
    },
    180_000
  );
});

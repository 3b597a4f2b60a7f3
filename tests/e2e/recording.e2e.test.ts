// The recording-level call in the status bar (issue 13): label and confidence, why on hover.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SHOTS } from './harness';
import { freshPage, useReviewApp } from './review-app';

const app = useReviewApp('hbs-e2e-recording-');

describe('recording call', () => {
  it('shows the analysis call for the whole recording in the status bar, its explanation in the title', async () => {
    const { page, context, errors } = await freshPage(app);
    const call = page.locator('[data-testid=recording-call]');
    await expect.poll(async () => (await call.textContent()) ?? '', { timeout: 60_000 }).toMatch(/^Recording: (AF|VT|VF|pause|normal|other rhythm|unreadable \(noise\)) \(\d\.\d\d\)$/);
    expect(await call.getAttribute('title')).toMatch(/^The analysis's call for the whole recording: [A-Z]+/);
    await page.locator('[data-testid=status]').screenshot({ path: join(SHOTS, '30-recording-call.png') });
    expect(errors).toEqual([]);
    await context.close();
  }, 180_000);
});

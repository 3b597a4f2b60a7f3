// What assistive technology and low-vision reviewers meet: every control named for what it does,
// focus that goes somewhere sensible (into a dialog, back when it closes, kept on a confirmed
// episode), a keyboard-reached button taking Enter and Space, status changes announced, AA text
// contrast, and the panels at 200 % zoom with no control lost. Fresh browser profiles on the demo;
// every wait is on a condition.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { freshPage, useReviewApp } from './review-app';

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

  it('raised no page errors', () => {
    expect(pageErrors).toEqual([]);
  });
});

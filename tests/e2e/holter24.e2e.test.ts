// A 24-hour, 2-lead Holter (synthetic, made by the project's `synth` command into a temporary
// folder) in the review UI: it opens, the trace pages at 25 mm/s, zooms out to the whole day and
// back. Its frame times are measured in `npm run bench -- trace-frames`, not here.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, ROOT, SHOTS, startWeb, type WebServer } from './harness';

let web: WebServer;
let browser: Browser;
let page: Page;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hb-e2e24-'));
  const r = spawnSync(
    process.execPath,
    [resolve(ROOT, 'bin/heartbeat-sensei.mjs'), 'synth', '--scenario', 'holter', '--minutes', '1440', '--seed', '3', '--out', join(dir, 'holter24')],
    { cwd: ROOT, encoding: 'utf8' }
  );
  if (r.status !== 0) throw new Error(`synth failed: ${r.stderr}`);
  web = await startWeb({ HEARTBEAT_DATA_DIR: dir });
  browser = await launchChromium();
  page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
});

afterAll(async () => {
  await browser?.close();
  await web?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** The paper-speed read-out: "25 mm/s", or the time a screen spans ("24 h / screen"). */
const speed = () => page.evaluate(`document.querySelector('[data-testid=speed]').selectedOptions[0].textContent`) as Promise<string>;
/** How many times the trace has drawn since the last reset. */
const draws = () => page.evaluate('window.__heartbeatPerf.drawMs().length') as Promise<number>;

describe('24-hour Holter in Chromium', () => {
  it('opens, and scrolls and zooms from 25 mm/s to the whole day', async () => {
    await page.goto(web.url);
    await page.waitForSelector('[data-testid=path]');
    await page.fill('[data-testid=path]', join(dir, 'holter24'));
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await page.textContent('[data-testid=status]')) ?? '', { timeout: 120_000, interval: 250 }).toContain('24:00:00');
    // the UI alone: the background analysis is stopped (it would only compete for the CPU here)
    const cancel = page.locator('[data-testid=analysis-progress] button');
    await cancel.waitFor({ timeout: 20_000 }).catch(() => undefined);
    if (await cancel.count()) await cancel.click();
    await page.evaluate('document.activeElement && document.activeElement.blur()');
    const box = (await (await page.$('[data-testid=trace]'))!.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    expect(await speed()).toBe('25 mm/s');

    await page.evaluate('window.__heartbeatPerf.reset()');
    for (let i = 0; i < 10; i++) await page.keyboard.press('PageDown');
    await expect.poll(draws).toBeGreaterThan(0);

    for (let i = 0; i < 24; i++) await page.keyboard.press('-');
    await expect.poll(speed, { timeout: 30_000 }).toBe('24 h / screen');
    await page.evaluate('window.__heartbeatPerf.reset()');
    for (let i = 0; i < 6; i++) await page.mouse.wheel(0, i % 2 ? 240 : -240);
    await expect.poll(draws).toBeGreaterThan(0);
    await page.screenshot({ path: join(SHOTS, '10-holter24-day.png') });

    await page.keyboard.press('0');
    await expect.poll(speed, { timeout: 30_000 }).toBe('25 mm/s');
    await page.screenshot({ path: join(SHOTS, '11-holter24-back.png') });
  });
});

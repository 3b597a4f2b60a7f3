// Frame times on a 24-hour, 2-lead Holter (synthetic, made by the project's `synth` command into
// a temporary folder): scroll at 25 mm/s, zoom out to the whole day and back, pan while zoomed
// out. Reported (p50/p95 of the trace's draw time and of rAF intervals), not asserted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, percentile, ROOT, SHOTS, startWeb, type WebServer } from './harness';

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

async function startRaf(): Promise<void> {
  await page.evaluate(`(() => {
    window.__raf = [];
    window.__rafOn = true;
    let last = performance.now();
    const tick = (t) => { window.__raf.push(t - last); last = t; if (window.__rafOn) requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
  })()`);
  await page.evaluate('window.__heartbeatPerf.reset()');
}

async function stopRaf(): Promise<{ draw: number[]; raf: number[] }> {
  const raf = (await page.evaluate('(() => { window.__rafOn = false; return window.__raf.slice(1); })()')) as number[];
  const draw = (await page.evaluate('window.__heartbeatPerf.drawMs()')) as number[];
  return { draw, raf };
}

const summary = (xs: number[]) => ({
  n: xs.length,
  p50: +percentile(xs, 50).toFixed(2),
  p95: +percentile(xs, 95).toFixed(2),
  max: +Math.max(...xs).toFixed(2),
});

describe('24-hour Holter in Chromium', () => {
  it('opens, and scrolls and zooms from 25 mm/s to the whole day', async () => {
    await page.goto(web.url);
    await page.waitForSelector('[data-testid=path]');
    await page.fill('[data-testid=path]', join(dir, 'holter24'));
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await page.textContent('[data-testid=status]')) ?? '', { timeout: 120_000, interval: 250 }).toContain('24:00:00');
    // Measure the UI alone: stop the background analysis.
    await page.waitForSelector('[data-testid=analysis-progress]', { timeout: 20_000 }).catch(() => null);
    const cancel = page.locator('[data-testid=analysis-progress] button');
    if (await cancel.count()) await cancel.click();
    await page.waitForTimeout(5000); // the whole-record min/max level is built in the background (~4 s)
    await page.evaluate('document.activeElement && document.activeElement.blur()');
    const trace = (await page.$('[data-testid=trace]'))!;
    const box = (await trace.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.waitForTimeout(500);

    await startRaf();
    for (let i = 0; i < 40; i++) await page.keyboard.press('PageDown');
    const scroll = await stopRaf();

    await startRaf();
    for (let i = 0; i < 24; i++) {
      await page.keyboard.press('-');
      await page.waitForTimeout(30);
    }
    await page.waitForTimeout(1000);
    await page.screenshot({ path: join(SHOTS, '10-holter24-day.png') });
    for (let i = 0; i < 30; i++) await page.mouse.wheel(0, i % 2 ? 240 : -240);
    for (let i = 0; i < 24; i++) {
      await page.keyboard.press('+');
      await page.waitForTimeout(30);
    }
    const zoom = await stopRaf();
    await page.keyboard.press('0'); // back to 25 mm/s (+ steps by doubling, so 24 presses end at the 400 mm/s limit)
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(SHOTS, '11-holter24-back.png') });

    const report = {
      record: '24 h, 2 leads, 360 Hz (synthetic)',
      scroll25mm: { drawMs: summary(scroll.draw), rafMs: summary(scroll.raf) },
      zoomToDayAndBack: { drawMs: summary(zoom.draw), rafMs: summary(zoom.raf) },
    };
    console.log(`frame times: ${JSON.stringify(report)}`);
    await writeFile(join(SHOTS, 'frame-times-24h.json'), JSON.stringify(report, null, 1));
    expect(scroll.draw.length + zoom.draw.length).toBeGreaterThan(20);
  });
});

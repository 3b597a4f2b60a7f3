// Trace frame times on a 24-hour Holter (synthetic, 2 leads, 360 Hz): the built review UI in
// headless Chromium over the loopback bridge; 40 PageDown at 25 mm/s, then zoom out to the whole day
// and back with a pan in between. The trace's own draw time per frame (window.__heartbeatPerf) and
// the rAF intervals, p50/p95/max. Needs `npm run build` and Chromium.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { launchChromium, percentile, ROOT, startWeb } from '../tests/e2e/harness';
import type { BenchTable } from './harness';
import { makeHolter, until } from './navigation-keys';

const RAF = `(() => {
  window.__raf = [];
  window.__rafOn = true;
  let last = performance.now();
  const tick = (t) => { window.__raf.push(t - last); last = t; if (window.__rafOn) requestAnimationFrame(tick); };
  requestAnimationFrame(tick);
  window.__heartbeatPerf.reset();
})()`;

async function measure(page: Page, act: () => Promise<void>): Promise<{ draw: number[]; raf: number[] }> {
  await page.evaluate(RAF);
  await act();
  const raf = (await page.evaluate('(() => { window.__rafOn = false; return window.__raf.slice(1); })()')) as number[];
  const draw = (await page.evaluate('window.__heartbeatPerf.drawMs()')) as number[];
  return { draw, raf };
}

export async function run(): Promise<BenchTable> {
  const title = 'Trace frames on a 24-hour Holter (headless Chromium, ms)';
  const columns = ['gesture', 'what', 'frames', 'p50', 'p95', 'max'];
  if (!existsSync(resolve(ROOT, 'out/renderer/index.html'))) {
    return { title, columns, rows: [], notes: ['skipped: needs the built renderer (npm run build)'] };
  }
  const dir = await mkdtemp(join(tmpdir(), 'hb-frames-'));
  const rec = join(dir, 'holter24');
  makeHolter(rec);
  const web = await startWeb({ HEARTBEAT_DATA_DIR: dir });
  const browser = await launchChromium();
  try {
    const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
    await page.goto(web.url);
    await page.waitForSelector('[data-testid=path]');
    await page.fill('[data-testid=path]', rec);
    await page.keyboard.press('Enter');
    await until(page, `(document.querySelector('[data-testid=status]')?.textContent ?? '').includes('24:00:00')`, 120_000);
    await page.waitForSelector('[data-testid=analysis-progress]', { state: 'detached', timeout: 600_000 });
    await page.evaluate('document.activeElement && document.activeElement.blur()');
    const box = (await (await page.$('[data-testid=trace]'))!.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    const speed = `document.querySelector('[data-testid=speed]').selectedOptions[0].textContent`;
    const scroll = await measure(page, async () => {
      for (let i = 0; i < 40; i++) await page.keyboard.press('PageDown');
    });
    const zoom = await measure(page, async () => {
      for (let i = 0; i < 24; i++) await page.keyboard.press('-');
      await until(page, `${speed}.includes('h / screen')`, 30_000);
      for (let i = 0; i < 30; i++) await page.mouse.wheel(0, i % 2 ? 240 : -240);
      await page.keyboard.press('0');
      await until(page, `${speed} === '25 mm/s'`, 30_000);
    });
    const rows: (string | number)[][] = [];
    for (const [gesture, m] of [
      ['40 × PageDown at 25 mm/s', scroll],
      ['zoom to the day, pan, back', zoom],
    ] as const)
      for (const [what, xs] of [
        ['trace draw', m.draw],
        ['rAF interval', m.raf],
      ] as const)
        rows.push([gesture, what, xs.length, +percentile(xs, 50).toFixed(2), +percentile(xs, 95).toFixed(2), +Math.max(...xs).toFixed(2)]);
    return { title, columns, rows, notes: [`load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores while measuring.`] };
  } finally {
    await browser.close();
    await web.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

// Navigation-key latency on a 24-hour Holter (synthetic, 2 leads, 360 Hz, analysed): the built
// review UI in headless Chromium over the loopback bridge, each key timed from its keydown to the
// end of the frame that shows it (rAF, then a user-blocking task after its commit). Vsync is off
// (--disable-frame-rate-limit) so the figure is the page's own work, not the wait for a display
// frame. Target: p95 < 16 ms per navigation key (issue 15). Needs `npm run build` and Chromium.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { launchChromium, percentile, ROOT, startWeb } from '../tests/e2e/harness';
import type { BenchTable } from './harness';
import { KEYS, makeHolter, openHolter, TARGET_MS, timeKey } from './navigation-keys';

export async function run(): Promise<BenchTable> {
  const title = 'Navigation keys on a 24-hour Holter (headless Chromium, keydown → frame shown, ms)';
  const columns = ['key', 'presses', 'p50', 'p95', 'max', `p95 < ${TARGET_MS}`];
  if (!existsSync(resolve(ROOT, 'out/renderer/index.html'))) {
    return { title, columns, rows: [], notes: ['skipped: needs the built renderer (npm run build)'] };
  }
  const dir = await mkdtemp(join(tmpdir(), 'hb-nav-'));
  const rec = join(dir, 'holter24');
  makeHolter(rec);
  const web = await startWeb({ HEARTBEAT_DATA_DIR: dir });
  const browser = await launchChromium(['--disable-frame-rate-limit', '--disable-gpu-vsync']);
  try {
    const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
    await openHolter(page, web.url, rec);
    const rows: (string | number)[][] = [];
    for (const [key, n] of KEYS) {
      const t = await timeKey(page, key, n);
      const p95 = percentile(t, 95);
      rows.push([key, String(t.length), percentile(t, 50), p95, Math.max(...t), p95 < TARGET_MS ? 'yes' : 'NO']);
    }
    const load = loadavg()[0]!.toFixed(1);
    return {
      title,
      columns,
      rows,
      notes: [
        'Enter confirms a beat (a store write and the queue follow; the summary once the keys pause for 250 ms); J / K move in the flagged-beat queue; → to the next beat.',
        `load average ${load} on ${cpus().length} cores while measuring: figures from a loaded machine are upper bounds.`,
      ],
    };
  } finally {
    await browser.close();
    await web.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

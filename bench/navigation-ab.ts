// Navigation keys of two (or more) renderer builds served alternately against the same 24-hour
// Holter, so a change is compared under the same load (this machine is shared), optionally with a
// Chromium CPU profile per key (self time by function: where a key's frame goes).
//   npx tsx bench/navigation-ab.ts [--rounds N] [--profile] BUILD_DIR...
// A BUILD_DIR is a built renderer (a copy of out/renderer, e.g. from an older commit). The Holter
// and its analysis cache are kept in $TMPDIR/hb-nav-ab between runs.
import { existsSync, mkdirSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { CDPSession } from 'playwright-core';
import { launchChromium, percentile } from '../tests/e2e/harness';
import { KEYS, makeHolter, openHolter, timeKey } from './navigation-keys';

const args = process.argv.slice(2);
const profile = args.includes('--profile');
const ri = args.indexOf('--rounds');
const rounds = ri >= 0 ? Math.max(1, Number(args[ri + 1])) : 2;
const builds = args.filter((a, i) => !a.startsWith('--') && args[i - 1] !== '--rounds').map((d) => resolve(d));
if (!builds.length || builds.some((d) => !existsSync(join(d, 'index.html')))) {
  console.error('usage: npx tsx bench/navigation-ab.ts [--rounds N] [--profile] BUILD_DIR...  (each a built renderer with index.html)');
  process.exit(2);
}
const dir = join(tmpdir(), 'hb-nav-ab');
mkdirSync(dir, { recursive: true });
process.env.HEARTBEAT_DATA_DIR = dir;
const rec = join(dir, 'holter24');
if (!existsSync(`${rec}.hea`)) makeHolter(rec);
// after HEARTBEAT_DATA_DIR is set (the analysis cache goes there)
const { createHandlerTable } = await import('../src/main/table');
const { startBridge } = await import('../src/main/bridge/server');
const table = createHandlerTable('bridge');

/** Self time per function over one CPU profile, ms per press, the top `n`. */
async function selfTimes(cdp: CDPSession, presses: number, n = 8): Promise<string> {
  const { profile: p } = (await cdp.send('Profiler.stop')) as {
    profile: { nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[]; samples: number[]; timeDeltas: number[] };
  };
  const byId = new Map(p.nodes.map((nd) => [nd.id, nd.callFrame]));
  const self = new Map<string, number>();
  p.samples.forEach((id, i) => {
    const f = byId.get(id)!;
    const name = `${f.functionName || '(anonymous)'}${f.url ? ` ${f.url.split('/').pop()}:${f.lineNumber + 1}` : ''}`;
    self.set(name, (self.get(name) ?? 0) + (p.timeDeltas[i] ?? 0) / 1000);
  });
  return [...self.entries()]
    .filter(([k]) => k !== '(idle)')
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, v]) => `    ${(v / presses).toFixed(2).padStart(7)} ms  ${k}`)
    .join('\n');
}

for (let round = 0; round < rounds; round++) {
  for (const build of builds) {
    const bridge = await startBridge({ table, rendererDir: build, port: 0 });
    const browser = await launchChromium(['--disable-frame-rate-limit', '--disable-gpu-vsync']);
    try {
      const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
      await openHolter(page, bridge.url, rec);
      const cdp = profile ? await page.context().newCDPSession(page) : null;
      if (cdp) await cdp.send('Profiler.enable');
      const cells: string[] = [];
      const detail: string[] = [];
      for (const [key, n] of KEYS) {
        if (cdp) await cdp.send('Profiler.start');
        const t = await timeKey(page, key, n);
        cells.push(`${key} p50 ${percentile(t, 50).toFixed(1)} p95 ${percentile(t, 95).toFixed(1)}`);
        if (cdp) detail.push(`  ${key}, self time per press:\n${await selfTimes(cdp, n)}`);
      }
      console.log(`round ${round + 1} · ${build} · load ${loadavg()[0]!.toFixed(1)} · ${cells.join(' · ')}`);
      for (const d of detail) console.log(d);
    } finally {
      await browser.close();
      await bridge.close();
    }
  }
}
process.exit(0);

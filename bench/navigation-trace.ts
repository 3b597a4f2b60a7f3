// Where a navigation key's frame goes on the 24-hour Holter: a Chromium performance trace
// (devtools.timeline) over n presses of one key, summed per event name on the renderer's main
// thread and divided by the presses (style recalculation, layout, paint, script, GC...). The CPU
// profile of navigation-ab.ts --profile shows only JavaScript; the rest of a frame is "(program)"
// there and named here.
//   npx tsx bench/navigation-trace.ts [--key j] [--presses 30] [--out trace.json] BUILD_DIR
// BUILD_DIR: a built renderer (out/renderer, or a copy). The Holter and its analysis cache are
// shared with navigation-ab.ts ($TMPDIR/hb-nav-ab).
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { launchChromium } from '../tests/e2e/harness';
import { makeHolter, openHolter, timeKey } from './navigation-keys';

const args = process.argv.slice(2);
const opt = (name: string, fallback: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1]! : fallback;
};
const key = opt('--key', 'j');
const presses = Number(opt('--presses', '30'));
const out = args.includes('--out') ? resolve(opt('--out', '')) : null;
const build = args.filter((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--')).map((d) => resolve(d))[0];
if (!build || !existsSync(join(build, 'index.html'))) {
  console.error('usage: npx tsx bench/navigation-trace.ts [--key j] [--presses 30] [--out trace.json] BUILD_DIR');
  process.exit(2);
}
const dir = join(tmpdir(), 'hb-nav-ab');
mkdirSync(dir, { recursive: true });
process.env.HEARTBEAT_DATA_DIR = dir;
const rec = join(dir, 'holter24');
if (!existsSync(`${rec}.hea`)) makeHolter(rec);
const { createHandlerTable } = await import('../src/main/table');
const { startBridge } = await import('../src/main/bridge/server');

interface TraceEvent {
  name: string;
  ph: string;
  dur?: number;
  tid: number;
  pid: number;
  args?: { name?: string; data?: Record<string, unknown> };
}

/** Complete-event time per name on the thread named CrRendererMain, ms per press, top `n`; nested events are counted within their parents too. */
function perName(events: TraceEvent[], n = 14): string {
  const main = events.find((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  const sums = new Map<string, number>();
  for (const e of events) {
    if (!main || e.pid !== main.pid || e.tid !== main.tid || e.ph !== 'X' || !e.dur) continue;
    sums.set(e.name, (sums.get(e.name) ?? 0) + e.dur / 1000);
  }
  return [...sums.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, v]) => `  ${(v / presses).toFixed(2).padStart(8)} ms  ${k}`)
    .join('\n');
}

const bridge = await startBridge({ table: createHandlerTable('bridge'), rendererDir: build, port: 0 });
const browser = await launchChromium(['--disable-frame-rate-limit', '--disable-gpu-vsync']);
try {
  const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
  await openHolter(page, bridge.url, rec);
  await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8.execute', 'blink.user_timing'] });
  const t = await timeKey(page, key, presses);
  const buf = await browser.stopTracing();
  if (out) writeFileSync(out, buf);
  const { traceEvents } = JSON.parse(buf.toString('utf8')) as { traceEvents: TraceEvent[] };
  const sorted = [...t].sort((a, b) => a - b);
  console.log(
    `${build} · key ${key} × ${presses} · load ${loadavg()[0]!.toFixed(1)} · p50 ${sorted[Math.floor(sorted.length / 2)]!.toFixed(1)} ms · max ${sorted.at(-1)!.toFixed(1)} ms`
  );
  console.log('main-thread time per press by trace event:');
  console.log(perName(traceEvents));
} finally {
  await browser.close();
  await bridge.close();
}
process.exit(0);

// Where a navigation key's frame goes on the 24-hour Holter: a Chromium performance trace
// (devtools.timeline) over n presses of one key, summed per event name on the renderer's main
// thread and divided by the presses (style recalculation, layout, paint, script, GC...). The CPU
// profile of navigation-ab.ts --profile shows only JavaScript; the rest of a frame is "(program)"
// there and named here.
//   npx tsx bench/navigation-trace.ts [--key j] [--presses 30] [--out trace.json] BUILD_DIR
// BUILD_DIR: a built renderer (out/renderer, or a copy). The Holter and its analysis cache are
// shared with navigation-ab.ts ($TMPDIR/hb-nav-ab).
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { builtRenderers, holterBench, timeKey } from './navigation-keys';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { key: { type: 'string', default: 'j' }, presses: { type: 'string', default: '30' }, out: { type: 'string' } },
});
const key = values.key;
const presses = Number(values.presses);
const out = values.out ? resolve(values.out) : null;
const [build] = builtRenderers(positionals.slice(0, 1), 'npx tsx bench/navigation-trace.ts [--key j] [--presses 30] [--out trace.json] BUILD_DIR');
const bench = await holterBench();

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

await bench.withPage(build!, async (page) => {
  const browser = page.context().browser()!;
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
});
process.exit(0);

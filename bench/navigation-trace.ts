// Where a navigation key's frame goes on the 24-hour Holter: a Chromium performance trace
// (devtools.timeline) over n presses of one key, summed per event name on the renderer's main
// thread and divided by the presses (style recalculation, layout, paint, script, GC...). The CPU
// profile of navigation-ab.ts --profile shows only JavaScript; the rest of a frame is "(program)"
// there and named here. Also each press's main-thread CPU (thread time), steadier than wall time
// on a shared machine.
//   npx tsx bench/navigation-trace.ts [--key j] [--presses 30] [--out trace.json] BUILD_DIR
// BUILD_DIR: a built renderer (out/renderer, or a copy). The Holter and its analysis cache are
// shared with navigation-ab.ts ($TMPDIR/hb-nav-ab).
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { percentile } from '../tests/e2e/harness';
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
  ts: number;
  dur?: number;
  /** Thread (CPU) time of a complete event, µs: what the thread ran, not what it waited or was descheduled. */
  tdur?: number;
  tid: number;
  pid: number;
  args?: { name?: string; data?: Record<string, unknown> };
}

/**
 * Main-thread CPU of each press, ms: the thread time of the tasks between its keydown and the
 * user-blocking task after its frame's commit. Less swayed by a loaded machine than the wall time the bench
 * reports, so a change shows in it before the bench can tell it from the noise.
 */
function cpuPerPress(events: TraceEvent[]): number[] {
  const main = events.find((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  const own = events.filter((e) => main && e.pid === main.pid && e.tid === main.tid && e.ph === 'X').sort((a, b) => a.ts - b.ts);
  const keydowns = own.filter((e) => e.name === 'EventDispatch' && e.args?.data?.type === 'keydown');
  const shown = own.filter((e) => e.name === 'FunctionCall' && e.args?.data?.functionName === 'frameShown');
  const tasks = own.filter((e) => e.name === 'RunTask' && e.dur);
  const out: number[] = [];
  for (const k of keydowns) {
    const end = shown.find((m) => m.ts > k.ts)?.ts;
    if (end === undefined) continue;
    let cpu = 0;
    for (const t of tasks) {
      const overlap = Math.min(end, t.ts + t.dur!) - Math.max(k.ts, t.ts);
      if (overlap > 0) cpu += (t.tdur ?? 0) * (overlap / t.dur!);
    }
    out.push(cpu / 1000);
  }
  return out;
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
  const cpu = cpuPerPress(traceEvents);
  console.log(
    `main-thread CPU per press (thread time, keydown → frame shown): p50 ${percentile(cpu, 50).toFixed(1)} ms · p95 ${percentile(cpu, 95).toFixed(1)} ms`
  );
  // the slowest presses: CPU near the wall time is the page's own work; far below it, waiting (the machine, the compositor)
  const slowest = t
    .map((w, i) => [w, cpu[i] ?? NaN] as const)
    .sort((a, b) => b[0] - a[0])
    .slice(0, 3);
  console.log(`slowest presses (wall / main-thread CPU, ms): ${slowest.map(([w, c]) => `${w.toFixed(1)} / ${c.toFixed(1)}`).join(' · ')}`);
  console.log('main-thread time per press by trace event:');
  console.log(perName(traceEvents));
});
process.exit(0);

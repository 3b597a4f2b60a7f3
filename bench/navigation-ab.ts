// Navigation keys of two (or more) renderer builds served alternately against the same 24-hour
// Holter, so a change is compared under the same load (this machine is shared), optionally with a
// Chromium CPU profile per key (self time by function: where a key's frame goes).
//   npx tsx bench/navigation-ab.ts [--rounds N] [--profile] BUILD_DIR...
// A BUILD_DIR is a built renderer (a copy of out/renderer, e.g. from an older commit). The Holter
// and its analysis cache are kept in $TMPDIR/hb-nav-ab between runs.
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import type { CDPSession, Page } from 'playwright-core';
import { percentile } from '../tests/e2e/harness';
import { builtRenderers, holterBench, KEYS, timeKey } from './navigation-keys';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { rounds: { type: 'string', default: '2' }, profile: { type: 'boolean', default: false } },
});
const profile = values.profile;
const rounds = Math.max(1, Number(values.rounds));
const builds = builtRenderers(positionals, 'npx tsx bench/navigation-ab.ts [--rounds N] [--profile] BUILD_DIR...');
const bench = await holterBench();

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

/** Each key timed on the open Holter: one line of p50/p95, and with --profile the self times per press. */
async function timeKeys(page: Page): Promise<{ cells: string[]; detail: string[] }> {
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
  return { cells, detail };
}

for (let round = 0; round < rounds; round++) {
  for (const build of builds) {
    const { cells, detail } = await bench.withPage(build, timeKeys);
    console.log(`round ${round + 1} · ${build} · load ${loadavg()[0]!.toFixed(1)} · ${cells.join(' · ')}`);
    for (const d of detail) console.log(d);
  }
}
process.exit(0);

// Runs of ventricular beats in the reference against the VT episodes an analysis reports, for
// databases that mark beats but no "(VT" rhythm (svdb): each run of ≥ 3 reference V beats faster
// than 100 bpm (the rate over its intervals, the one into its first beat included) is found when a
// VT episode overlaps it; an episode overlapping no such run (within 150 ms) is counted apart.
//   npx tsx scripts/vt-run-coverage.ts --test-dir DIR <records...>   (DIR: analyze --out DIR)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { aamiClassOf } from '../src/main/evaluation';
import { readAnnotations } from '../src/main/wfdb';
import * as z from '../src/shared/zod';
import { Episode } from '../src/shared/analysis';

/** The fields of analyze's <record>.json read here. */
const Written = z.object({ fs: z.number().check(z.positive()), episodes: z.array(Episode) });

const { values, positionals: records } = parseArgs({ options: { 'test-dir': { type: 'string' } }, allowPositionals: true });
const dir = values['test-dir'];
if (!dir || !records.length) throw new Error('usage: vt-run-coverage.ts --test-dir DIR <records...>');
let runs = 0;
let found = 0;
let episodes = 0;
let apart = 0;
for (const path of records) {
  const name = path.split('/').pop()!;
  const a = Written.parse(JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8')));
  const ref = (await readAnnotations(path, 'atr')).filter((x) => aamiClassOf(x.code) !== null);
  const refRuns: [number, number][] = [];
  for (let i = 0, s = -1; i <= ref.length; i++) {
    const v = i < ref.length && aamiClassOf(ref[i]!.code) === 'V';
    if (v && s < 0) s = i;
    if (!v && s >= 0) {
      const from = Math.max(0, s - 1);
      const bpm = (60 * a.fs * (i - 1 - from)) / (ref[i - 1]!.sample - ref[from]!.sample);
      if (i - s >= 3 && bpm > 100) refRuns.push([ref[s]!.sample, ref[i - 1]!.sample]);
      s = -1;
    }
  }
  const vt = a.episodes.filter((e) => e.type === 'VT');
  const tol = 0.15 * a.fs;
  runs += refRuns.length;
  found += refRuns.filter(([x, y]) => vt.some((e) => e.onsetSample <= y && x <= e.offsetSample)).length;
  episodes += vt.length;
  apart += vt.filter((e) => !refRuns.some(([x, y]) => e.onsetSample <= y + tol && x - tol <= e.offsetSample)).length;
}
console.log(`reference V runs (>= 3 beats, > 100 bpm): ${runs}; overlapped by a VT episode: ${found}; VT episodes: ${episodes}, away from every run: ${apart}`);

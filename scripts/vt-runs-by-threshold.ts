// Whether lowering the PVC threshold ever takes a VT run away: each record is analysed once, then
// re-cut at every threshold (applyThreshold, as the review's threshold slider does), and a rule VT
// episode found at one threshold that no rule VT episode overlaps at some lower threshold is listed
// (the count covers the episodes of every threshold but the lowest, one per threshold).
// A run's rate and its overlaps are judged on the whole run (src/main/rules/runs.ts, vt.ts), so a
// slow beat a lower threshold adds to a run can drop it; this counts how often that happens.
//   npx tsx scripts/vt-runs-by-threshold.ts [--beats reference|detector] [--thresholds 0.9,0.5,...] <records...>
import { parseArgs } from 'node:util';
import { analyzeRecord } from '../src/main/analysis';
import { applyThreshold, isThresholdEpisode } from '../src/main/analysis/apply-threshold';

const { values, positionals: records } = parseArgs({
  options: { beats: { type: 'string', default: 'reference' }, thresholds: { type: 'string', default: '0.95,0.9,0.7,0.5,0.3,0.15,0.1,0.05,0.02' } },
  allowPositionals: true,
});
const beats = values.beats;
if ((beats !== 'reference' && beats !== 'detector') || !records.length)
  throw new Error('usage: vt-runs-by-threshold.ts [--beats reference|detector] [--thresholds LIST] <records...>');
const thresholds = values.thresholds
  .split(',')
  .map(Number)
  .sort((a, b) => b - a);
if (thresholds.some((t) => !(t >= 0 && t <= 1))) throw new Error(`--thresholds: numbers within [0, 1], got ${values.thresholds}`);

let pairs = 0;
let lost = 0;
for (const path of records) {
  const a = await analyzeRecord(path, { beats, cacheDir: null, threads: 1 });
  const vt = thresholds.map((t) => applyThreshold(a, t).episodes.filter(isThresholdEpisode));
  for (let i = 0; i + 1 < thresholds.length; i++) {
    for (const e of vt[i]!) {
      pairs++;
      const j = vt.findIndex((eps, k) => k > i && !eps.some((x) => x.onsetSample <= e.offsetSample && e.onsetSample <= x.offsetSample));
      if (j < 0) continue;
      lost++;
      console.log(`${path}: VT at ${(e.onsetSample / a.fs).toFixed(1)} s found at ${thresholds[i]}, none there at ${thresholds[j]} (${e.explanation})`);
    }
  }
}
console.log(`${records.length} records, ${beats} beats: ${pairs} VT episodes (one per threshold it is found at), ${lost} with none at some lower threshold`);

// Ventricular runs from per-beat labels: VT episodes (≥ vtMinBeats consecutive V beats faster
// than vtMinRateBpm) and the Holter counts (couplets, triplets, bigeminy, longest run).
import { V_INDEX, type Episode } from '../../shared/analysis';
import { type RuleParams } from './params';

export interface VRun {
  /** Index of the first and last V beat of the run (inclusive). */
  first: number;
  last: number;
}

/** Maximal runs of consecutive V beats. */
export function ventricularRuns(label: Uint8Array): VRun[] {
  const runs: VRun[] = [];
  for (let k = 0; k < label.length; k++) {
    if (label[k] !== V_INDEX) continue;
    let e = k;
    while (e + 1 < label.length && label[e + 1] === V_INDEX) e++;
    runs.push({ first: k, last: e });
    k = e;
  }
  return runs;
}

/** Rate of a run in bpm from its RR intervals (the interval into the first V beat included). */
export function runRateBpm(sample: Int32Array, fs: number, r: VRun): number {
  const from = Math.max(0, r.first - 1);
  const beats = r.last - from;
  if (beats <= 0) return 0;
  return (60 * fs * beats) / (sample[r.last]! - sample[from]!);
}

export function detectVtRuns(sample: Int32Array, fs: number, label: Uint8Array, pvcScore: Float32Array, p: RuleParams): Episode[] {
  const out: Episode[] = [];
  for (const r of ventricularRuns(label)) {
    const len = r.last - r.first + 1;
    if (len < p.vtMinBeats) continue;
    const bpm = runRateBpm(sample, fs, r);
    if (!(bpm > p.vtMinRateBpm)) continue;
    let conf = 0;
    for (let k = r.first; k <= r.last; k++) conf += pvcScore[k]!;
    out.push({
      type: 'VT',
      onsetSample: sample[r.first]!,
      offsetSample: sample[r.last]!,
      confidence: Math.min(1, Math.max(0, conf / len)),
      explanation: `${len} consecutive ventricular beats at ${bpm.toFixed(0)} bpm (≥ ${p.vtMinBeats} at > ${p.vtMinRateBpm} bpm)`,
      source: 'rules',
    });
  }
  return out;
}

export interface EctopyCounts {
  couplets: number;
  triplets: number;
  /** Runs of ≥ vtMinBeats V beats, whatever the rate. */
  runs: number;
  longestRunBeats: number;
  /** Stretches of ≥ 3 consecutive V–non-V cycles (V N V N V). */
  bigeminyEpisodes: number;
}

export function countEctopy(label: Uint8Array, p: RuleParams): EctopyCounts {
  const c: EctopyCounts = { couplets: 0, triplets: 0, runs: 0, longestRunBeats: 0, bigeminyEpisodes: 0 };
  for (const r of ventricularRuns(label)) {
    const len = r.last - r.first + 1;
    if (len === 2) c.couplets++;
    if (len === 3) c.triplets++;
    if (len >= p.vtMinBeats) c.runs++;
    if (len >= 2) c.longestRunBeats = Math.max(c.longestRunBeats, len);
  }
  // Bigeminy: V at k, k+2, k+4, ... with a single non-V beat between, at least 3 V beats.
  let cycles = 0;
  for (let k = 0; k < label.length; k++) {
    if (label[k] !== V_INDEX) continue;
    const single = (k === 0 || label[k - 1] !== V_INDEX) && (k + 1 >= label.length || label[k + 1] !== V_INDEX);
    if (!single) {
      cycles = 0;
      continue;
    }
    const prevV = k >= 2 && label[k - 2] === V_INDEX && label[k - 1] !== V_INDEX;
    cycles = prevV ? cycles + 1 : 1;
    if (cycles === 3) c.bigeminyEpisodes++;
  }
  return c;
}

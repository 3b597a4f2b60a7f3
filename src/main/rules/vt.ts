// VT only when it is VT: the beat evidence a cardiologist asks for (≥ vtMinBeats consecutive
// wide, fast beats whose shape differs from the record's dominant beat) and the rhythm model's VT
// windows confirm each other. Parameters in RuleParams (params.ts), chosen on the vfdb/cudb
// training and validation records and MIT-BIH DS1 by scripts/tune-vt.ts.
//  - A rhythm-model VT episode stays when it holds a wide fast run, when the beat detector finds
//    no organised QRS in it (ventricular fibrillation has none to find), or when its complexes come
//    at vtFastMinBpm or faster. It starts at its first run of ventricular beats (ventricularOnset).
//  - A VT run of beat labels stays when it holds vtMinBeats beats in a row the beat model calls V
//    with P(V) ≥ vtConfidentMinP (nonsustained VT: too short for a 10-s rhythm window), when the
//    rhythm model gives a window it overlaps P(VT) ≥ vtRunMinP, or when it holds vtWideAloneMinBeats consecutive
//    wide beats (without a rhythm model any wide run is the evidence); in AF only the first two (the
//    first as vtConfidentInAf says); it is not over unreadable signal unless P(VT) ≥
//    vtOverNoiseMinP; and no rhythm-model VT episode already covers it.
//  - VT episodes closer than vtBridgeSec are one episode (rhythm-model ones among themselves,
//    beat-label runs among themselves: the latter move with the PVC threshold), never joined across
//    an episode of the other kind, so no two overlap.
//  - A rhythm-model episode is fibrillation or flutter (rhythm 'VF') when it has no organised QRS,
//    or its detected complexes come at VF_MIN_RATE_BPM or faster (flutter runs at 250–350 /min);
//    a rule on the model's output and the beats, as the model has one class for VT, VFL and VF.
import type { Episode } from '../../shared/analysis';
import { DEFAULT_RULE_PARAMS, type RuleParams } from './params';
import type { VFeatures } from './vbeat';
import { medianInPlace } from '../dsp/select';

/** A beat-label VT run is confirmed by the rhythm model from this P(VT) of a window it overlaps (the default). */
export const VT_RUN_MIN_P = DEFAULT_RULE_PARAMS.vtRunMinP;

/** The rhythm model's P(VT) per window. */
export interface RhythmVt {
  startSample: Int32Array;
  pVt: Float32Array;
  windowSamples: number;
}

/** Highest P(VT) of the windows overlapping [a, b]. */
export function maxPVt(r: RhythmVt, a: number, b: number): number {
  let best = 0;
  for (let w = 0; w < r.startSample.length; w++) {
    const s = r.startSample[w]!;
    if (s <= b && a < s + r.windowSamples) best = Math.max(best, r.pVt[w]!);
  }
  return best;
}

/** VT episodes separated by less than this are joined, seconds (the default). */
export const VT_BRIDGE_SEC = DEFAULT_RULE_PARAMS.vtBridgeSec;
/** A model VT stretch with fewer detected beats than one per this many seconds has no organised QRS (VF). */
export const VF_SPARSE_BEAT_SEC = 2;
/** Median rate of the detected complexes from which a model VT stretch is flutter/fibrillation, bpm. */
export const VF_MIN_RATE_BPM = 250;

/**
 * Rate of beats [a, b] from their median interval, bpm (0 with fewer than 2). An even count of
 * intervals takes the mean of the middle two: the shorter alone made a triplet's "median" its
 * fastest interval.
 */
export function medianRateBpm(sample: Int32Array, fs: number, a: number, b: number): number {
  if (b <= a) return 0;
  const rr = Float64Array.from({ length: b - a }, (_, k) => sample[a + k + 1]! - sample[a + k]!);
  return (60 * fs) / medianInPlace(rr, rr.length);
}

/** Per beat: 1 when its QRS is wide (≥ vWideMs) and its shape unlike the dominant beat (correlation < vMorphCorr). */
export function wideBeats(f: VFeatures, p: RuleParams): Uint8Array {
  const n = f.qrsMs.length;
  const out = new Uint8Array(n);
  // the absolute width only: allowing 1.2 × the dominant width found more of vfdb 421's short runs
  // (validation VTA episode Se 0.51 → 0.72) but called VT on 2.5 % of CinC normal/AF strips (1.0 %)
  for (let k = 0; k < n; k++) out[k] = f.qrsMs[k]! >= p.vWideMs && f.morphCorr[k]! < p.vMorphCorr ? 1 : 0;
  return out;
}

export interface WideRun {
  first: number;
  last: number;
  bpm: number;
}

/** Runs of ≥ vtMinBeats consecutive wide beats faster than vtMinRateBpm among beats [from, to]. */
export function wideRuns(sample: Int32Array, fs: number, wide: Uint8Array, p: RuleParams, from = 0, to = sample.length - 1): WideRun[] {
  const out: WideRun[] = [];
  for (let k = Math.max(0, from); k <= to; k++) {
    if (!wide[k]) continue;
    let e = k;
    while (e + 1 <= to && wide[e + 1]) e++;
    const a = Math.max(0, k - 1);
    const bpm = e > a ? (60 * fs * (e - a)) / (sample[e]! - sample[a]!) : 0;
    if (e - k + 1 >= p.vtMinBeats && bpm > p.vtMinRateBpm) out.push({ first: k, last: e, bpm });
    k = e;
  }
  return out;
}

/** Index range [a, b] of the beats inside [on, off], or null. */
function beatsIn(sample: Int32Array, on: number, off: number): [number, number] | null {
  let lo = 0;
  let hi = sample.length;
  while (lo < hi) {
    const m = (lo + hi) >> 1;
    if (sample[m]! < on) lo = m + 1;
    else hi = m;
  }
  let b = lo;
  while (b < sample.length && sample[b]! <= off) b++;
  return b > lo ? [lo, b - 1] : null;
}

const overlaps = (x: Episode, y: Episode) => x.onsetSample < y.offsetSample && y.onsetSample < x.offsetSample;

/** Where a rhythm model episode's first window is searched for the arrhythmia's first beat, seconds (one window). */
export const VT_ONSET_SEARCH_SEC = 10;
/** Consecutive ventricular beats that mark the onset. */
export const VT_ONSET_RUN = 3;

/**
 * The onset of a rhythm-model VT episode moved from its first window's start to where the
 * ventricular activity begins: the first of VT_ONSET_RUN consecutive beats in that window that are
 * ventricular (the beat model's most probable class) or wide. Unchanged when there is no such run
 * (fibrillation has no QRS to detect). The window is 10 s long, so the model's start alone is up to
 * 10 s early.
 */
export function ventricularOnset(e: Episode, sample: Int32Array, fs: number, ventricular: Uint8Array, wide: Uint8Array): number {
  const end = Math.min(e.offsetSample, e.onsetSample + Math.round(VT_ONSET_SEARCH_SEC * fs));
  const r = beatsIn(sample, e.onsetSample, end - 1);
  if (!r) return e.onsetSample;
  for (let k = r[0]; k + VT_ONSET_RUN - 1 <= r[1]; k++) {
    let run = 0;
    while (run < VT_ONSET_RUN && (ventricular[k + run] || wide[k + run])) run++;
    if (run === VT_ONSET_RUN) return sample[k]!;
  }
  return e.onsetSample;
}

/** Rhythm-model VT episodes with beat evidence (or no organised QRS), joined across gaps < VT_BRIDGE_SEC. */
export function confirmModelVt(
  episodes: readonly Episode[],
  sample: Int32Array,
  fs: number,
  wide: Uint8Array,
  p: RuleParams,
  /** 1 where the beat model's most probable class is V: with `wide`, where the episode starts. */
  ventricular: Uint8Array
): Episode[] {
  const kept: Episode[] = [];
  for (const e of episodes) {
    if (e.type !== 'VT' || e.source !== 'model') {
      kept.push(e);
      continue;
    }
    if (e.confidence < p.vtModelMinP) continue;
    const sec = (e.offsetSample - e.onsetSample) / fs;
    const r = beatsIn(sample, e.onsetSample, e.offsetSample);
    const beats = r ? r[1] - r[0] + 1 : 0;
    const runs = r ? wideRuns(sample, fs, wide, p, r[0], r[1]) : [];
    let why: string;
    const rate = r ? medianRateBpm(sample, fs, r[0], r[1]) : 0;
    const sparse = beats < sec / VF_SPARSE_BEAT_SEC;
    if (runs.length) {
      const best = runs.reduce((x, y) => (y.last - y.first > x.last - x.first ? y : x));
      why = `beat evidence: ${best.last - best.first + 1} consecutive wide beats unlike the dominant beat at ${best.bpm.toFixed(0)} bpm`;
    } else if (sparse) why = `no organised QRS: ${beats} beat${beats === 1 ? '' : 's'} detected in ${sec.toFixed(0)} s`;
    else if (p.vtFastMinBpm > 0 && rate >= p.vtFastMinBpm) why = `complexes at ${rate.toFixed(0)} /min (≥ ${p.vtFastMinBpm})`;
    else continue;
    const vf = sparse || rate >= VF_MIN_RATE_BPM;
    const vfWhy = vf && !sparse ? `; complexes at ${rate.toFixed(0)} /min (≥ ${VF_MIN_RATE_BPM}): flutter/fibrillation` : '';
    const onsetSample = p.vtRefineOnset ? ventricularOnset(e, sample, fs, ventricular, wide) : e.onsetSample;
    kept.push({ ...e, onsetSample, rhythm: vf ? 'VF' : 'VT', explanation: `${e.explanation}; ${why}${vfWhy}` });
  }
  // join model VT episodes across short gaps: one episode per continuous run
  const out: Episode[] = [];
  for (const e of kept.sort((x, y) => x.onsetSample - y.onsetSample)) {
    const prev = [...out].reverse().find((x) => x.type === 'VT' && x.source === 'model');
    if (e.type === 'VT' && e.source === 'model' && prev && (e.onsetSample - prev.offsetSample) / fs < p.vtBridgeSec) {
      const a = (prev.offsetSample - prev.onsetSample) / fs;
      const b = (e.offsetSample - e.onsetSample) / fs;
      prev.confidence = (prev.confidence * a + e.confidence * b) / (a + b);
      // runs joined across sinus beats are not one sustained run: the episode keeps its longest part's length
      prev.longestRunSec = Math.max(prev.longestRunSec ?? a, e.longestRunSec ?? b);
      prev.offsetSample = Math.max(prev.offsetSample, e.offsetSample);
      // the longer part names the joined rhythm
      if (b > a) prev.rhythm = e.rhythm;
      if (!prev.explanation.includes('joined')) prev.explanation += ` (joined with the VT episodes < ${p.vtBridgeSec} s after it)`;
      continue;
    }
    out.push({ ...e });
  }
  return out;
}

/**
 * Beat-label VT runs (sorted) closer than bridgeSec joined into one episode: one per continuous run.
 * A join never spans an episode of `apart` (the rhythm model's VT episodes), so no two overlap.
 */
export function joinVtRuns(runs: readonly Episode[], fs: number, bridgeSec = VT_BRIDGE_SEC, apart: readonly Episode[] = []): Episode[] {
  const out: Episode[] = [];
  let parts = 1;
  for (const e of [...runs].sort((x, y) => x.onsetSample - y.onsetSample)) {
    const prev = out[out.length - 1];
    const between = (x: Episode) => x.onsetSample < e.onsetSample && prev!.offsetSample < x.offsetSample;
    if (prev && (e.onsetSample - prev.offsetSample) / fs < bridgeSec && !apart.some(between)) {
      // salvos joined are not one sustained run: the episode keeps its longest run's length
      const sec = (x: Episode) => (x.offsetSample - x.onsetSample) / fs;
      prev.longestRunSec = Math.max(prev.longestRunSec ?? sec(prev), sec(e));
      prev.offsetSample = Math.max(prev.offsetSample, e.offsetSample);
      prev.confidence = Math.max(prev.confidence, e.confidence);
      parts++;
      prev.explanation = `${parts} runs less than ${bridgeSec} s apart, the first: ${prev.explanation.replace(/^\d+ runs less than \d+ s apart, the first: /, '')}`;
      continue;
    }
    parts = 1;
    out.push({ ...e });
  }
  return out;
}

/** The most consecutive beats among [a, b] the beat model calls V with P(V) ≥ minP. */
function sureRun(pvcScore: Float32Array, a: number, b: number, minP: number): number {
  let best = 0;
  for (let k = a, n = 0; k <= b; k++) {
    n = pvcScore[k]! >= minP ? n + 1 : 0;
    if (n > best) best = n;
  }
  return best;
}

/** VT runs of beat labels (source 'rules') kept by the beat evidence, AF, unreadable-signal and rhythm-model rules above. */
export function confirmVtRuns(
  runs: readonly Episode[],
  others: readonly Episode[],
  sample: Int32Array,
  fs: number,
  wide: Uint8Array,
  p: RuleParams,
  rhythmVt?: RhythmVt,
  /** The beat model's P(V) per beat (vtConfidentMinP). */
  pvcScore?: Float32Array
): Episode[] {
  const af = others.filter((e) => e.type === 'AF');
  const modelVt = others.filter((e) => e.type === 'VT');
  const noise = others.filter((e) => e.type === 'NOISE');
  const out: Episode[] = [];
  for (const e of runs) {
    if (modelVt.some((m) => overlaps(m, e))) continue; // the rhythm model's episode already covers it
    const pVt = rhythmVt ? maxPVt(rhythmVt, e.onsetSample, e.offsetSample) : 0;
    if (noise.some((x) => overlaps(x, e)) && !(pVt >= p.vtOverNoiseMinP)) continue; // nothing decided on unreadable signal
    const byModel = pVt >= p.vtRunMinP;
    const r = beatsIn(sample, e.onsetSample, e.offsetSample);
    // a stretch of the run, not all of it: a less sure beat a lower PVC threshold adds at the run's
    // edge must not undo the VT (the run's rate and its overlap with noise still read the whole run)
    const sure = r && pvcScore && p.vtConfidentMinP > 0 ? sureRun(pvcScore, r[0], r[1], p.vtConfidentMinP) : 0;
    const confident = sure >= p.vtMinBeats;
    // in AF, beat labels alone are not VT (aberrant conduction), unless confident ones may be
    if (!byModel && af.some((x) => overlaps(x, e)) && !(confident && p.vtConfidentInAf)) continue;
    const rate = r && p.vtFastRunMinBpm > 0 ? medianRateBpm(sample, fs, r[0], r[1]) : 0;
    const fast = rate > 0 && rate >= p.vtFastRunMinBpm && !af.some((x) => overlaps(x, e));
    const w = r ? wideRuns(sample, fs, wide, p, r[0], r[1]) : [];
    const longest = w.reduce((m, x) => Math.max(m, x.last - x.first + 1), 0);
    // without a rhythm model (the rule-based fallback) wide fast beats are the evidence there is
    const byWidth = longest > 0 && (!rhythmVt || (p.vtWideAloneMinBeats > 0 && longest >= p.vtWideAloneMinBeats));
    if (!byModel && !byWidth && !confident && !fast) continue;
    const why = [];
    if (confident) why.push(`${sure} in a row called V with P(V) ≥ ${p.vtConfidentMinP}`);
    if (w.length) {
      const best = w.reduce((x, y) => (y.last - y.first > x.last - x.first ? y : x));
      why.push(`${best.last - best.first + 1} of them wide (QRS ≥ ${p.vWideMs} ms) and unlike the dominant beat`);
    }
    if (byModel) why.push(`rhythm model P(VT) ${pVt.toFixed(2)} (≥ ${p.vtRunMinP})`);
    // the run's own rate above is its mean; this one, from the median interval, is what decided
    if (fast) why.push(`median beat interval ${(60_000 / rate).toFixed(0)} ms: ${rate.toFixed(0)} bpm (≥ ${p.vtFastRunMinBpm})`);
    out.push({ ...e, explanation: `${e.explanation}; ${why.join('; ')}` });
  }
  return out;
}

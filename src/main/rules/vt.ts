// VT only when it is VT: the beat evidence a cardiologist asks for (≥ vtMinBeats consecutive
// wide, fast beats whose shape differs from the record's dominant beat) and the rhythm model's VT
// windows confirm each other.
//  - A rhythm-model VT episode stays when it holds a wide fast run, or when the beat detector finds
//    no organised QRS in it (ventricular fibrillation has none to find).
//  - A VT run of beat labels stays when its beats are wide and unlike the dominant beat, or the
//    rhythm model gives its windows P(VT) ≥ VT_RUN_MIN_P; it is not inside an AF episode (aberrant
//    conduction in AF makes wide runs) unless the rhythm model says VT; and no rhythm-model VT
//    episode already covers it.
//  - VT episodes closer than VT_BRIDGE_SEC are one episode (rhythm-model ones among themselves,
//    beat-label runs among themselves: the latter move with the PVC threshold).
//  - A rhythm-model episode is fibrillation or flutter (rhythm 'VF') when it has no organised QRS,
//    or its detected complexes come at VF_MIN_RATE_BPM or faster (flutter runs at 250–350 /min);
//    a rule on the model's output and the beats, as the model has one class for VT, VFL and VF.
import type { Episode } from '../../shared/analysis';
import type { RuleParams } from './params';
import type { VFeatures } from './vbeat';

/**
 * A beat-label VT run is confirmed by the rhythm model from this P(VT) of a window it overlaps.
 * Chosen among 0.1, 0.2, 0.5 on the vfdb/cudb validation records (VTA episode Se 0.59 / 0.57 / 0.49,
 * +P 0.80 / 0.78 / 0.72; 0.46 / 0.73 without the model's confirmation) with no CinC validation
 * normal/AF strip called VT at any of them; never on the test records.
 */
export const VT_RUN_MIN_P = 0.1;

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

/** Model VT episodes separated by less than this are joined (one 10-s window between them), seconds. */
export const VT_BRIDGE_SEC = 10;
/** A model VT stretch with fewer detected beats than one per this many seconds has no organised QRS (VF). */
export const VF_SPARSE_BEAT_SEC = 2;
/** Median rate of the detected complexes from which a model VT stretch is flutter/fibrillation, bpm. */
export const VF_MIN_RATE_BPM = 250;

/** Median rate of beats [a, b], bpm (0 with fewer than 2). */
function medianRateBpm(sample: Int32Array, fs: number, a: number, b: number): number {
  if (b <= a) return 0;
  const rr = Float64Array.from({ length: b - a }, (_, k) => sample[a + k + 1]! - sample[a + k]!).sort();
  return (60 * fs) / rr[(rr.length - 1) >> 1]!;
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

/** Rhythm-model VT episodes with beat evidence (or no organised QRS), joined across gaps < VT_BRIDGE_SEC. */
export function confirmModelVt(episodes: readonly Episode[], sample: Int32Array, fs: number, wide: Uint8Array, p: RuleParams): Episode[] {
  const kept: Episode[] = [];
  for (const e of episodes) {
    if (e.type !== 'VT' || e.source !== 'model') {
      kept.push(e);
      continue;
    }
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
    else continue;
    const vf = sparse || rate >= VF_MIN_RATE_BPM;
    const vfWhy = vf && !sparse ? `; complexes at ${rate.toFixed(0)} /min (≥ ${VF_MIN_RATE_BPM}): flutter/fibrillation` : '';
    kept.push({ ...e, rhythm: vf ? 'VF' : 'VT', explanation: `${e.explanation}; ${why}${vfWhy}` });
  }
  // join model VT episodes across short gaps: one episode per continuous run
  const out: Episode[] = [];
  for (const e of kept.sort((x, y) => x.onsetSample - y.onsetSample)) {
    const prev = [...out].reverse().find((x) => x.type === 'VT' && x.source === 'model');
    if (e.type === 'VT' && e.source === 'model' && prev && (e.onsetSample - prev.offsetSample) / fs < VT_BRIDGE_SEC) {
      const a = (prev.offsetSample - prev.onsetSample) / fs;
      const b = (e.offsetSample - e.onsetSample) / fs;
      prev.confidence = (prev.confidence * a + e.confidence * b) / (a + b);
      prev.offsetSample = Math.max(prev.offsetSample, e.offsetSample);
      // the longer part names the joined rhythm
      if (b > a) prev.rhythm = e.rhythm;
      if (!prev.explanation.includes('joined')) prev.explanation += ` (joined with the VT episodes < ${VT_BRIDGE_SEC} s after it)`;
      continue;
    }
    out.push({ ...e });
  }
  return out;
}

/** Beat-label VT runs (sorted) closer than VT_BRIDGE_SEC joined into one episode: one per continuous run. */
export function joinVtRuns(runs: readonly Episode[], fs: number): Episode[] {
  const out: Episode[] = [];
  let parts = 1;
  for (const e of [...runs].sort((x, y) => x.onsetSample - y.onsetSample)) {
    const prev = out[out.length - 1];
    if (prev && (e.onsetSample - prev.offsetSample) / fs < VT_BRIDGE_SEC) {
      prev.offsetSample = Math.max(prev.offsetSample, e.offsetSample);
      prev.confidence = Math.max(prev.confidence, e.confidence);
      parts++;
      prev.explanation = `${parts} runs less than ${VT_BRIDGE_SEC} s apart, the first: ${prev.explanation.replace(/^\d+ runs less than \d+ s apart, the first: /, '')}`;
      continue;
    }
    parts = 1;
    out.push({ ...e });
  }
  return out;
}

/** VT runs of beat labels (source 'rules') kept by the beat evidence, AF and rhythm-model rules above. */
export function confirmVtRuns(runs: readonly Episode[], others: readonly Episode[], sample: Int32Array, fs: number, wide: Uint8Array, p: RuleParams, rhythmVt?: RhythmVt): Episode[] {
  const af = others.filter((e) => e.type === 'AF');
  const modelVt = others.filter((e) => e.type === 'VT');
  const out: Episode[] = [];
  for (const e of runs) {
    if (modelVt.some((m) => overlaps(m, e))) continue; // the rhythm model's episode already covers it
    const pVt = rhythmVt ? maxPVt(rhythmVt, e.onsetSample, e.offsetSample) : 0;
    const byModel = pVt >= VT_RUN_MIN_P;
    if (!byModel && af.some((x) => overlaps(x, e))) continue; // in AF, beat labels alone are not VT
    const r = beatsIn(sample, e.onsetSample, e.offsetSample);
    const w = r ? wideRuns(sample, fs, wide, p, r[0], r[1]) : [];
    if (!w.length && !byModel) continue;
    const why = [];
    if (w.length) {
      const best = w.reduce((x, y) => (y.last - y.first > x.last - x.first ? y : x));
      why.push(`${best.last - best.first + 1} of them wide (QRS ≥ ${p.vWideMs} ms) and unlike the dominant beat`);
    }
    if (byModel) why.push(`rhythm model P(VT) ${pVt.toFixed(2)} (≥ ${VT_RUN_MIN_P})`);
    out.push({ ...e, explanation: `${e.explanation}; ${why.join('; ')}` });
  }
  return out;
}

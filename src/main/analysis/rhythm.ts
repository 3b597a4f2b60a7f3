// Rhythm episodes from the rhythm model's per-window probabilities: consecutive windows whose
// most probable class is AF, VT or noise are merged into one episode; AF stretches closer than
// the merge gap are joined and AF episodes shorter than the minimum (30 s, the usual clinical
// definition of an AF episode, as for the RR rule) are dropped.
import type { Episode, EpisodeType } from '../../shared/analysis';
import type { RuleParams } from '../rules';

/** Episode type of a rhythm class name (manifest `classes`), or null for "other". */
export function episodeTypeOf(cls: string): EpisodeType | null {
  const c = cls.toLowerCase();
  if (c === 'af' || c === 'afib') return 'AF';
  if (c === 'vt' || c.startsWith('vf') || c === 'ventricular') return 'VT';
  if (c === 'noise' || c === '~') return 'NOISE';
  return null;
}

/**
 * probs: n × K (class order `classes`), startSample: window starts at the record's rate,
 * windowSamples: window length at that rate, nFrames: record length.
 */
export interface RhythmEpisodeOptions {
  /** Shortest episode kept per type, seconds (absent: any length). */
  minSec?: Partial<Record<EpisodeType, number>>;
  /** Same-type episodes closer than this are joined, seconds, per type. */
  mergeGapSec?: Partial<Record<EpisodeType, number>>;
  /** Same as mergeGapSec.AF (older option). */
  afMergeGapSec?: number;
  /** Windows in a centred moving average of the class probabilities before the argmax (1 or absent: none). */
  smoothWindows?: number;
}

/** The episode options the analysis uses, from its rule parameters. */
export function modelEpisodeOptions(p: RuleParams): RhythmEpisodeOptions {
  return {
    minSec: { AF: p.afMinEpisodeSec, VT: p.vtMinEpisodeSec },
    mergeGapSec: { AF: p.afMergeGapSec, VT: p.vtMergeGapSec },
    smoothWindows: p.rhythmSmoothWindows,
  };
}

/** Centred moving average over `width` windows (shrinking at the ends) of n × K probabilities. */
export function smoothProbs(probs: Float32Array, K: number, width: number): Float32Array {
  const n = probs.length / K;
  const half = Math.max(0, Math.floor(width / 2));
  if (half === 0) return probs;
  const out = new Float32Array(probs.length);
  for (let w = 0; w < n; w++) {
    const a = Math.max(0, w - half);
    const b = Math.min(n - 1, w + half);
    for (let k = 0; k < K; k++) {
      let sum = 0;
      for (let j = a; j <= b; j++) sum += probs[j * K + k]!;
      out[w * K + k] = sum / (b - a + 1);
    }
  }
  return out;
}

/**
 * AF episodes of the model kept only where the RR rhythm agrees: an episode stays when at least
 * `minOverlap` of its duration lies inside the RR rule's AF episodes (src/main/rules/af.ts, which
 * looks at RR irregularity with ventricular beats excluded). Frequent ectopy makes an ECG look
 * irregular to a 10-s window model; the RR rule sees through bigeminy and PVC runs. Other episode
 * types pass unchanged; minOverlap 0 keeps everything.
 */
export function confirmAfByRr(episodes: readonly Episode[], rrAf: readonly Episode[], minOverlap: number): Episode[] {
  if (!(minOverlap > 0)) return [...episodes];
  return episodes.filter((e) => {
    if (e.type !== 'AF') return true;
    let inside = 0;
    for (const r of rrAf) inside += Math.max(0, Math.min(e.offsetSample, r.offsetSample) - Math.max(e.onsetSample, r.onsetSample));
    return inside >= minOverlap * (e.offsetSample - e.onsetSample);
  });
}

export function rhythmEpisodes(
  probs: Float32Array,
  classes: readonly string[],
  startSample: Int32Array,
  windowSamples: number,
  nFrames: number,
  windowSec: number,
  o: RhythmEpisodeOptions = {}
): Episode[] {
  const K = classes.length;
  const n = startSample.length;
  const types = classes.map(episodeTypeOf);
  probs = smoothProbs(probs, K, o.smoothWindows ?? 1);
  const gap = (t: EpisodeType) => o.mergeGapSec?.[t] ?? (t === 'AF' ? (o.afMergeGapSec ?? 0) : 0);
  const arg = new Int32Array(n);
  for (let w = 0; w < n; w++) {
    let best = 0;
    for (let k = 1; k < K; k++) if (probs[w * K + k]! > probs[w * K + best]!) best = k;
    arg[w] = best;
  }
  // Runs of windows with the same class: [first, last, class, summed probability, windows].
  const runs: { a: number; b: number; k: number; sum: number; m: number }[] = [];
  for (let w = 0; w < n; w++) {
    const k = arg[w]!;
    if (!types[k]) continue;
    let e = w;
    while (e + 1 < n && arg[e + 1] === k) e++;
    let sum = 0;
    for (let j = w; j <= e; j++) sum += probs[j * K + k]!;
    const prev = runs[runs.length - 1];
    const gapSec = prev ? (startSample[w]! - (startSample[prev.b]! + windowSamples)) / (windowSamples / windowSec) : Infinity;
    if (prev && prev.k === k && gapSec <= gap(types[k]!)) {
      prev.b = e;
      prev.sum += sum;
      prev.m += e - w + 1;
    } else runs.push({ a: w, b: e, k, sum, m: e - w + 1 });
    w = e;
  }
  const out: Episode[] = [];
  for (const r of runs) {
    const type = types[r.k]!;
    const onsetSample = startSample[r.a]!;
    const offsetSample = Math.min(nFrames, startSample[r.b]! + windowSamples);
    const sec = (offsetSample - onsetSample) / (windowSamples / windowSec);
    if (sec < (o.minSec?.[type] ?? 0)) continue;
    const p = r.sum / r.m;
    out.push({
      type,
      onsetSample,
      offsetSample,
      confidence: Math.min(1, Math.max(0, p)),
      explanation: `rhythm model: ${classes[r.k]} most probable in ${r.m} ${windowSec}-s window${r.m > 1 ? 's' : ''} over ${sec.toFixed(0)} s (mean probability ${p.toFixed(2)})`,
      source: 'model',
    });
  }
  return out;
}

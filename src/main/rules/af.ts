// Atrial fibrillation from RR irregularity alone (the fallback when no rhythm model runs).
//
// A window of `afWindowBeats` RR intervals is irregular when, at every lag 1..afPatternLags, the
// median of |RR(k) − RR(k−lag)| is at least `afMinMedianDiff` of the median RR (medians ignore
// isolated ectopics; checking lags 2 to 4 rejects bigeminy, trigeminy and quadrigeminy, which are irregular
// at lag 1 but repeat), and RMSSD / mean RR ≥ `afMinNormRmssd`. Intervals next to a ventricular
// beat, shorter than 200 ms or longer than the pause limit, or over unreadable signal (when the
// caller passes which intervals are readable) are left out. Irregular stretches
// closer than `afMergeGapSec` are joined; episodes shorter than `afMinEpisodeSec` are dropped.
import type { Episode } from '../../shared/analysis';
import { logistic, pct, type RuleParams } from './params';
import { medianInPlace } from '../dsp/select';
import { rrSeconds } from './rr';

export interface Irregularity {
  /** Smallest, over lags 1..L, of median |RR(k) − RR(k−lag)| / median RR. */
  minLagDiff: number;
  /** RMSSD / mean RR over the window's usable successive pairs. */
  normRmssd: number;
  /** Usable intervals in the window. */
  valid: number;
}

/**
 * Which RR intervals the AF rule may use: not adjacent to a V beat, 200 ms ≤ RR ≤ pause limit,
 * and readable (readable[k] = 1; see quality's readableIntervals) when `readable` is given.
 */
export function usableIntervals(rr: Float64Array, ventricular: Uint8Array | undefined, p: RuleParams, readable?: Uint8Array): Uint8Array {
  const ok = new Uint8Array(rr.length);
  for (let k = 1; k < rr.length; k++) {
    const v = ventricular ? ventricular[k]! | ventricular[k - 1]! : 0;
    ok[k] = !v && (!readable || readable[k]) && rr[k]! >= 0.2 && rr[k]! <= p.pauseSec ? 1 : 0;
  }
  return ok;
}

/** Irregularity of intervals [from, to) (uses scratch buffers of length ≥ to − from). */
export function irregularity(rr: Float64Array, ok: Uint8Array, from: number, to: number, p: RuleParams, scratch = new Float64Array(to - from)): Irregularity {
  let n = 0;
  for (let k = from; k < to; k++) if (ok[k]) scratch[n++] = rr[k]!;
  if (n < 3) return { minLagDiff: 0, normRmssd: 0, valid: n };
  let sum = 0;
  for (let i = 0; i < n; i++) sum += scratch[i]!;
  const mean = sum / n;
  const med = medianInPlace(scratch, n);
  let minLag = Infinity;
  let ss = 0;
  let pairs = 0;
  for (let lag = 1; lag <= p.afPatternLags; lag++) {
    let m = 0;
    for (let k = from + lag; k < to; k++) {
      if (!ok[k] || !ok[k - lag]) continue;
      const d = rr[k]! - rr[k - lag]!;
      scratch[m++] = Math.abs(d);
      if (lag === 1) ss += d * d;
    }
    if (lag === 1) pairs = m;
    minLag = Math.min(minLag, m > 0 ? medianInPlace(scratch, m) / med : 0);
  }
  return { minLagDiff: minLag, normRmssd: pairs > 0 ? Math.sqrt(ss / pairs) / mean : 0, valid: n };
}

function isIrregular(s: Irregularity, p: RuleParams): boolean {
  return s.valid >= p.afMinValidFraction * p.afWindowBeats && s.minLagDiff >= p.afMinMedianDiff && s.normRmssd >= p.afMinNormRmssd;
}

/**
 * AF episodes from beat positions. `ventricular[k]` = 1 marks beats whose adjacent intervals
 * are ignored (pass a threshold-independent V decision so re-thresholding never moves AF);
 * `readable[k]` = 0 marks intervals over unreadable signal, ignored too.
 */
export function detectAfByRr(sample: Int32Array, fs: number, ventricular: Uint8Array | undefined, p: RuleParams, readable?: Uint8Array): Episode[] {
  const n = sample.length;
  const W = p.afWindowBeats;
  if (n < W + 1) return [];
  const rr = rrSeconds(sample, fs);
  const ok = usableIntervals(rr, ventricular, p, readable);
  const step = Math.max(1, Math.floor(W / 8));
  const flag = new Uint8Array(n);
  const scratch = new Float64Array(W);
  // Per-beat stats of the window that decided it, for the episode's explanation.
  const lagStat = new Float32Array(n);
  const rmssdStat = new Float32Array(n);
  for (let c = 1; c < n; c += step) {
    const from = Math.max(1, Math.min(c - (W >> 1), n - W));
    const s = irregularity(rr, ok, from, from + W, p, scratch);
    const irr = isIrregular(s, p);
    for (let k = c; k < Math.min(n, c + step); k++) {
      flag[k] = irr ? 1 : 0;
      lagStat[k] = s.minLagDiff;
      rmssdStat[k] = s.normRmssd;
    }
  }
  // Runs of flagged beats, joined across short gaps, kept when long enough.
  const runs: [number, number][] = [];
  for (let k = 1; k < n; k++) {
    if (!flag[k]) continue;
    let e = k;
    while (e + 1 < n && flag[e + 1]) e++;
    const last = runs[runs.length - 1];
    if (last && (sample[k]! - sample[last[1]]!) / fs < p.afMergeGapSec) last[1] = e;
    else runs.push([k, e]);
    k = e;
  }
  const out: Episode[] = [];
  for (const [a, b] of runs) {
    const dur = (sample[b]! - sample[a]!) / fs;
    if (dur < p.afMinEpisodeSec) continue;
    let lag = 0;
    let rm = 0;
    let m = 0;
    for (let k = a; k <= b; k++) {
      if (!flag[k]) continue;
      lag += lagStat[k]!;
      rm += rmssdStat[k]!;
      m++;
    }
    lag /= m;
    rm /= m;
    const margin = Math.min(lag / p.afMinMedianDiff, rm / p.afMinNormRmssd) - 1;
    out.push({
      type: 'AF',
      onsetSample: sample[a - 1] ?? sample[a]!,
      offsetSample: sample[b]!,
      confidence: logistic(4 * margin),
      explanation:
        `RR irregular over ${b - a + 2} beats (${dur.toFixed(0)} s): median |ΔRR| ${pct(lag)} of RR at lags 1–${p.afPatternLags} ` +
        `(≥ ${pct(p.afMinMedianDiff)}), RMSSD ${pct(rm)} of mean RR (≥ ${pct(p.afMinNormRmssd)}), no repeating pattern; ` +
        `windows of ${p.afWindowBeats} beats, intervals next to V beats${readable ? ' or over unreadable signal' : ''} left out`,
      source: 'rules',
    });
  }
  return out;
}

// RR-interval features per beat (see RR_FEATURES for the columns). O(n) with prefix sums, so a
// 100 000-beat Holter costs milliseconds.
import { N_RR } from './constants';

export interface RrOptions {
  /** Intervals in the local average (ending at the beat, its own preRR included). Default 10. */
  localBeats?: number;
  /** Width of the centred window of the long running average, seconds. Default 300 (5 min). */
  avgWindowSec?: number;
  /** RR used when a beat has no neighbour at all (a one-beat record), seconds. Default 0.8. */
  defaultRrSec?: number;
}

/**
 * rPeaks: strictly increasing R-peak sample indices at `fs`. Returns n × N_RR, row-major.
 * Missing neighbours: the first beat's preRR is its postRR, the last beat's postRR is its preRR
 * (so postOverPre = 1, i.e. "no evidence of prematurity"); a lone beat gets defaultRrSec everywhere.
 * The local and long averages use the intervals that exist inside their windows.
 */
export function rrFeatures(rPeaks: Int32Array, fs: number, opts: RrOptions = {}): Float32Array {
  const n = rPeaks.length;
  const localBeats = opts.localBeats ?? 10;
  const half = ((opts.avgWindowSec ?? 300) * fs) / 2;
  const fallback = opts.defaultRrSec ?? 0.8;
  const out = new Float32Array(n * N_RR);
  if (n === 0) return out;
  // rr[i] = interval ending at beat i (i ≥ 1), seconds; cum[i] = rr[1] + ... + rr[i].
  const rr = new Float64Array(n);
  const cum = new Float64Array(n);
  for (let i = 1; i < n; i++) {
    rr[i] = (rPeaks[i]! - rPeaks[i - 1]!) / fs;
    cum[i] = cum[i - 1]! + rr[i]!;
  }
  let lo = 0; // first beat inside the long window
  let hi = 0; // last beat inside the long window
  for (let i = 0; i < n; i++) {
    const pre = i > 0 ? rr[i]! : n > 1 ? rr[1]! : fallback;
    const post = i < n - 1 ? rr[i + 1]! : n > 1 ? rr[i]! : fallback;
    // local: intervals ending at beats max(1, i-localBeats+1) .. max(i, 1)
    const lEnd = Math.max(i, 1);
    const lStart = Math.max(1, i - localBeats + 1);
    const local = n > 1 ? (cum[Math.min(lEnd, n - 1)]! - cum[lStart - 1]!) / (Math.min(lEnd, n - 1) - lStart + 1) : fallback;
    // long: intervals between consecutive beats that both lie within [t - half, t + half]
    const t = rPeaks[i]!;
    while (rPeaks[lo]! < t - half) lo++;
    if (hi < i) hi = i;
    while (hi + 1 < n && rPeaks[hi + 1]! <= t + half) hi++;
    const avg = hi > lo ? (cum[hi]! - cum[lo]!) / (hi - lo) : local;
    const o = i * N_RR;
    out[o] = pre;
    out[o + 1] = post;
    out[o + 2] = local;
    out[o + 3] = avg;
    out[o + 4] = pre / local;
    out[o + 5] = post / pre;
    out[o + 6] = pre / avg;
  }
  return out;
}

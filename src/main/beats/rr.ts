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
 * unknown (optional, per interval i ending at beat i): 1 where the interval is no RR (it spans a
 * stretch with every lead off, ./gaps.ts): the beats either side are as at the record's ends (the
 * local average after it starts afresh), it is left out of the averages, and a beat with no known
 * interval in its local window gets the long average; with none marked the features are exactly
 * those without it.
 */
export function rrFeatures(rPeaks: Int32Array, fs: number, opts: RrOptions = {}, unknown?: Uint8Array): Float32Array {
  const n = rPeaks.length;
  const localBeats = opts.localBeats ?? 10;
  const half = ((opts.avgWindowSec ?? 300) * fs) / 2;
  const fallback = opts.defaultRrSec ?? 0.8;
  const out = new Float32Array(n * N_RR);
  if (n === 0) return out;
  // rr[i] = interval ending at beat i (i ≥ 1), seconds; cum[i] = the sum of the known ones of
  // rr[1] ... rr[i], cnt[i] how many they are (i when none is unknown).
  const rr = new Float64Array(n);
  const known = new Uint8Array(n);
  const cum = new Float64Array(n);
  const cnt = new Int32Array(n);
  for (let i = 1; i < n; i++) {
    rr[i] = (rPeaks[i]! - rPeaks[i - 1]!) / fs;
    known[i] = unknown?.[i] ? 0 : 1;
    cum[i] = known[i] ? cum[i - 1]! + rr[i]! : cum[i - 1]!;
    cnt[i] = cnt[i - 1]! + known[i]!;
  }
  let lo = 0; // first beat inside the long window
  let hi = 0; // last beat inside the long window
  let first = 0; // the first beat after the last unknown interval (0: the record's first)
  for (let i = 0; i < n; i++) {
    if (i > 0 && !known[i]) first = i;
    // local: the known intervals ending at beats max(first+1, i-localBeats+1) .. max(i, first+1)
    const lEnd = Math.min(Math.max(i, first + 1), n - 1);
    const lStart = Math.max(first + 1, i - localBeats + 1);
    const lCount = lStart <= lEnd ? cnt[lEnd]! - cnt[lStart - 1]! : 0;
    // long: the known intervals between consecutive beats that both lie within [t - half, t + half]
    const t = rPeaks[i]!;
    while (rPeaks[lo]! < t - half) lo++;
    if (hi < i) hi = i;
    while (hi + 1 < n && rPeaks[hi + 1]! <= t + half) hi++;
    const aCount = cnt[hi]! - cnt[lo]!;
    const local = lCount > 0 ? (cum[lEnd]! - cum[lStart - 1]!) / lCount : aCount > 0 ? (cum[hi]! - cum[lo]!) / aCount : fallback;
    const avg = aCount > 0 ? (cum[hi]! - cum[lo]!) / aCount : local;
    const before = i > 0 && known[i] ? rr[i]! : undefined;
    const after = i < n - 1 && known[i + 1] ? rr[i + 1]! : undefined;
    const pre = before ?? after ?? local;
    const post = after ?? before ?? local;
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

// Heart-rate trend in bpm, one bin per minute of the record: the minute's mean rate (intervals
// over their total time), and its slowest and fastest beat-to-beat rate. An interval belongs to
// the minute its closing beat falls in. The summary's min / max HR are the extreme minute means
// among whole minutes: at least MIN_INTERVALS intervals (a minute of two beats says little) that
// cover at least MIN_COVERED_SEC (not the record's last few seconds, nor a minute mostly unreadable).

export const MIN_INTERVALS = 5;
export const MIN_COVERED_SEC = 30;

/** Whether minute m of the trend is one its min / max HR may come from (see the top of this file). */
export function countsAsMinute(t: HrTrend, m: number): boolean {
  const c = t.count[m]!;
  return c >= MIN_INTERVALS && (60 * c) / t.mean[m]! >= MIN_COVERED_SEC;
}

export interface HrTrend {
  /** Frames per bin (one minute at the record's rate). */
  binFrames: number;
  /** Per minute: intervals, mean / min / max bpm (NaN where the minute has no interval). */
  count: Int32Array;
  mean: Float32Array;
  min: Float32Array;
  max: Float32Array;
  /** Beats per minute over the intervals kept (0 with none). */
  meanBpm: number;
}

export interface HrMinute {
  minute: number;
  startSample: number;
  meanBpm: number;
}

/** `skip(from, to)`: true for an interval the trend leaves out (one over unreadable signal). */
export function hrTrend(sample: Int32Array, fs: number, skip?: (from: number, to: number) => boolean): HrTrend {
  const n = sample.length;
  const binFrames = 60 * fs;
  const bins = n ? Math.floor(sample[n - 1]! / binFrames) + 1 : 0;
  const count = new Int32Array(bins);
  const sum = new Float64Array(bins);
  const min = new Float32Array(bins).fill(NaN);
  const max = new Float32Array(bins).fill(NaN);
  let kept = 0;
  let keptFrames = 0;
  for (let k = 1; k < n; k++) {
    const d = sample[k]! - sample[k - 1]!;
    if (d <= 0 || skip?.(sample[k - 1]!, sample[k]!)) continue;
    kept++;
    keptFrames += d;
    const m = Math.floor(sample[k]! / binFrames);
    const bpm = (60 * fs) / d;
    count[m]!++;
    sum[m]! += d;
    if (!(bpm >= min[m]!)) min[m] = bpm;
    if (!(bpm <= max[m]!)) max[m] = bpm;
  }
  const mean = new Float32Array(bins);
  for (let m = 0; m < bins; m++) mean[m] = count[m]! ? (60 * fs * count[m]!) / sum[m]! : NaN;
  return { binFrames, count, mean, min, max, meanBpm: keptFrames > 0 ? (60 * fs * kept) / keptFrames : 0 };
}

/** The slowest and fastest minutes by mean rate (countsAsMinute); null when none qualifies. */
export function hrExtremes(t: HrTrend): { min: HrMinute | null; max: HrMinute | null } {
  let lo = -1;
  let hi = -1;
  for (let m = 0; m < t.count.length; m++) {
    if (!countsAsMinute(t, m)) continue;
    if (lo < 0 || t.mean[m]! < t.mean[lo]!) lo = m;
    if (hi < 0 || t.mean[m]! > t.mean[hi]!) hi = m;
  }
  const at = (m: number): HrMinute | null => (m < 0 ? null : { minute: m, startSample: Math.round(m * t.binFrames), meanBpm: t.mean[m]! });
  return { min: at(lo), max: at(hi) };
}

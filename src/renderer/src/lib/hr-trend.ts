// Heart-rate trend in bpm, one bin per minute of the record: the minute's mean rate (intervals
// over their total time), and its slowest and fastest beat-to-beat rate. An interval belongs to
// the minute its closing beat falls in. The summary's min / max HR are the extreme minute means
// among minutes with at least MIN_INTERVALS intervals (a minute of two beats says little).

export const MIN_INTERVALS = 5;

export interface HrTrend {
  /** Frames per bin (one minute at the record's rate). */
  binFrames: number;
  /** Per minute: intervals, mean / min / max bpm (NaN where the minute has no interval). */
  count: Int32Array;
  mean: Float32Array;
  min: Float32Array;
  max: Float32Array;
  /** Beats per minute over the span of all the beats (0 with fewer than 2 beats). */
  meanBpm: number;
}

export interface HrMinute {
  minute: number;
  startSample: number;
  meanBpm: number;
}

export function hrTrend(sample: Int32Array, fs: number): HrTrend {
  const n = sample.length;
  const binFrames = 60 * fs;
  const bins = n ? Math.floor(sample[n - 1]! / binFrames) + 1 : 0;
  const count = new Int32Array(bins);
  const sum = new Float64Array(bins);
  const min = new Float32Array(bins).fill(NaN);
  const max = new Float32Array(bins).fill(NaN);
  for (let k = 1; k < n; k++) {
    const d = sample[k]! - sample[k - 1]!;
    if (d <= 0) continue;
    const m = Math.floor(sample[k]! / binFrames);
    const bpm = (60 * fs) / d;
    count[m]!++;
    sum[m]! += d;
    if (!(bpm >= min[m]!)) min[m] = bpm;
    if (!(bpm <= max[m]!)) max[m] = bpm;
  }
  const mean = new Float32Array(bins);
  for (let m = 0; m < bins; m++) mean[m] = count[m]! ? (60 * fs * count[m]!) / sum[m]! : NaN;
  const span = n >= 2 ? (sample[n - 1]! - sample[0]!) / fs : 0;
  return { binFrames, count, mean, min, max, meanBpm: span > 0 ? (60 * (n - 1)) / span : 0 };
}

/** The slowest and fastest minutes by mean rate (minutes with ≥ MIN_INTERVALS intervals); null when none qualifies. */
export function hrExtremes(t: HrTrend): { min: HrMinute | null; max: HrMinute | null } {
  let lo = -1;
  let hi = -1;
  for (let m = 0; m < t.count.length; m++) {
    if (t.count[m]! < MIN_INTERVALS) continue;
    if (lo < 0 || t.mean[m]! < t.mean[lo]!) lo = m;
    if (hi < 0 || t.mean[m]! > t.mean[hi]!) hi = m;
  }
  const at = (m: number): HrMinute | null => (m < 0 ? null : { minute: m, startSample: Math.round(m * t.binFrames), meanBpm: t.mean[m]! });
  return { min: at(lo), max: at(hi) };
}

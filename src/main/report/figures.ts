// Report figures beyond the review summary, on the kept beats (final labels, deleted and X beats
// out): heart-rate variability on normal-to-normal intervals, the hourly table, and where the
// significant findings are. Pure functions on typed arrays.
import type { EpisodeType } from '../../shared/analysis';
import { LABEL_ORDER, STATUS, type ReviewBeats } from '../../renderer/src/lib/beats';
import { classRuns, noRateSpans, type SummaryEpisode } from '../../renderer/src/lib/review-summary';
import { countsAsMinute, type HrTrend } from '../../renderer/src/lib/hr-trend';
import type { ScanSettings } from '../../shared/scan-settings';

// the pause rule is the review summary's own, so the hourly table counts the pauses it counts
export { pauseCounts } from '../../renderer/src/lib/review-summary';

export const N = LABEL_ORDER.indexOf('N');
export const S = LABEL_ORDER.indexOf('S');
export const V = LABEL_ORDER.indexOf('V');
const X = LABEL_ORDER.indexOf('X');

/** The beats the figures count: positions and final label codes (LABEL_ORDER), as the review summary keeps them. */
export interface KeptBeats {
  sample: Int32Array;
  code: Uint8Array;
}

export function keptBeats(beats: ReviewBeats, t: number): KeptBeats {
  const label = beats.labelCodes(t);
  const status = beats.statusCodes();
  const sample = new Int32Array(beats.count);
  const code = new Uint8Array(beats.count);
  let k = 0;
  for (let i = 0; i < beats.count; i++) {
    if (status[i] === STATUS.deleted || label[i] === X) continue;
    sample[k] = beats.sample[i]!;
    code[k++] = label[i]!;
  }
  return { sample: sample.subarray(0, k), code: code.subarray(0, k) };
}

/** [onset, offset) sample intervals of the episodes of `type` with the given decision (kept: not rejected). */
export function intervalsOf(episodes: readonly SummaryEpisode[], type: EpisodeType, kept: boolean): [number, number][] {
  return episodes.filter((e) => e.type === type && (e.status !== 'rejected') === kept).map((e) => [e.onsetSample, e.offsetSample]);
}

function inside(iv: readonly [number, number][], from: number, to: number): boolean {
  return iv.some(([a, b]) => from >= a && to <= b);
}

function overlaps(iv: readonly [number, number][], from: number, to: number): boolean {
  return iv.some(([a, b]) => from < b && to > a);
}

/**
 * A 5-minute segment's mean NN interval counts for SDANN when its NN intervals cover at least this
 * much of it (half, as a minute's mean counts for the min / max HR when it covers 30 s): the
 * record's last few seconds, or a segment mostly ectopy, AF or noise, is no 5-minute mean, and one
 * of a few intervals outweighed whole segments (SDANN above SDNN).
 */
export const SDANN_MIN_COVERED_SEC = 150;

/**
 * Fewest seconds of NN intervals for SDNN, RMSSD and pNN50: the Task Force's (1996) shortest
 * recording for time-domain measures is 5 minutes. Fewer are no HRV: mitdb 203, in AF for 99 %
 * of its 30 minutes, has 15 NN intervals (11 s), which gave "SDNN 161 ms, pNN50 76.9 %".
 */
export const HRV_MIN_NN_SEC = 300;

export interface Hrv {
  /** NN intervals used. */
  nn: number;
  sdnnMs: number;
  /** SD of the 5-minute mean NN intervals, of the segments whose NN intervals cover at least half of them (SDANN_MIN_COVERED_SEC). */
  sdannMs: number;
  rmssdMs: number;
  /** Share of successive NN differences over 50 ms. */
  pnn50: number;
}

/**
 * Time-domain HRV on normal-to-normal intervals: an interval counts when both its beats are N and
 * it does not touch `excluded` time (kept noise episodes: unreadable; kept AF and VT/VF: not sinus
 * rhythm, whose beats may be called N, as the detector's beats in fibrillation, but whose intervals
 * are not normal-to-normal). Successive differences
 * pair two NN intervals that share a beat. SDs are sample SDs (n − 1); NaN with too few intervals
 * (under HRV_MIN_NN_SEC of them; SDANN: no segment covered SDANN_MIN_COVERED_SEC).
 */
export function hrv(k: KeptBeats, fs: number, excluded: readonly [number, number][]): Hrv {
  const nn: number[] = [];
  const end: number[] = [];
  /** nn index of the interval ending at beat i, -1 when that interval is not NN. */
  let prevNn = -1;
  let sumSq = 0;
  let diffs = 0;
  let over50 = 0;
  for (let i = 1; i < k.sample.length; i++) {
    const a = k.sample[i - 1]!;
    const b = k.sample[i]!;
    if (k.code[i - 1] !== N || k.code[i] !== N || overlaps(excluded, a, b)) {
      prevNn = -1;
      continue;
    }
    const ms = ((b - a) * 1000) / fs;
    if (prevNn >= 0) {
      const d = ms - nn[prevNn]!;
      sumSq += d * d;
      diffs++;
      if (Math.abs(d) > 50) over50++;
    }
    nn.push(ms);
    end.push(b);
    prevNn = nn.length - 1;
  }
  const seg = new Map<number, { sum: number; n: number }>();
  for (let j = 0; j < nn.length; j++) {
    const m = Math.floor(end[j]! / (300 * fs));
    const e = seg.get(m) ?? { sum: 0, n: 0 };
    e.sum += nn[j]!;
    e.n++;
    seg.set(m, e);
  }
  const enough = nn.reduce((a, b) => a + b, 0) >= 1000 * HRV_MIN_NN_SEC;
  return {
    nn: nn.length,
    sdnnMs: enough ? sd(nn) : NaN,
    sdannMs: sd([...seg.values()].filter((e) => e.sum >= 1000 * SDANN_MIN_COVERED_SEC).map((e) => e.sum / e.n)),
    rmssdMs: enough && diffs ? Math.sqrt(sumSq / diffs) : NaN,
    pnn50: enough && diffs ? over50 / diffs : NaN,
  };
}

function sd(xs: readonly number[]): number {
  if (xs.length < 2) return NaN;
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  return Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (xs.length - 1));
}

export interface HourRow {
  hour: number;
  beats: number;
  /** Mean rate over the hour's intervals (an interval belongs to the hour its closing beat is in); min / max: the hour's extreme minute means (as the summary's). NaN when none. */
  hrMean: number;
  hrMin: number;
  hrMax: number;
  v: number;
  s: number;
  pauses: number;
}

/**
 * Whether an interval is a heart rate as the summary reads one: clear of every NOISE episode the
 * review keeps (unreadable signal) and of every kept VF episode (fibrillation or flutter: no QRS to
 * count; shared/analysis.ts noRateIn, as review-summary.ts summaryOf and analysis/summary.ts read it).
 */
export function readableBetween(episodes: readonly SummaryEpisode[]): (from: number, to: number) => boolean {
  const noRate = noRateSpans(episodes);
  return (from, to) => !overlaps(noRate, from, to);
}

/**
 * One row per hour of the record. `trend` is the summary's per-minute trend, so the hourly min / max
 * come from the same minutes as the summary's; pauses are RR intervals over the pause limit that
 * `counts` (pauseCounts: as the summary counts them).
 */
export function hourly(
  k: KeptBeats,
  fs: number,
  durationSec: number,
  trend: HrTrend,
  pauseSec: number,
  counts: (from: number, to: number) => boolean,
  /** Whether an interval's signal is readable: the mean rate leaves out the others, as the summary's does. */
  readable: (from: number, to: number) => boolean = () => true
): HourRow[] {
  const hours = Math.max(1, Math.ceil(durationSec / 3600));
  const rows: HourRow[] = Array.from({ length: hours }, (_, hour) => ({ hour, beats: 0, hrMean: NaN, hrMin: NaN, hrMax: NaN, v: 0, s: 0, pauses: 0 }));
  const sum = new Float64Array(hours);
  const cnt = new Int32Array(hours);
  const hourOf = (s: number) => Math.min(hours - 1, Math.floor(s / (3600 * fs)));
  for (let i = 0; i < k.sample.length; i++) {
    const h = hourOf(k.sample[i]!);
    const r = rows[h]!;
    r.beats++;
    if (k.code[i] === V) r.v++;
    if (k.code[i] === S) r.s++;
    if (i === 0) continue;
    const d = k.sample[i]! - k.sample[i - 1]!;
    if (d > 0 && readable(k.sample[i - 1]!, k.sample[i]!)) {
      sum[h]! += d;
      cnt[h]!++;
    }
    if (d / fs > pauseSec && counts(k.sample[i - 1]!, k.sample[i]!)) r.pauses++;
  }
  for (const r of rows) if (cnt[r.hour]!) r.hrMean = (60 * fs * cnt[r.hour]!) / sum[r.hour]!;
  for (let m = 0; m < trend.count.length; m++) {
    if (!countsAsMinute(trend, m)) continue;
    const r = rows[Math.min(hours - 1, Math.floor(m / 60))]!;
    const bpm = trend.mean[m]!;
    if (!(bpm >= r.hrMin)) r.hrMin = bpm;
    if (!(bpm <= r.hrMax)) r.hrMax = bpm;
  }
  return rows;
}

export interface Run {
  onsetSample: number;
  offsetSample: number;
  beats: number;
  bpm: number;
}

/**
 * Runs of ≥ minBeats beats of `cls` faster than minBpm, outside rejected episodes (`rejected`), with
 * the rate over the run's intervals and the one into its first beat, as the summary rates them.
 */
export function fastRuns(k: KeptBeats, fs: number, cls: number, minBeats: number, minBpm: number, rejected: readonly [number, number][]): Run[] {
  const out: Run[] = [];
  for (const [a, b] of classRuns(k.code, cls)) {
    if (b - a + 1 < minBeats) continue;
    const from = Math.max(0, a - 1);
    const bpm = b > from ? (60 * fs * (b - from)) / (k.sample[b]! - k.sample[from]!) : 0;
    if (bpm > minBpm && !inside(rejected, k.sample[a]!, k.sample[b]!))
      out.push({ onsetSample: k.sample[a]!, offsetSample: k.sample[b]!, beats: b - a + 1, bpm });
  }
  return out;
}

/** The longest run (the first of equals), or null. */
export function longestRun(runs: readonly Run[]): Run | null {
  let best: Run | null = null;
  for (const r of runs) if (!best || r.beats > best.beats) best = r;
  return best;
}

/** The VT run criteria of the scan settings. */
export function vtRuns(k: KeptBeats, fs: number, scan: ScanSettings, episodes: readonly SummaryEpisode[]): Run[] {
  return fastRuns(k, fs, V, scan.vtMinBeats, scan.vtMinRateBpm, intervalsOf(episodes, 'VT', false));
}

/** The shortest RR interval closing in [from, to): the sample of its closing beat, or -1. */
export function fastestBeatIn(k: KeptBeats, from: number, to: number): number {
  let best = -1;
  let bestD = Infinity;
  for (let i = 1; i < k.sample.length; i++) {
    const s = k.sample[i]!;
    if (s < from) continue;
    if (s >= to) break;
    const d = s - k.sample[i - 1]!;
    if (d > 0 && d < bestD) {
      bestD = d;
      best = s;
    }
  }
  return best;
}

// Signal quality per second and per lead: flat line (lead off), saturation (the signal sits at
// its extreme), high-frequency noise (muscle, electrode chatter) and baseline jumps (electrode
// motion). Pure functions on a lead in physical units (mV); one flag byte per whole second.
// The lead is read span by span (QUALITY_SPAN_SEC seconds at a time), never whole.
import { asLead, type LeadInput } from '../dsp/lead';
import { medianInRange, rangeMedianWork, type RangeMedianWork } from '../dsp/select';

export const QUALITY = { FLAT: 1, SATURATED: 2, HF_NOISE: 4, BASELINE_JUMP: 8 } as const;

export interface QualityOptions {
  /** Peak-to-peak below this over a second is a flat line, mV. */
  flatMv: number;
  /** Share of a second's samples at the lead's own minimum or maximum from which it is saturated. */
  saturatedShare: number;
  /**
   * High-frequency noise: the second's ratio Σ|Δ²x| / Σ|Δx| (near 0.6 for a clean ECG at 360 Hz,
   * towards 2 for white noise) at least this multiple of the lead's median ratio over the record...
   */
  hfRelative: number;
  /** ... and at least this absolute ratio ... */
  hfMin: number;
  /** ... and a first-difference activity Σ|Δx| at least this multiple of the lead's median (noise that adds energy, not a trace of it). */
  hfActivityRelative: number;
  /** Median level of a second differing from the previous second's by this much is a baseline jump, mV. */
  jumpMv: number;
  /**
   * High-frequency noise on its own scale, for a lead noisy over most of its length (the tests above
   * compare a second with the lead's median second, which is then noise too, so they flag none):
   * where at least half of the lead's seconds are so, each second whose median |Δ²x| (at a lag of
   * round(fs / 360) samples; between QRS complexes a clean ECG's is its quantisation step) is at
   * least this share of its peak-to-peak or of the lead's median peak-to-peak, whichever is larger ...
   */
  hfLevelShare: number;
  /** ... and at least this, mV (a lead of a few quantisation steps is not noise). */
  hfLevelMinMv: number;
}

/**
 * Chosen on MIT-BIH DS1 (never DS2) against the reference's "~" (unreadable) marks: record 208's
 * unreadable stretch around 21:11 reads HF ratio 1.2–1.3 on MLII (median 0.63) and jumps of 0.9–1.7
 * mV; clean seconds stay below 1.6× the median and 0.5 mV. The activity condition (3 × the lead's
 * median Σ|Δx|, among 1.5 / 2.5 / 3, all of which keep 208's stretch) keeps mild muscle noise
 * readable: on noise-stressed MIT-BIH 119 (bench/noise-stress.bench.ts) 0.6 % of the record is
 * flagged at 24 and 18 dB SNR (43.6 % at 18 dB with 1.5), the noisy stretches from 12 dB down.
 * Noise on its own scale (hfLevelShare 0.12 of the peak-to-peak, at least 0.02 mV): no second of
 * mitdb (DS1's highest 0.067), cudb or the cinc2017 strips reaches it; nst-style muscle noise over
 * the whole of 119 does from 6 dB down, the three-noise mix from about 3 dB (at 0 dB the detector's
 * QRS +P over the time read as readable was 90.9 %), 12 dB stays readable.
 */
export const DEFAULT_QUALITY: Readonly<QualityOptions> = Object.freeze({
  flatMv: 0.05,
  saturatedShare: 0.2,
  hfRelative: 1.6,
  hfMin: 0.9,
  hfActivityRelative: 3,
  jumpMv: 0.8,
  hfLevelShare: 0.12,
  hfLevelMinMv: 0.02,
});

/**
 * The flat line over samples [a, b) of x: peak-to-peak below flatMv, or more than half of them invalid
 * (NaN or infinite). leadQuality flags a second so within its one pass over the second's statistics.
 */
export function isFlatSpan(x: ArrayLike<number>, a: number, b: number, flatMv = DEFAULT_QUALITY.flatMv): boolean {
  let mn = Infinity;
  let mx = -Infinity;
  let bad = 0;
  for (let i = a; i < b; i++) {
    const v = x[i]!;
    if (v - v !== 0) bad++;
    else {
      if (v < mn) mn = v;
      if (v > mx) mx = v;
    }
  }
  return bad > (b - a) / 2 || !(mx - mn >= flatMv);
}

/** Seconds of the lead read at a time (leadQualitySteps pauses after each). */
const QUALITY_SPAN_SEC = 600;

function median(v: Float64Array): number {
  const s = Float64Array.from(v).sort();
  const n = s.length;
  return n === 0 ? NaN : n % 2 ? s[(n - 1) >> 1]! : 0.5 * (s[n / 2 - 1]! + s[n / 2]!);
}

/** Flags (QUALITY bits) of each whole second of one lead; a trailing part second counts as one. */
export function leadQuality(input: LeadInput, fs: number, o: QualityOptions = DEFAULT_QUALITY): Uint8Array {
  const steps = leadQualitySteps(input, fs, o);
  for (let r = steps.next(); ; r = steps.next()) if (r.done) return r.value;
}

/** What leadQuality keeps per second until it can compare each with the whole lead. */
interface Seconds {
  flags: Uint8Array;
  ratio: Float64Array;
  activity: Float64Array;
  level: Float64Array;
  /** The second's lowest and highest finite values, and how many samples hold each. */
  min: Float64Array;
  max: Float64Array;
  atMin: Int32Array;
  atMax: Int32Array;
  /** The second's median |Δ²x| at the lag (hfLevelShare), mV; 0 where it cannot reach the threshold. */
  hfLevel: Float64Array;
  /** Samples between the terms of hfLevel's Δ²: round(fs / 360), the rate the thresholds were chosen at. */
  lag: number;
  /** Infinite samples seen (they count in the lead's range, as the lowest or highest value). */
  infinite: { neg: boolean; pos: boolean };
  /** One second's finite samples; its |Δ²x| values. */
  scratch: Float64Array;
  scratchHf: Float64Array;
  median: RangeMedianWork;
}

/**
 * leadQuality in steps: one pass over the lead, pausing after each span it reads (QUALITY_SPAN_SEC
 * seconds, the last one included) and yielding the share of the lead read, so that a thread with
 * other work can take turns with it (the helper worker: analysis/helper-tasks.ts); the flags are
 * the value it returns. The loops over samples are plain
 * functions (V8 compiles a loop inside a generator less well).
 */
export function* leadQualitySteps(input: LeadInput, fs: number, o: QualityOptions = DEFAULT_QUALITY): Generator<number, Uint8Array> {
  const lead = asLead(input);
  const n = lead.length;
  const per = Math.max(1, Math.round(fs));
  const nSec = Math.ceil(n / per);
  const spanLen = QUALITY_SPAN_SEC * per; // whole seconds
  const sec: Seconds = {
    flags: new Uint8Array(nSec),
    ratio: new Float64Array(nSec),
    activity: new Float64Array(nSec),
    level: new Float64Array(nSec),
    min: new Float64Array(nSec),
    max: new Float64Array(nSec),
    atMin: new Int32Array(nSec),
    atMax: new Int32Array(nSec),
    hfLevel: new Float64Array(nSec),
    lag: Math.max(1, Math.round(fs / 360)),
    infinite: { neg: false, pos: false },
    scratch: new Float64Array(per),
    scratchHf: new Float64Array(per),
    median: rangeMedianWork(per),
  };
  const buf = new Float32Array(Math.min(n, spanLen)); // a stored lead's spans converted into it, one after the other
  for (let from = 0; from < n; from += spanLen) {
    const to = Math.min(n, from + spanLen);
    measureSeconds(lead.span(from, to, buf), from / per, per, o, sec);
    yield to / n;
  }
  const { flags, ratio, activity, level, min, max, atMin, atMax, hfLevel, infinite } = sec;
  // the lead's range: saturation is time at its extremes
  let lo = infinite.neg ? -Infinity : Infinity;
  let hi = infinite.pos ? Infinity : -Infinity;
  for (let s = 0; s < nSec; s++) {
    if (min[s]! < lo) lo = min[s]!;
    if (max[s]! > hi) hi = max[s]!;
  }
  const typical = median(ratio.filter((r, s) => !(flags[s]! & QUALITY.FLAT)));
  const typicalActivity = median(activity.filter((r, s) => !(flags[s]! & QUALITY.FLAT)));
  const typicalRange = median(max.map((v, s) => v - min[s]!).filter((r, s) => !(flags[s]! & QUALITY.FLAT)));
  const noisyOnItsOwn = (s: number) => hfLevel[s]! >= o.hfLevelMinMv && hfLevel[s]! >= o.hfLevelShare * Math.max(max[s]! - min[s]!, typicalRange || 0);
  // a lead whose median second is noise: the comparisons with it are blind, its own scale decides
  let readSeconds = 0;
  let noisySeconds = 0;
  for (let s = 0; s < nSec; s++) {
    if (flags[s]! & QUALITY.FLAT) continue;
    readSeconds++;
    if (noisyOnItsOwn(s)) noisySeconds++;
  }
  const noisyLead = noisySeconds > 0 && 2 * noisySeconds >= readSeconds;
  for (let s = 0; s < nSec; s++) {
    // a sample at the lead's lowest value is its second's lowest (and so for the highest); both at once only when lo === hi
    const atRail = (min[s] === lo ? atMin[s]! : 0) + (max[s] === hi ? atMax[s]! : 0);
    if (hi > lo && atRail >= o.saturatedShare * Math.min(per, n - s * per)) flags[s]! |= QUALITY.SATURATED;
    if (flags[s]! & QUALITY.FLAT) continue;
    if (ratio[s]! >= o.hfMin && ratio[s]! >= o.hfRelative * typical && activity[s]! >= o.hfActivityRelative * typicalActivity) flags[s]! |= QUALITY.HF_NOISE;
    else if (noisyLead && noisyOnItsOwn(s)) flags[s]! |= QUALITY.HF_NOISE;
    if (s > 0 && Math.abs(level[s]! - level[s - 1]!) >= o.jumpMv) flags[s]! |= QUALITY.BASELINE_JUMP;
  }
  return flags;
}

/** What each second of span x (the first of them second s0) holds: flat flag, HF ratio, activity, median level, range. */
function measureSeconds(x: Float32Array, s0: number, per: number, o: QualityOptions, sec: Seconds): void {
  const { flags, ratio, activity, level, min, max, atMin, atMax, hfLevel, lag, infinite, scratch, scratchHf, median } = sec;
  for (let a = 0, s = s0; a < x.length; a += per, s++) {
    const b = Math.min(x.length, a + per);
    let mn = Infinity;
    let mx = -Infinity;
    let nMn = 0;
    let nMx = 0;
    let bad = 0;
    let m = 0;
    // one pass for the range, finite samples and hfRatio's sums (the same additions in the same order)
    let d1 = 0;
    let d2 = 0;
    let p2 = 0;
    let p1 = 0;
    for (let i = a; i < b; i++) {
      const v = x[i]!;
      if (i >= a + 2) {
        d1 += Math.abs(v - p1);
        d2 += Math.abs(v - 2 * p1 + p2);
      }
      p2 = p1;
      p1 = v;
      if (v - v !== 0) {
        bad++; // NaN or infinite
        if (v === -Infinity) infinite.neg = true;
        else if (v === Infinity) infinite.pos = true;
        continue;
      }
      if (v < mn) {
        mn = v;
        nMn = 1;
      } else if (v === mn) nMn++;
      if (v > mx) {
        mx = v;
        nMx = 1;
      } else if (v === mx) nMx++;
      scratch[m++] = v;
    }
    const len = b - a;
    if (bad > len / 2 || !(mx - mn >= o.flatMv)) flags[s]! |= QUALITY.FLAT;
    min[s] = mn;
    max[s] = mx;
    atMin[s] = nMn;
    atMax[s] = nMx;
    ratio[s] = d1 > 0 ? d2 / d1 : 0;
    activity[s] = len > 2 ? d1 / (len - 2) : 0;
    level[s] = m ? medianInRange(scratch, m, mn, mx, median) : NaN;
    // the median of non-negative values is at most twice their mean (d2 / (len − 2) at lag 1): a
    // second whose mean cannot reach the least threshold it may face (most seconds of a clean ECG,
    // whose |Δ²x| is mostly the QRS) needs no median
    const least = Math.max(o.hfLevelMinMv, o.hfLevelShare * (mx - mn));
    hfLevel[s] = lag === 1 && 2 * d2 < least * (len - 2) ? 0 : secondDifferenceMedian(x, a, b, lag, scratchHf, median);
  }
}

/** Median |x[i] − 2x[i−lag] + x[i−2·lag]| over the finite terms with i in [a + 2·lag, b); 0 when none. */
function secondDifferenceMedian(x: Float32Array, a: number, b: number, lag: number, out: Float64Array, work: RangeMedianWork): number {
  let n = 0;
  let hi = 0;
  for (let i = a + 2 * lag; i < b; i++) {
    const d = Math.abs(x[i]! - 2 * x[i - lag]! + x[i - 2 * lag]!);
    if (!(d < Infinity)) continue; // NaN or infinite: an invalid sample
    out[n++] = d;
    if (d > hi) hi = d;
  }
  return n ? medianInRange(out, n, 0, hi, work) : 0;
}

/** Names of the flags set in `f`, for explanations. */
export function qualityWords(f: number): string[] {
  const out: string[] = [];
  if (f & QUALITY.FLAT) out.push('flat line');
  if (f & QUALITY.SATURATED) out.push('saturation');
  if (f & QUALITY.HF_NOISE) out.push('high-frequency noise');
  if (f & QUALITY.BASELINE_JUMP) out.push('baseline jump');
  return out;
}

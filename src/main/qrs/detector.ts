// QRS detection in the Pan–Tompkins family (Pan & Tompkins 1985; Hamilton & Tompkins 1986),
// for any sampling rate and any number of leads:
//   1. per lead, at fd = fs / floor(fs / 150) (means of D samples; 180 Hz for 360 Hz records):
//      zero-phase band-pass 8–20 Hz, derivative, square, 150 ms centred moving-window
//      integration kept as a moving RMS (features.ts);
//   2. leads fused with automatic gain (each lead's local QRS height -> 1) and weights from each
//      lead's local quality, so a noisy or disconnected lead fades out (fusion.ts);
//   3. candidate peaks: maxima of the fused signal with no larger value within ±100 ms;
//   4. candidates scanned in time with a signal level SPK (median of the last 8 beats' peaks,
//      each capped at 2: an artefact cannot lift it for good; learned over the first 10 s as the
//      median of the candidates standing out of the noise (floored at 1/40 of the largest ones'
//      median, for a flat start), not only the largest, and counted as 3
//      beats, so artefact spikes at a strip's start do not set it), a noise level NPK (running
//      average of rejected peaks) and threshold THR1 = NPK + 0.4 (SPK - NPK); a 200 ms
//      refractory period; a candidate within 360 ms of the last beat whose maximal slope is under
//      half that beat's slope is a T wave; when no beat is found for 1.66 × the regular RR
//      average, the largest candidate since the last beat above THR2 = 0.6 THR1 is taken
//      (search-back; Pan & Tompkins use THR1 / 2);
//   5. each beat placed, at fs, on the R peak: the largest deviation from the local baseline of
//      its strongest lead's ECG within ±75 ms of the candidate (refinePeaks).
// Parameters were tuned on the 48 MIT-BIH Arrhythmia records (see docs/signals.md).
import { QrsError } from './errors';
import { DEFAULT_FEATURES, leadFeaturesOfClean, type FeatureOptions, type LeadFeatures } from './features';
import { hasInvalid } from '../dsp/invalid';
import { fuseLeads, type Fusion } from './fusion';
import { medianOf } from '../dsp/select';
import { fillInvalid } from '../dsp/invalid';

/** The learning phase's lowest signal level: half a typical QRS of the fused feature (~1 by its gain). */
const SPK_MIN = 0.5;

/**
 * A learning-phase candidate this many times the learning noise level stands out of the noise: a QRS
 * or an artefact spike (P and T waves stay below it in the QRS band).
 */
const STAND_OUT = 4;

/**
 * The stand-out test's noise level is at least the learning signal level (the largest candidates'
 * median) over this: 4 x that floor is a tenth of it, above the P and T waves.
 */
const NOISE_FLOOR_RATIO = 40;

/** The learning phase's signal level counts as this many beats in the running median of beat peaks. */
const LEARNED_BEATS = 3;

/** Lowest rate the features are computed at (Hz): fs is divided by floor(fs / FEATURE_RATE). */
export const FEATURE_RATE = 150;

export interface QrsOptions extends FeatureOptions {
  /** no second beat within this time, s */
  refractoryS: number;
  /** T-wave test applies to candidates within this time of the last beat, s */
  tWaveS: number;
  /** a candidate is a T wave when its slope is below this fraction of the last beat's */
  tWaveSlopeRatio: number;
  /** search-back after this multiple of the regular RR average */
  searchBackRr: number;
  /** THR1 = NPK + thresholdFraction * (SPK - NPK) */
  thresholdFraction: number;
  /** search-back threshold THR2 = searchBackFraction * THR1 */
  searchBackFraction: number;
}

export const DEFAULT_QRS_OPTIONS: QrsOptions = {
  ...DEFAULT_FEATURES,
  refractoryS: 0.2,
  tWaveS: 0.36,
  tWaveSlopeRatio: 0.5,
  searchBackRr: 1.66,
  thresholdFraction: 0.4,
  searchBackFraction: 0.6,
};

/** Local maxima of f with no larger value within ±r samples (ties: the first). */
export function peaksWithin(f: Float32Array, r: number): Int32Array {
  const n = f.length;
  // a strict local maximum is at most every other sample
  const raw = new Int32Array(Math.max(0, n >> 1));
  let nRaw = 0;
  let prev = f[0]!,
    cur = f[1]!;
  for (let i = 1; i < n - 1; i++) {
    const next = f[i + 1]!;
    if (cur > prev && cur >= next && cur > 0) raw[nRaw++] = i;
    prev = cur;
    cur = next;
  }
  const keep = new Int32Array(nRaw);
  let nKeep = 0;
  for (let k = 0; k < nRaw; k++) {
    const i = raw[k]!;
    const v = f[i]!;
    let ok = true;
    for (let j = k - 1; j >= 0 && i - raw[j]! <= r; j--)
      if (f[raw[j]!]! >= v) {
        ok = false;
        break;
      }
    if (ok)
      for (let j = k + 1; j < nRaw && raw[j]! - i <= r; j++)
        if (f[raw[j]!]! > v) {
          ok = false;
          break;
        }
    if (ok) keep[nKeep++] = i;
  }
  return keep.slice(0, nKeep);
}

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const s = [...values].sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

/**
 * R-peak sample indices (at fs, ascending) of the beats in `signals` (one Float32Array per lead,
 * all the same length, physical units; NaN allowed).
 */
export function detectQrs(signals: Float32Array[], fs: number, opts: Partial<QrsOptions> = {}): Int32Array {
  const o: QrsOptions = { ...DEFAULT_QRS_OPTIONS, ...opts };
  if (!Number.isFinite(fs) || fs <= 0) throw new QrsError(`sampling rate must be positive, got ${fs}`);
  if (signals.length === 0) throw new QrsError('no signal to detect beats in');
  const n = signals[0]!.length;
  for (const s of signals) if (s.length !== n) throw new QrsError(`leads differ in length (${s.length} vs ${n})`);
  if (n < Math.round(fs)) return new Int32Array(0);

  // Features at fd = fs / D >= 150 Hz (D-sample means: the QRS band is far below fd / 2), the R
  // peak then found at fs: most of the work shrinks by D at 360 Hz and above.
  const D = Math.max(1, Math.floor(fs / FEATURE_RATE));
  const fd = fs / D;
  const { clean, low } = decimateClean(signals, D);
  const nd = low[0]!.length;
  const feats = leadFeaturesOfClean(low, fd, o);
  const fusion = fuseLeads(feats, fd);
  const { fused } = fusion;
  const cand = peaksWithin(fused, Math.round(0.1 * fd));
  if (cand.length === 0) return new Int32Array(0);

  const halfWin = Math.round((o.windowS * fd) / 2);
  // slope of a candidate: max |d band / dt| within the integration window, scaled by each lead's
  // level and weight, max over leads; computed when first needed (most candidates never are)
  const slopeCache = new Float32Array(cand.length).fill(-1);
  const slope = (k: number): number => {
    if (slopeCache[k]! >= 0) return slopeCache[k]!;
    const c = cand[k]!;
    let best = 0;
    for (let l = 0; l < feats.length; l++) {
      const scale = fusion.levelAt(l, c);
      if (!(scale > 0)) continue;
      const b = feats[l]!.band;
      let m = 0;
      const lo = Math.max(1, c - halfWin),
        hi = Math.min(nd - 1, c + halfWin);
      for (let i = lo; i < hi; i++) {
        const d = Math.abs(b[i + 1]! - b[i - 1]!);
        if (d > m) m = d;
      }
      const s = (fusion.weightAt(l, c) * m * m) / (scale * scale);
      if (s > best) best = s;
    }
    slopeCache[k] = best;
    return best;
  };

  const value = (k: number): number => fused[cand[k]!]!;
  const refractory = Math.round(o.refractoryS * fd);
  const tWave = Math.round(o.tWaveS * fd);

  // learning phase: the first 10 s (or the record)
  const learnEnd = Math.min(nd, Math.round(10 * fd));
  const learn: number[] = [];
  for (let k = 0; k < cand.length && cand[k]! < learnEnd; k++) learn.push(value(k));
  learn.sort((a, b) => b - a);
  let spk = median(learn.slice(0, Math.max(1, Math.round((learnEnd / fd) * 0.8)))) || 1;
  let npk = median(learn.slice(Math.round((learnEnd / fd) * 1.2))) || 0;
  // tall artefact spikes (a handheld's contact and motion spikes) fill the largest candidates when a
  // strip has several, and SPK was theirs; the median of every candidate standing out of the noise
  // is the QRS's as long as the spikes are fewer than the beats. The noise is floored: a record that
  // starts flat (leads off, a noise-free stretch) has learning candidates down to ~0 and no measured
  // noise, every P and T wave then stood out, SPK fell to SPK_MIN and, counted as 3 beats, let P and
  // T waves in as beats (synthetic strips with 1-5 s flat starts at 30-40 bpm). A floor relative to
  // the candidates keeps the test scale-free; the spike strips' measured noise is above it
  // (A01509 0.068 vs 0.031, A05769 0.055 vs 0.036), and CinC train strips do not change.
  const noise = Math.max(npk, spk / NOISE_FLOOR_RATIO);
  const standOut = median(learn.filter((v) => v > STAND_OUT * noise));
  if (standOut > 0 && standOut < spk) spk = standOut;
  // the fused feature is ~1 at a QRS (fusion's gain): a record that starts without beats (asystole,
  // leads off) must not learn its signal level from the noise
  if (spk < SPK_MIN) spk = SPK_MIN;
  if (npk > spk) npk = spk / 4;
  const thr1 = (): number => npk + o.thresholdFraction * (spk - npk);

  const beats: number[] = []; // candidate indices
  const rrRecent: number[] = [];
  const rrRegular: number[] = [];
  let rrAvg = fd; // regular RR average, samples at fd
  let lastBeat = -Infinity;
  let lastSlope = 0;
  const accepted = new Uint8Array(cand.length);
  // the fused feature is ~1 at a typical QRS: a peak above 2 is an artefact's (counted as 2)
  const peakCap = 2;
  // the learned level stands for a few beats: with an empty history the first beat accepted set
  // SPK alone, and a tall artefact spike at a strip's start then raised THR1 above the QRS that
  // followed (only spikes were taken, and SPK stayed theirs)
  const recentPeaks: number[] = new Array<number>(LEARNED_BEATS).fill(Math.min(spk, peakCap));

  const accept = (k: number): void => {
    const t = cand[k]!;
    if (Number.isFinite(lastBeat)) {
      const rr = t - lastBeat;
      rrRecent.push(rr);
      if (rrRecent.length > 8) rrRecent.shift();
      const lo = 0.92 * rrAvg,
        hi = 1.16 * rrAvg;
      if (rrRegular.length < 8 || (rr >= lo && rr <= hi)) {
        rrRegular.push(rr);
        if (rrRegular.length > 8) rrRegular.shift();
        rrAvg = rrRegular.reduce((a, b) => a + b, 0) / rrRegular.length;
      } else if (rrRecent.length === 8) {
        // irregular rhythm: PT falls back on the recent average
        rrAvg = rrRecent.reduce((a, b) => a + b, 0) / rrRecent.length;
      }
    }
    // signal level: median of the last 8 beats' peaks (one artefact cannot lift it for good)
    recentPeaks.push(Math.min(value(k), peakCap));
    if (recentPeaks.length > 8) recentPeaks.shift();
    spk = median(recentPeaks);
    lastBeat = t;
    lastSlope = slope(k);
    accepted[k] = 1;
    beats.push(k);
  };

  const isTWave = (k: number): boolean => cand[k]! - lastBeat < tWave && slope(k) < o.tWaveSlopeRatio * o.tWaveSlopeRatio * lastSlope;

  let firstUnseen = 0; // candidates before this index have been classified
  const searchBack = (until: number): boolean => {
    // largest non-accepted candidate in (lastBeat + refractory, until) above THR2
    const thr2 = o.searchBackFraction * thr1();
    let best = -1;
    for (let k = firstUnseen - 1; k >= 0 && cand[k]! > lastBeat; k--) {
      const t = cand[k]!;
      if (t >= until || accepted[k] || t - lastBeat < refractory) continue;
      if (value(k) > thr2 && (best < 0 || value(k) > value(best)) && !isTWave(k)) best = k;
    }
    if (best < 0) return false;
    accept(best);
    return true;
  };

  for (let k = 0; k < cand.length; k++) {
    const t = cand[k]!;
    while (Number.isFinite(lastBeat) && t - lastBeat > o.searchBackRr * rrAvg && searchBack(t)) {
      /* a missed beat was recovered; look again from it */
    }
    firstUnseen = k + 1;
    const v = value(k);
    if (t - lastBeat < refractory) continue;
    if (v > thr1() && !isTWave(k)) accept(k);
    else npk = 0.125 * v + 0.875 * npk;
  }
  // a missed beat before the end of the record
  while (Number.isFinite(lastBeat) && nd - lastBeat > o.searchBackRr * rrAvg && searchBack(nd)) {
    /* recovered */
  }

  beats.sort((a, b) => cand[a]! - cand[b]!);
  // candidate at fd -> the centre of its D-sample mean at fs
  const at = beats.map((k) => cand[k]!);
  return refinePeaks(at, feats, fusion, clean, D, Math.round((o.windowS * fs) / 2), Math.round(o.refractoryS * fs), fs);
}

/**
 * Moves each beat onto the R peak: the largest deviation of its strongest lead's ECG at fs
 * (smoothed over ±4 ms) from the local baseline (median over ±2 halfWin, ~180 samples/s), within ±halfWin of the
 * candidate (found at fs / D, at index c; its instant at fs is c D + (D - 1) / 2).
 */
function refinePeaks(
  at: number[],
  feats: LeadFeatures[],
  fusion: Fusion,
  ecg: Float32Array[],
  D: number,
  halfWin: number,
  refractory: number,
  fs: number
): Int32Array {
  const out = new Int32Array(at.length);
  const n = ecg[0]!.length;
  const k = Math.max(1, Math.round(0.004 * fs));
  const scratch = new Float64Array(4 * halfWin + 2);
  const stride = Math.max(1, Math.round(fs / 180)); // the baseline median from ~180 Hz samples
  for (let b = 0; b < at.length; b++) {
    const cd = at[b]!;
    let lead = 0,
      bestE = -1;
    for (let l = 0; l < feats.length; l++) {
      const lv = fusion.levelAt(l, cd);
      if (!(lv > 0)) continue;
      const e = (fusion.weightAt(l, cd) * feats[l]!.rms[cd]!) / lv;
      if (e > bestE) {
        bestE = e;
        lead = l;
      }
    }
    const c = Math.min(n - 1, Math.round(cd * D + (D - 1) / 2));
    const x = ecg[lead]!;
    const lo = Math.max(0, c - 2 * halfWin),
      hi = Math.min(n, c + 2 * halfWin + 1);
    let len = 0;
    for (let i = lo; i < hi; i += stride) scratch[len++] = x[i]!;
    const base = medianOf(scratch, len) * (2 * k + 1);
    let best = c,
      m = -1;
    const a0 = Math.max(k, c - halfWin),
      a1 = Math.min(n - 1 - k, c + halfWin);
    if (a0 <= a1) {
      let sum = 0; // sum of x over [i - k, i + k]
      for (let j = a0 - k; j <= a0 + k; j++) sum += x[j]!;
      for (let i = a0; ; i++) {
        const d = Math.abs(sum - base);
        if (d > m) {
          m = d;
          best = i;
        }
        if (i === a1) break;
        sum += x[i + k + 1]! - x[i - k]!;
      }
    }
    out[b] = best;
  }
  // refinement can reorder or bring neighbours together: keep them sorted, and of two beats
  // closer than the refractory period keep the first
  out.sort();
  let w = 0;
  for (let i = 0; i < out.length; i++) if (w === 0 || out[i]! - out[w - 1]! >= refractory) out[w++] = out[i]!;
  return out.slice(0, w);
}

/**
 * The leads with invalid samples interpolated (clean, at fs) and their D-sample means (low).
 * Decimates first: a mean is finite exactly when its block is, so the decimated leads tell
 * whether a lead needs filling, without a scan of it at fs.
 */
function decimateClean(signals: Float32Array[], D: number): { clean: Float32Array[]; low: Float32Array[] } {
  const clean: Float32Array[] = [];
  const low: Float32Array[] = [];
  for (const s of signals) {
    let y = D === 1 ? s : boxDecimate(s, D);
    const x = hasInvalid(y) ? fillInvalid(s) : s;
    if (x !== s) y = D === 1 ? x : boxDecimate(x, D);
    clean.push(x);
    low.push(y);
  }
  return { clean, low };
}

/** Means of consecutive D-sample blocks (the last one partial). */
export function boxDecimate(x: Float32Array, D: number): Float32Array {
  const n = x.length;
  const m = Math.ceil(n / D);
  const y = new Float32Array(m);
  const full = Math.floor(n / D);
  const inv = 1 / D;
  if (D === 2) {
    for (let j = 0, i = 0; j < full; j++, i += 2) y[j] = (x[i]! + x[i + 1]!) * 0.5;
  } else {
    for (let j = 0, i = 0; j < full; j++) {
      let s = 0;
      for (let e = i + D; i < e; i++) s += x[i]!;
      y[j] = s * inv;
    }
  }
  if (full < m) {
    let s = 0;
    for (let i = full * D; i < n; i++) s += x[i]!;
    y[full] = s / (n - full * D);
  }
  return y;
}

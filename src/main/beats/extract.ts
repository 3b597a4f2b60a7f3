// Beat windows: the beat model's input, made the same way for training data and at inference.
//
// For each R peak (sample index at the record's rate fs):
//  1. leads: signals[0] and signals[1]; a single-lead record gets lead 0 copied into lead 1
//     (flag LEAD1_COPIED) — the model then sees a plausible input rather than a flat line it was
//     never trained on;
//  2. each lead is resampled to 360 Hz (dsp.resampleBlock: zero-delay polyphase FIR) and
//     conditioned (dsp.conditionForBeats: de Chazal baseline removal + 35 Hz zero-phase low-pass),
//     chunk by chunk with enough context that the result equals processing the whole record;
//  3. the R peak maps to round(r · 360 / fs); the window is the 216 samples [R − 90, R + 126):
//     250 ms before the R peak, R at index 90, 347 ms after it. Samples off the record repeat the
//     nearest conditioned sample (flag EDGE, valid = 0);
//  4. amplitude: per lead, the window's median is subtracted (its isoelectric level), then it is
//     divided by the lead's typical QRS amplitude: the running median, over the 257 beats centred
//     on it (all beats when fewer), of the beats' peak-to-peak amplitude within ±100 ms of R,
//     floored at 0.1 mV. This removes the gain differences between patients and electrode
//     positions (the main inter-patient shift) while keeping the contrast between a beat and
//     its neighbours (a PVC twice as tall as the dominant beats stays twice as tall); a running
//     rather than whole-record scale follows the slow amplitude drift of a 24-hour Holter.
//     The divisor of each beat and lead is returned (`scale`, mV) so mV can be restored.
//     Call it on all the beats of a record (as the dataset does): a beat's divisor depends on its
//     256 neighbours, so scoring a subset of beats alone gives slightly different windows.
import { conditionContext, conditionForBeats, fillInvalid, mapIndex, resampleBlock, resampleInputSpan, resampleRatio, resampledLength } from '../dsp';
import { BEAT_FLAG, BEAT_FS, BEAT_LEADS, BEAT_WINDOW, N_RR, R_INDEX } from './constants';
import { BeatsError, requireIncreasing } from './errors';
import { rrFeatures, type RrOptions } from './rr';
import { medianOf } from '../dsp/select';
import { runningMedianOf } from './stats';
import { beatTemplates, type BeatTemplates } from './template';

export interface BeatOptions {
  /** Length of the conditioned chunks, seconds at 360 Hz (bounds memory). Default 300. */
  chunkSec?: number;
  /** Beats in the running median of the amplitude scale (odd). Default 257. */
  scaleBeats?: number;
  /** Lowest amplitude scale, mV. Default 0.1. */
  minScaleMv?: number;
  /** Half-width of the QRS region whose peak-to-peak is the beat's amplitude, seconds. Default 0.1. */
  qrsHalfSec?: number;
  rr?: RrOptions;
}

export interface BeatWindows {
  /** n × 2 × 216, row-major [beat][lead][t], normalised as described at the top of this file. */
  windows: Float32Array;
  /** n × N_RR RR features (RR_FEATURES order). */
  rr: Float32Array;
  /** 1 when the whole window lies inside the record. */
  valid: Uint8Array;
  /** BEAT_FLAG bits per beat. */
  flags: Uint8Array;
  /** n × 2 amplitude divisor per beat and lead, mV. */
  scale: Float32Array;
  /** R peak index at 360 Hz. */
  r360: Int32Array;
  /** True when lead 1 is a copy of lead 0. */
  singleLead: boolean;
  /** The record's dominant beat around each beat (./template.ts), the beat model's context input. */
  templates: BeatTemplates;
}

const ROW = BEAT_LEADS * BEAT_WINDOW;
const AFTER = BEAT_WINDOW - R_INDEX; // 126 samples from R (inclusive) to the window's end

/** Samples [a, z) of x resampled to 360 Hz (x itself when it is already at 360 Hz). */
function resampledSpan(x: Float32Array, fs: number, a: number, z: number): Float32Array {
  const { up, down } = resampleRatio(fs, BEAT_FS);
  if (up === down) return x.subarray(a, z);
  const span = resampleInputSpan(a, z, fs, BEAT_FS, x.length);
  return resampleBlock(x.subarray(span.start, span.end), span.start, x.length, fs, BEAT_FS, a, z);
}

/**
 * Beat windows and RR features (see the top of this file). signals: physical units (mV) at fs,
 * all of one length; rPeaks: strictly increasing sample indices at fs (indices off the record
 * give fully padded, flagged windows).
 */
export function extractBeatWindows(signals: Float32Array[], fs: number, rPeaks: Int32Array, opts: BeatOptions = {}): BeatWindows {
  if (signals.length === 0) throw new BeatsError('no signal to cut beats from');
  if (!(fs > 0) || !Number.isFinite(fs)) throw new BeatsError(`sampling rate must be a positive number, got ${fs}`);
  requireIncreasing(rPeaks);
  const nIn = signals[0]!.length;
  if (nIn === 0 && rPeaks.length > 0) throw new BeatsError('the signal is empty');
  for (const s of signals) if (s.length !== nIn) throw new BeatsError(`signals differ in length (${s.length} vs ${nIn})`);
  const singleLead = signals.length < 2;
  const leads = singleLead ? [signals[0]!] : [signals[0]!, signals[1]!];
  const n = rPeaks.length;
  const windows = new Float32Array(n * ROW);
  const flags = new Uint8Array(n);
  const amp = [new Float32Array(n), new Float32Array(n)];
  const r360 = new Int32Array(n);
  for (let i = 0; i < n; i++) r360[i] = mapIndex(rPeaks[i]!, fs, BEAT_FS);
  if (singleLead) flags.fill(BEAT_FLAG.LEAD1_COPIED);

  const n360 = resampledLength(nIn, fs, BEAT_FS);
  const chunk = Math.max(1, Math.round((opts.chunkSec ?? 300) * BEAT_FS));
  const ctx = conditionContext(BEAT_FS);
  const qrsHalf = Math.round((opts.qrsHalfSec ?? 0.1) * BEAT_FS);
  const tmp = new Float32Array(BEAT_WINDOW);
  const clean = leads.map((x) => fillInvalid(x)); // no copy unless the lead has NaN samples

  // Beats are handed to the chunk holding their R peak; beats off the record to the first/last.
  let b = 0;
  for (let from = 0; from < Math.max(n360, 1) && b < n; from += chunk) {
    const to = Math.min(n360, from + chunk);
    const last = to >= n360;
    let e = b;
    while (e < n && (last || r360[e]! < to)) e++;
    if (e === b || n360 === 0) {
      b = e;
      continue;
    }
    // conditioned samples [a, z) at 360 Hz cover every window of beats b..e-1 plus filter context
    const a = Math.max(0, Math.min(from, r360[b]! - R_INDEX) - ctx);
    const z = Math.min(n360, Math.max(to, r360[e - 1]! + AFTER) + ctx);
    for (let l = 0; l < leads.length; l++) {
      const y = conditionForBeats(resampledSpan(clean[l]!, fs, a, z), BEAT_FS);
      for (let i = b; i < e; i++) {
        const o = i * ROW + l * BEAT_WINDOW;
        const w0 = r360[i]! - R_INDEX;
        let edge = false;
        for (let t = 0; t < BEAT_WINDOW; t++) {
          let k = w0 + t;
          if (k < 0 || k >= n360) {
            edge = true;
            k = k < 0 ? 0 : n360 - 1;
          }
          windows[o + t] = y[k - a]!;
        }
        if (edge) flags[i]! |= BEAT_FLAG.EDGE;
        // isoelectric level: the window's median
        tmp.set(windows.subarray(o, o + BEAT_WINDOW));
        const med = medianOf(tmp, BEAT_WINDOW);
        let lo = Infinity;
        let hi = -Infinity;
        for (let t = 0; t < BEAT_WINDOW; t++) {
          const v = windows[o + t]! - med;
          windows[o + t] = v;
          if (t >= R_INDEX - qrsHalf && t <= R_INDEX + qrsHalf) {
            if (v < lo) lo = v;
            if (v > hi) hi = v;
          }
        }
        amp[l]![i] = hi - lo;
      }
    }
    b = e;
  }

  // amplitude scale per lead, then lead 1 from lead 0 on single-lead records
  const scale = new Float32Array(n * BEAT_LEADS);
  const minScale = opts.minScaleMv ?? 0.1;
  for (let l = 0; l < leads.length; l++) {
    const s = runningMedianOf(amp[l]!, opts.scaleBeats ?? 257);
    for (let i = 0; i < n; i++) {
      const d = Math.max(minScale, s[i]!);
      scale[i * BEAT_LEADS + l] = d;
      const o = i * ROW + l * BEAT_WINDOW;
      const inv = 1 / d;
      for (let t = 0; t < BEAT_WINDOW; t++) windows[o + t]! *= inv;
    }
  }
  if (singleLead) {
    for (let i = 0; i < n; i++) {
      windows.copyWithin(i * ROW + BEAT_WINDOW, i * ROW, i * ROW + BEAT_WINDOW);
      scale[i * BEAT_LEADS + 1] = scale[i * BEAT_LEADS]!;
    }
  }
  const valid = new Uint8Array(n);
  for (let i = 0; i < n; i++) valid[i] = flags[i]! & BEAT_FLAG.EDGE ? 0 : 1;
  const rr = rrFeatures(rPeaks, fs, opts.rr);
  if (rr.length !== n * N_RR) throw new BeatsError('internal: RR feature count mismatch');
  const templates = beatTemplates(windows, rr, valid, n);
  return { windows, rr, valid, flags, scale, r360, singleLead, templates };
}

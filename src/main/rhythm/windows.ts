// Rhythm windows: the rhythm model's input, made the same way for training data and at inference.
//  - lead 0 (the first ECG lead) resampled to 125 Hz (dsp.resampleBlock) and band-passed
//    0.5–40 Hz (dsp.bandpass, zero phase), in chunks with 10 s of context on each side;
//  - windows of 10 s = 1250 samples every `strideSec`, from the record's start; when the record
//    does not end on a window boundary a last window ending at the record's end is added, so
//    every sample is covered; a record shorter than 10 s gives one window, zero-padded at the end
//    (after normalisation, so the padding sits at the window's median level);
//  - each window is normalised robustly: (x − median) / (1.4826 · MAD), MAD floored at
//    RHYTHM_MIN_MAD_MV, then clipped to ±RHYTHM_CLIP (QRS peaks of a clean ECG sit at 5–25 MAD
//    units, artefacts far beyond; the clip keeps those from dominating the input's range).
import { bandpass, fillInvalid, mapIndex, resampleBlock, resampleInputSpan, resampledLength } from '../dsp';
import { medianInPlace } from '../beats/stats';

export const RHYTHM_FS = 125;
export const RHYTHM_WINDOW_SEC = 10;
export const RHYTHM_WINDOW = RHYTHM_FS * RHYTHM_WINDOW_SEC;
export const RHYTHM_BAND_HZ = [0.5, 40] as const;
export const RHYTHM_CLIP = 30;
export const RHYTHM_MIN_MAD_MV = 0.002;

export interface RhythmWindows {
  /** n × 1250, normalised (see the top of this file). */
  x: Float32Array;
  /** Start of each window, sample index at the record's rate fs. */
  startSample: Int32Array;
  /** Start of each window at 125 Hz. */
  start125: Int32Array;
  /** Real (unpadded) samples in each window; 1250 unless the record is shorter than 10 s. */
  nReal: Int32Array;
}

/** Lead `signal` (physical units at fs) resampled to 125 Hz and band-passed, chunk by chunk. */
export function rhythmSignal(signal: Float32Array, fs: number, chunkSec = 600): Float32Array {
  const nIn = signal.length;
  const n = resampledLength(nIn, fs, RHYTHM_FS);
  const out = new Float32Array(n);
  const clean = fillInvalid(signal);
  const chunk = Math.round(chunkSec * RHYTHM_FS);
  const ctx = 10 * RHYTHM_FS;
  for (let from = 0; from < n; from += chunk) {
    const to = Math.min(n, from + chunk);
    const a = Math.max(0, from - ctx);
    const z = Math.min(n, to + ctx);
    const span = resampleInputSpan(a, z, fs, RHYTHM_FS, nIn);
    const x = resampleBlock(clean.subarray(span.start, span.end), span.start, nIn, fs, RHYTHM_FS, a, z);
    const y = x.length > 1 ? bandpass(x, RHYTHM_FS, RHYTHM_BAND_HZ[0], RHYTHM_BAND_HZ[1]) : x;
    out.set(y.subarray(from - a, to - a), from);
  }
  return out;
}

/** Window starts at 125 Hz for a signal of n samples (see the top of this file). */
export function windowStarts(n: number, stride: number): Int32Array {
  if (n <= RHYTHM_WINDOW) return Int32Array.of(0);
  const starts: number[] = [];
  let s = 0;
  for (; s + RHYTHM_WINDOW <= n; s += stride) starts.push(s);
  const lastEnd = starts[starts.length - 1]! + RHYTHM_WINDOW;
  if (lastEnd < n) starts.push(n - RHYTHM_WINDOW);
  return Int32Array.from(starts);
}

/** (x − median)/(1.4826·MAD) clipped to ±RHYTHM_CLIP, in place over dst[0..len); scratch ≥ len. */
export function normaliseWindow(dst: Float32Array, len: number, scratch: Float32Array): void {
  scratch.set(dst.subarray(0, len));
  const med = medianInPlace(scratch, len);
  for (let i = 0; i < len; i++) scratch[i] = Math.abs(dst[i]! - med);
  const mad = Math.max(RHYTHM_MIN_MAD_MV, 1.4826 * medianInPlace(scratch, len));
  const inv = 1 / mad;
  for (let i = 0; i < len; i++) {
    const v = (dst[i]! - med) * inv;
    dst[i] = v > RHYTHM_CLIP ? RHYTHM_CLIP : v < -RHYTHM_CLIP ? -RHYTHM_CLIP : v;
  }
}

/** Rhythm windows of one lead (physical units at fs) every strideSec seconds. */
export function rhythmWindows(signal: Float32Array, fs: number, strideSec: number): RhythmWindows {
  if (!(strideSec > 0)) throw new RangeError(`rhythm window stride must be positive, got ${strideSec}`);
  const y = rhythmSignal(signal, fs);
  const stride = Math.max(1, Math.round(strideSec * RHYTHM_FS));
  const start125 = windowStarts(y.length, stride);
  const n = start125.length;
  const x = new Float32Array(n * RHYTHM_WINDOW);
  const startSample = new Int32Array(n);
  const nReal = new Int32Array(n);
  const scratch = new Float32Array(RHYTHM_WINDOW);
  for (let w = 0; w < n; w++) {
    const s = start125[w]!;
    const len = Math.min(RHYTHM_WINDOW, y.length - s);
    const dst = x.subarray(w * RHYTHM_WINDOW, (w + 1) * RHYTHM_WINDOW);
    dst.set(y.subarray(s, s + len));
    if (len > 0) normaliseWindow(dst, len, scratch);
    nReal[w] = len;
    startSample[w] = mapIndex(s, RHYTHM_FS, fs);
  }
  return { x, startSample, start125, nReal };
}

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
import { asLead, bandpass, mapIndex, resampleBlock, resampleInputSpan, resampledLength } from '../dsp';
import type { Lead, LeadInput } from '../dsp/lead';
import { medianOf } from '../dsp/select';
import { scratchFloat32 } from '../dsp/scratch';

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

/** Context each side of a filtered span (10 s: the 0.5 Hz high-pass has decayed to < 1e-6 by then). */
const CONTEXT = 10 * RHYTHM_FS;

/**
 * Samples [a, z) at 125 Hz of the resampled, band-passed lead (at fs, read with its invalid samples
 * filled), computed over [a − 10 s, z + 10 s] so that any split of the record gives the same samples.
 */
function filteredSpan(lead: Lead, fs: number, a: number, z: number, n: number): Float32Array {
  const ca = Math.max(0, a - CONTEXT);
  const cz = Math.min(n, z + CONTEXT);
  const span = resampleInputSpan(ca, cz, fs, RHYTHM_FS, lead.length);
  const x = resampleBlock(lead.filledSpan(span.start, span.end, scratchFloat32('span', span.end - span.start)), span.start, lead.length, fs, RHYTHM_FS, ca, cz);
  const y = x.length > 1 ? bandpass(x, RHYTHM_FS, RHYTHM_BAND_HZ[0], RHYTHM_BAND_HZ[1]) : x;
  return y.subarray(a - ca, z - ca);
}

/** Lead `signal` (physical units at fs) resampled to 125 Hz and band-passed, chunk by chunk. */
export function rhythmSignal(signal: LeadInput, fs: number, chunkSec = 600): Float32Array {
  const lead = asLead(signal);
  const n = resampledLength(lead.length, fs, RHYTHM_FS);
  const out = new Float32Array(n);
  const chunk = Math.max(1, Math.round(chunkSec * RHYTHM_FS));
  for (let from = 0; from < n; from += chunk) {
    const to = Math.min(n, from + chunk);
    out.set(filteredSpan(lead, fs, from, to, n), from);
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

/**
 * (x − median)/(1.4826·MAD) clipped to ±RHYTHM_CLIP, in place over dst[0..len); scratch ≥ len.
 * The deviations are rounded to float32 as the window is; the scratch is a Float64Array because
 * every other selection in the thread reads one (selectKth then sees one array type, and runs faster).
 */
function normaliseWindow(dst: Float32Array, len: number, scratch: Float64Array): void {
  scratch.set(dst.subarray(0, len));
  const med = medianOf(scratch, len);
  for (let i = 0; i < len; i++) scratch[i] = Math.fround(Math.abs(dst[i]! - med));
  const mad = Math.max(RHYTHM_MIN_MAD_MV, 1.4826 * medianOf(scratch, len));
  const inv = 1 / mad;
  for (let i = 0; i < len; i++) {
    const v = (dst[i]! - med) * inv;
    dst[i] = v > RHYTHM_CLIP ? RHYTHM_CLIP : v < -RHYTHM_CLIP ? -RHYTHM_CLIP : v;
  }
}

/**
 * Windows [b, e) from y (the filtered lead at 125 Hz from sample a) into x, each normalised. A plain
 * function, not inside the groups' generator: V8 compiles a loop inside a generator less well.
 */
function cutWindows(y: Float32Array, a: number, x: Float32Array, b: number, e: number, start125: Int32Array, nReal: Int32Array, scratch: Float64Array): void {
  for (let w = b; w < e; w++) {
    const s = start125[w]!;
    const len = nReal[w]!;
    const dst = x.subarray((w - b) * RHYTHM_WINDOW, (w - b + 1) * RHYTHM_WINDOW);
    dst.set(y.subarray(s - a, s - a + len));
    if (len > 0) normaliseWindow(dst, len, scratch);
  }
}

/** The windows of one filtered piece of the lead: windows [from, from + count), count × 1250. */
export interface RhythmWindowGroup {
  from: number;
  count: number;
  x: Float32Array;
}

/** The windows' places, known from the start, and the windows themselves group by group. */
export interface RhythmWindowStream {
  n: number;
  startSample: Int32Array;
  start125: Int32Array;
  nReal: Int32Array;
  /** The groups in order; call once. */
  groups(): Generator<RhythmWindowGroup, void, undefined>;
}

/**
 * Rhythm windows of one lead (physical units at fs) every strideSec seconds. The lead is filtered
 * in pieces of about `chunkSec` holding whole windows, and each piece's windows come out as a
 * group, so neither the filtered lead nor all the windows need be in memory at once.
 */
export function rhythmWindowStream(signal: LeadInput, fs: number, strideSec: number, chunkSec = 600): RhythmWindowStream {
  if (!(strideSec > 0)) throw new RangeError(`rhythm window stride must be positive, got ${strideSec}`);
  const lead = asLead(signal);
  const n125 = resampledLength(lead.length, fs, RHYTHM_FS);
  const stride = Math.max(1, Math.round(strideSec * RHYTHM_FS));
  const start125 = windowStarts(n125, stride);
  const n = start125.length;
  const nReal = start125.map((s) => Math.max(0, Math.min(RHYTHM_WINDOW, n125 - s)));
  const startSample = start125.map((s) => mapIndex(s, RHYTHM_FS, fs));
  const chunk = Math.max(1, Math.round(chunkSec * RHYTHM_FS));
  function* groups(): Generator<RhythmWindowGroup, void, undefined> {
    const scratch = new Float64Array(RHYTHM_WINDOW);
    for (let b = 0; b < n;) {
      // windows b..e-1 start within [start125[b], start125[b] + chunk)
      let e = b + 1;
      while (e < n && start125[e]! < start125[b]! + chunk) e++;
      const a = start125[b]!;
      const z = Math.min(n125, start125[e - 1]! + RHYTHM_WINDOW);
      const y = z > a ? filteredSpan(lead, fs, a, z, n125) : new Float32Array(0);
      const x = new Float32Array((e - b) * RHYTHM_WINDOW); // zeros: the padding of a short record's window
      cutWindows(y, a, x, b, e, start125, nReal, scratch);
      yield { from: b, count: e - b, x };
      b = e;
    }
  }
  return { n, startSample, start125, nReal, groups };
}

/** Every rhythm window of one lead at once (rhythmWindowStream's groups in one array); the result does not depend on chunkSec. */
export function rhythmWindows(signal: LeadInput, fs: number, strideSec: number, chunkSec = 600): RhythmWindows {
  const rw = rhythmWindowStream(signal, fs, strideSec, chunkSec);
  const x = new Float32Array(rw.n * RHYTHM_WINDOW);
  for (const g of rw.groups()) x.set(g.x, g.from * RHYTHM_WINDOW);
  return { x, startSample: rw.startSample, start125: rw.start125, nReal: rw.nReal };
}

// The one conditioning chain for beat morphology (beat windows for training and inference):
//   1. invalid samples (NaN) interpolated (fillInvalid),
//   2. baseline removed: x - median_600ms(median_200ms(x))  (de Chazal et al. 2004),
//   3. zero-phase Butterworth low-pass, order 4 run forward and backward, -6 dB at 35 Hz
//      (removes muscle noise and mains interference, keeps the QRS shape).
// The baseline's medians are exact where a span holds at most MAX_LEVELS distinct values (a lead at
// 360 Hz: its values are its stored integers); a span with more (a lead resampled to 360 Hz: nearly
// every sample its own value) has its values rounded to 1 µV first. A median commutes with a monotone
// map, so that baseline is the exact one rounded to 1 µV (a fifth of a 5-µV ADC step), and it runs
// on the histogram path instead of sorting the span (a 128-Hz Holter's leads: ~1.5 s of 8.5).
// For long records, conditionInChunks runs the same chain chunk by chunk with enough context
// on each side that the output matches the whole-record result to float precision.
import { DspError, requireRate } from './errors';
import { oddWidth } from './filters';
import { butterLowpass, filtfilt } from './iir';
import { fillInvalid } from './invalid';
import { cascadedMedian, quantise, type Ranked } from './median';
import { scratchFloat32 } from './scratch';

export const BEAT_LOWPASS_HZ = 35;

/** Steps per mV of the grid a many-valued span's baseline is rounded to (1 µV; the chain works in mV). */
export const BASELINE_GRID_PER_MV = 1000;

/**
 * The one chain the beat windows use (see the top of this file). `ranks`: x's values ranked
 * (median.ts quantise), from a reader that knows them; x then has no invalid sample.
 */
export function conditionForBeats(x: Float32Array, fs: number, ranks?: Ranked | null): Float32Array {
  requireRate(fs);
  const cutoff = Math.min(BEAT_LOWPASS_HZ, 0.45 * fs);
  // = lowpass(removeBaseline(x, fs), fs, cutoff), checking for invalid samples once, not three times
  const clean = ranks ? x : fillInvalid(x);
  const widths = [oddWidth(0.2, fs), oddWidth(0.6, fs)];
  const ranked = ranks ?? (clean.length > 64 ? (quantise(clean) ?? gridRanks(clean)) : null);
  const y = cascadedMedian(clean, widths, scratchFloat32('median', clean.length), ranked); // read by filtfilt below, not kept
  for (let i = 0; i < y.length; i++) y[i] = clean[i]! - y[i]!;
  return filtfilt(butterLowpass(fs, cutoff), y, Math.min(y.length - 1, Math.ceil(fs)));
}

/** The grid's values: level c is (c − 32768) µV in mV, as float32 (made on first use). */
let gridLevels: Float32Array | null = null;

/**
 * x's values rounded to the 1-µV grid (BASELINE_GRID_PER_MV) as codes: rounded µV + 32768, with the
 * grid's values as levels (most without a sample: the histogram median skips them); null when a
 * value lies outside ±32.768 mV (a span no ECG lead holds; its exact ranks then, median-dense.ts).
 */
export function gridRanks(x: Float32Array): Ranked | null {
  const n = x.length;
  const codes = new Uint16Array(n);
  for (let i = 0; i < n; i++) {
    // floor(v + 32768.5) = round(v) + 32768, halves up (the sum is exact in a double for a float32 x)
    const t = x[i]! * BASELINE_GRID_PER_MV + 32768.5;
    if (!(t >= 0 && t < 65536)) return null; // also a non-finite value
    codes[i] = t; // a Uint16Array truncates: the floor of a positive t
  }
  if (!gridLevels) {
    gridLevels = new Float32Array(65536);
    for (let c = 0; c < 65536; c++) gridLevels[c] = (c - 32768) / BASELINE_GRID_PER_MV;
  }
  return { codes, levels: gridLevels };
}

/** Samples of context each side that make a chunk's conditioned output equal to the whole record's. */
export function conditionContext(fs: number): number {
  // both median half-widths exactly, plus 1 s for the low-pass (its impulse response has decayed
  // below 1e-7 of its peak by then) and 0.5 s for the filtfilt end reflection.
  return (oddWidth(0.2, fs) >> 1) + (oddWidth(0.6, fs) >> 1) + Math.ceil(1.5 * fs);
}

/** Reads samples [from, to) of one signal. */
export type SampleReader = (from: number, to: number) => Promise<Float32Array> | Float32Array;

/**
 * conditionForBeats over a long signal of n samples in bounded memory: reads chunks of
 * `chunkSeconds` (plus conditionContext on each side) and hands each conditioned chunk, without
 * its context, to `emit(from, y)` in order.
 */
export async function conditionInChunks(
  read: SampleReader,
  n: number,
  fs: number,
  emit: (from: number, y: Float32Array) => void | Promise<void>,
  chunkSeconds = 600
): Promise<void> {
  requireRate(fs);
  if (!(chunkSeconds > 0)) throw new DspError(`chunkSeconds must be positive, got ${chunkSeconds}`);
  const chunk = Math.max(1, Math.round(chunkSeconds * fs));
  const ctx = conditionContext(fs);
  for (let from = 0; from < n; from += chunk) {
    const to = Math.min(n, from + chunk);
    const a = Math.max(0, from - ctx);
    const b = Math.min(n, to + ctx);
    const x = await read(a, b);
    if (x.length !== b - a) throw new DspError(`reader returned ${x.length} samples for [${a}, ${b})`);
    const y = conditionForBeats(x, fs);
    await emit(from, y.slice(from - a, to - a));
  }
}

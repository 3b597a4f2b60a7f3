// The one conditioning chain for beat morphology (beat windows for training and inference):
//   1. invalid samples (NaN) interpolated (fillInvalid),
//   2. baseline removed: x - median_600ms(median_200ms(x))  (de Chazal et al. 2004),
//   3. zero-phase Butterworth low-pass, order 4 run forward and backward, -6 dB at 35 Hz
//      (removes muscle noise and mains interference, keeps the QRS shape).
// For long records, conditionInChunks runs the same chain chunk by chunk with enough context
// on each side that the output matches the whole-record result to float precision.
import { DspError, requireRate } from './errors';
import { oddWidth } from './filters';
import { butterLowpass, filtfilt } from './iir';
import { fillInvalid } from './invalid';
import { cascadedMedian, type Ranked } from './median';
import { scratchFloat32 } from './scratch';

export const BEAT_LOWPASS_HZ = 35;

/**
 * The exact chain the beat windows use (see the top of this file). `ranks`: x's values ranked
 * (median.ts quantise), from a reader that knows them; x then has no invalid sample.
 */
export function conditionForBeats(x: Float32Array, fs: number, ranks?: Ranked | null): Float32Array {
  requireRate(fs);
  const cutoff = Math.min(BEAT_LOWPASS_HZ, 0.45 * fs);
  // = lowpass(removeBaseline(x, fs), fs, cutoff), checking for invalid samples once, not three times
  const clean = ranks ? x : fillInvalid(x);
  const y = cascadedMedian(clean, [oddWidth(0.2, fs), oddWidth(0.6, fs)], scratchFloat32('median', clean.length), ranks); // read by filtfilt below, not kept
  for (let i = 0; i < y.length; i++) y[i] = clean[i]! - y[i]!;
  return filtfilt(butterLowpass(fs, cutoff), y, Math.min(y.length - 1, Math.ceil(fs)));
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

// The filters the app uses on ECG: baseline-wander removal and zero-phase low/band-pass.
import { requireRate } from './errors';
import { butterHighpass, butterLowpass, filtfilt } from './iir';
import { fillInvalid } from './invalid';
import { cascadedMedian } from './median';

/** Odd number of samples closest to `seconds` at fs (at least 1). */
export function oddWidth(seconds: number, fs: number): number {
  const w = Math.max(1, Math.round(seconds * fs));
  return w % 2 === 1 ? w : w + 1;
}

/** The baseline that removeBaseline subtracts: 600 ms median of the 200 ms median (de Chazal et al. 2004). */
export function baseline(x: Float32Array, fs: number): Float32Array {
  requireRate(fs);
  const clean = fillInvalid(x);
  return cascadedMedian(clean, [oddWidth(0.2, fs), oddWidth(0.6, fs)]);
}

/**
 * Baseline-wander removal of de Chazal, O'Dwyer & Reilly 2004: a 200 ms median filter removes
 * QRS complexes and P waves, a 600 ms median of that removes T waves, and what remains (the
 * baseline) is subtracted from the signal. Zero phase, amplitude of the QRS kept.
 */
export function removeBaseline(x: Float32Array, fs: number): Float32Array {
  const clean = fillInvalid(x);
  const b = baseline(clean, fs);
  const y = new Float32Array(clean.length);
  for (let i = 0; i < y.length; i++) y[i] = clean[i]! - b[i]!;
  return y;
}

/** Zero-phase Butterworth low-pass (order 4 each way; -6 dB at cutoffHz). */
export function lowpass(x: Float32Array, fs: number, cutoffHz: number, order = 4): Float32Array {
  return filtfilt(butterLowpass(fs, cutoffHz, order), fillInvalid(x), Math.min(x.length - 1, Math.ceil(fs)));
}

/** Zero-phase Butterworth high-pass (order 2 each way by default; -6 dB at cutoffHz). */
export function highpass(x: Float32Array, fs: number, cutoffHz: number, order = 2): Float32Array {
  return filtfilt(butterHighpass(fs, cutoffHz, order), fillInvalid(x), Math.min(x.length - 1, Math.ceil(4 * fs)));
}

/** Zero-phase Butterworth band-pass: high-pass at loHz then low-pass at hiHz (each order 2 each way). */
export function bandpass(x: Float32Array, fs: number, loHz: number, hiHz: number, order = 2): Float32Array {
  const sos = [...butterHighpass(fs, loHz, order), ...butterLowpass(fs, hiHz, order)];
  return filtfilt(sos, fillInvalid(x), Math.min(x.length - 1, Math.ceil(4 * fs)));
}

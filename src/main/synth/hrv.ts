// Heart-rate variability as in McSharry et al. 2003 (ECGSYN): the RR tachogram's spectrum is the
// sum of two Gaussians, Mayer waves (LF, ~0.1 Hz) and respiratory sinus arrhythmia (HF, at the
// breathing rate), with a chosen LF/HF power ratio. ECGSYN draws it by inverse FFT with random
// phases; here the same spectrum is sampled by a sum of random-phase sinusoids with frequencies
// drawn from each Gaussian (spectral representation), which is evaluable at any time without
// storing a series — so a 24-hour tachogram costs nothing to keep.
import type { Rng } from './prng';

export interface HrvOptions {
  /** LF centre and spread, Hz (McSharry: 0.1, 0.01). */
  lfHz: number;
  lfSdHz: number;
  /** HF centre (breathing rate) and spread, Hz (McSharry: 0.25, 0.01). */
  hfHz: number;
  hfSdHz: number;
  /** LF/HF power ratio (McSharry: 0.5). */
  lfHfRatio: number;
  /** Standard deviation of RR relative to its mean (default 0.03: SDNN ≈ 25 ms at 70 bpm). */
  relSd: number;
}

export const DEFAULT_HRV: HrvOptions = { lfHz: 0.1, lfSdHz: 0.01, hfHz: 0.25, hfSdHz: 0.01, lfHfRatio: 0.5, relSd: 0.03 };

/** Relative RR modulation m(t): RR = mean RR × (1 + m(t)), zero mean, standard deviation relSd. */
export type Modulation = (tSec: number) => number;

export function createHrv(rng: Rng, o: HrvOptions, components = 32): Modulation {
  const total = o.relSd * o.relSd;
  const pLf = (total * o.lfHfRatio) / (1 + o.lfHfRatio);
  const pHf = total / (1 + o.lfHfRatio);
  const n = 2 * components;
  const w = new Float64Array(n);
  const phase = new Float64Array(n);
  const amp = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const lf = i < components;
    const f = Math.max(0.003, (lf ? o.lfHz : o.hfHz) + (lf ? o.lfSdHz : o.hfSdHz) * rng.normal());
    w[i] = 2 * Math.PI * f;
    phase[i] = 2 * Math.PI * rng.next();
    amp[i] = Math.sqrt((2 * (lf ? pLf : pHf)) / components); // each sinusoid carries power amp²/2
  }
  return (t) => {
    let m = 0;
    for (let i = 0; i < n; i++) m += amp[i]! * Math.sin(w[i]! * t + phase[i]!);
    return m;
  };
}

// Fibrillatory waves of atrial fibrillation: the sawtooth model of Stridh & Sörnmo 2001
// (IEEE TBME 48(1)): f(t) = -Σ_k (2/(kπ)) a(t) sin(k θ(t)), with a frequency-modulated phase
// θ(t) = 2π f0 t + (Δf/ff) sin(2π ff t) and a slowly varying amplitude a(t) = a + Δa sin(2π fa t).
// A pure function of time, so chunked rendering needs no state.
import type { Rng } from './prng';

export interface FwaveParams {
  /** Dominant atrial frequency, Hz (4–9 Hz in AF). */
  f0: number;
  /** Frequency deviation and modulation rate, Hz. */
  df: number;
  ff: number;
  /** Amplitude per lead, mV, its relative modulation depth and rate (Hz). */
  amp: readonly [number, number];
  depth: number;
  fa: number;
  harmonics: number;
  /** Phase offsets, radians. */
  phase: number;
  ampPhase: number;
}

/** Draws an episode's f-wave parameters: f0 in 5–7.5 Hz, so f0 ± Δf stays inside 4–9 Hz. */
export function drawFwave(rng: Rng): FwaveParams {
  return {
    f0: rng.uniform(5, 7.5),
    df: rng.uniform(0.1, 0.3),
    ff: rng.uniform(0.08, 0.15),
    amp: [rng.uniform(0.03, 0.06), rng.uniform(0.07, 0.13)], // largest in V1
    depth: rng.uniform(0.2, 0.4),
    fa: rng.uniform(0.05, 0.12),
    harmonics: 3,
    phase: 2 * Math.PI * rng.next(),
    ampPhase: 2 * Math.PI * rng.next(),
  };
}

/** f-wave value (mV, before the lead's amplitude: multiply by p.amp[lead]) at `t` seconds into the episode. */
export function fwaveUnit(p: FwaveParams, t: number): number {
  const theta = 2 * Math.PI * p.f0 * t + (p.df / p.ff) * Math.sin(2 * Math.PI * p.ff * t) + p.phase;
  const a = 1 + p.depth * Math.sin(2 * Math.PI * p.fa * t + p.ampPhase);
  let v = 0;
  for (let k = 1; k <= p.harmonics; k++) v -= (2 / (k * Math.PI)) * Math.sin(k * theta);
  return a * v;
}

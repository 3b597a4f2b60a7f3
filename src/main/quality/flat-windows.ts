// A rhythm-model window whose lead is a flat line holds no rhythm: an electrode off, or the
// recorder off the patient. The model never saw a flat line in training and read one as VT
// (P 0.57 throughout); with no beats in it, the VF rule ("no organised QRS") then reported ten
// minutes of a disconnected record as VF. Such windows are given no rhythm; the stretch is
// reported unreadable (NOISE) by the signal quality.
import { QUALITY } from './sqi';

/**
 * Per window: 1 when the lead is flat (QUALITY.FLAT in its per-second flags, second s covering
 * samples [s·per, (s+1)·per), per = round(fs)) on at least half of the seconds the window touches.
 */
export function flatWindows(flags: Uint8Array, startSample: Int32Array, windowSamples: number, fs: number): Uint8Array {
  const per = Math.round(fs);
  const out = new Uint8Array(startSample.length);
  for (let w = 0; w < startSample.length; w++) {
    const a = Math.floor(startSample[w]! / per);
    const b = Math.min(flags.length - 1, Math.floor((startSample[w]! + windowSamples - 1) / per));
    let flat = 0;
    for (let s = a; s <= b; s++) if (flags[s]! & QUALITY.FLAT) flat++;
    if (b >= a && 2 * flat >= b - a + 1) out[w] = 1;
  }
  return out;
}

/**
 * The rhythm probabilities with each flagged window's replaced by certainty of the first class that
 * is no episode type ('other'; all zeros when the model has none); a copy when any window is flagged.
 */
export function withoutRhythm(probs: Float32Array, classes: readonly string[], flagged: Uint8Array, isEpisodeClass: (c: string) => boolean): Float32Array {
  if (!flagged.includes(1)) return probs;
  const K = classes.length;
  const other = classes.findIndex((c) => !isEpisodeClass(c));
  const out = probs.slice();
  for (let w = 0; w < flagged.length; w++) {
    if (!flagged[w]) continue;
    out.fill(0, w * K, (w + 1) * K);
    if (other >= 0) out[w * K + other] = 1;
  }
  return out;
}

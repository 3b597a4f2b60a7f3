// What a synthetic record contains, in time order: the scenario's script, read by the schedule
// builder (schedule.ts). Durations are seconds of record time.
import type { HrvOptions } from './hrv';
import type { NoiseOptions } from './noise';

/** Per-beat probabilities of ectopy during sinus rhythm. */
export interface Ectopy {
  /** An ectopic ventricular event (an isolated PVC, a couplet or a triplet) before a sinus beat. */
  pvc: number;
  /** A premature atrial beat before a sinus beat. */
  pac: number;
  /** Fraction of PVCs from the secondary foci (multifocal); the rest come from the dominant focus. */
  multifocal: number;
  /** Fraction of ventricular events that are couplets, and triplets (a 3-beat run: "(VT" as in MIT-BIH). */
  couplet: number;
  triplet: number;
}

export const NO_ECTOPY: Ectopy = { pvc: 0, pac: 0, multifocal: 0, couplet: 0, triplet: 0 };

export type Segment =
  | { kind: 'sinus'; seconds: number; ectopy?: Ectopy }
  /** Atrial fibrillation: irregularly irregular RR, no P waves, f-waves; `pvc` per beat. */
  | { kind: 'af'; seconds: number; pvc?: number }
  /** Ventricular bigeminy (N V N V ...) or trigeminy (N N V ...), dominant focus. */
  | { kind: 'bigeminy' | 'trigeminy'; seconds: number }
  /** Monomorphic ventricular tachycardia run from focus `focus` (index into the foci). */
  | { kind: 'vt'; beats: number; bpm: number; focus?: number }
  /** An explicit ventricular event: `run` consecutive PVCs from focus `focus`, or when absent from
   *  the dominant focus, or with `multifocal` each from a random secondary focus. */
  | { kind: 'pvc'; run: number; focus?: number; multifocal?: boolean }
  | { kind: 'pac' }
  /** Sinus arrest: no beat for `seconds`. */
  | { kind: 'pause'; seconds: number };

export interface Plan {
  /** Record length, seconds. */
  seconds: number;
  segments: Segment[];
  /** Ectopy of the sinus rhythm that fills the record after the last segment. */
  fill: Ectopy;
  /** Sinus rate (bpm) as a function of time: circadian rhythm and activity. */
  bpm(tSec: number): number;
  /** Physical activity 0..1, scaling muscle noise and electrode motion. */
  activity(tSec: number): number;
  hrv: HrvOptions;
  /** Number of ventricular foci (1 dominant + secondary ones). */
  foci: number;
  noise: NoiseOptions | null;
}

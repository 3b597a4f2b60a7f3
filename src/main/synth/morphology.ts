// Beat shapes: each beat is a sum of Gaussian events in time around its fiducial point (the R
// peak), McSharry et al. 2003's P, Q, R, S, T events written in closed form (as in Sameni et al.
// 2007) instead of integrating the ODE, so every beat can be placed exactly on its annotated
// sample. Two leads: an MLII-like limb lead and a V1-like precordial lead.
import type { Rng } from './prng';

export const LEAD_NAMES = ['MLII', 'V1'] as const;
export const LEADS = LEAD_NAMES.length;

/** How an event's time and width follow the preceding RR interval. */
export type WaveKind = 'p' | 'qrs' | 't';

export interface Wave {
  kind: WaveKind;
  /** Centre relative to the fiducial point, seconds (at RR = 1 s for P and T). */
  t: number;
  /** Gaussian standard deviation, seconds (at RR = 1 s for T). */
  sigma: number;
  /** Amplitude in mV, per lead. */
  amp: readonly [number, number];
}

export interface Morphology {
  name: string;
  waves: readonly Wave[];
}

/** A record's set of shapes: the "patient". Index 0 is the sinus beat. */
export interface MorphologySet {
  /** Sinus beat: P wave, narrow QRS, concordant T. */
  sinus: number;
  /** Premature atrial beat: ectopic P, the sinus QRS and T. */
  pac: number;
  /** Ventricular foci (wide QRS, no P, discordant T); index 0 is the dominant (unifocal) focus. */
  foci: readonly number[];
  shapes: readonly Morphology[];
}

const clampRr = (rr: number): number => Math.min(1.6, Math.max(0.3, rr));

/** Time offset and width of a wave for a beat whose preceding RR is `rr` seconds. */
export function waveTiming(w: Wave, rr: number): { t: number; sigma: number } {
  const r = clampRr(rr);
  if (w.kind === 't') {
    const k = Math.sqrt(r); // Bazett: QT ∝ √RR
    return { t: w.t * k, sigma: w.sigma * k };
  }
  if (w.kind === 'p') return { t: w.t * (0.85 + 0.15 * r), sigma: w.sigma }; // PR shortens a little with rate
  return { t: w.t, sigma: w.sigma };
}

/** Value of lead `lead` of a shape at time `t` (s) from the fiducial, RR = 1 s, P present. */
export function evaluate(m: Morphology, lead: number, t: number): number {
  let v = 0;
  for (const w of m.waves) {
    const d = (t - w.t) / w.sigma;
    v += w.amp[lead]! * Math.exp(-0.5 * d * d);
  }
  return v;
}

/**
 * Shifts the QRS events so that the largest absolute value of lead 0 within ±100 ms falls exactly
 * on t = 0: the annotated sample is then the R peak (or the PVC's dominant deflection).
 */
export function alignFiducial(m: Morphology): Morphology {
  const qrsOnly: Morphology = { name: m.name, waves: m.waves.filter((w) => w.kind === 'qrs') };
  let best = 0;
  let bestV = -1;
  for (let i = -1000; i <= 1000; i++) {
    const t = i * 1e-4;
    const v = Math.abs(evaluate(qrsOnly, 0, t));
    if (v > bestV) {
      bestV = v;
      best = t;
    }
  }
  return { name: m.name, waves: m.waves.map((w) => (w.kind === 'qrs' ? { ...w, t: w.t - best } : w)) };
}

function sinusShape(rng: Rng): Morphology {
  const r = rng.uniform(1.0, 1.6);
  const p = rng.uniform(0.12, 0.2);
  const tw = rng.uniform(0.25, 0.4);
  const v1s = rng.uniform(0.8, 1.3);
  return {
    name: 'sinus',
    waves: [
      { kind: 'p', t: -0.19, sigma: 0.024, amp: [p, 0.06] },
      { kind: 'p', t: -0.15, sigma: 0.018, amp: [0, -0.05] },
      { kind: 'qrs', t: -0.022, sigma: 0.008, amp: [-rng.uniform(0.05, 0.15), 0] },
      { kind: 'qrs', t: -0.012, sigma: 0.008, amp: [0, rng.uniform(0.15, 0.35)] },
      { kind: 'qrs', t: 0, sigma: rng.uniform(0.009, 0.011), amp: [r, 0] },
      { kind: 'qrs', t: 0.016, sigma: 0.011, amp: [0, -v1s] },
      { kind: 'qrs', t: 0.024, sigma: 0.009, amp: [-rng.uniform(0.15, 0.35), 0] },
      { kind: 't', t: 0.24, sigma: 0.055, amp: [0.6 * tw, rng.uniform(0.03, 0.12)] },
      { kind: 't', t: 0.3, sigma: 0.035, amp: [0.55 * tw, 0.05] },
    ],
  };
}

/** Same QRS and T as the sinus beat, with an ectopic P wave: inverted (low atrial) or peaked and early. */
function pacShape(rng: Rng, sinus: Morphology): Morphology {
  const inverted = rng.chance(0.5);
  const p: Wave[] = inverted
    ? [{ kind: 'p', t: -0.15, sigma: 0.02, amp: [-rng.uniform(0.1, 0.16), 0.08] }]
    : [
        { kind: 'p', t: -0.21, sigma: 0.016, amp: [rng.uniform(0.2, 0.28), -0.06] },
        { kind: 'p', t: -0.17, sigma: 0.014, amp: [-0.04, 0.04] },
      ];
  return { name: 'pac', waves: [...p, ...sinus.waves.filter((w) => w.kind !== 'p')] };
}

/**
 * A ventricular focus: one wide dominant deflection (σ 28–38 ms, so the QRS lasts ≥ 120 ms), a
 * notch of opposite sign, no P wave and a T wave discordant to the QRS. Right-ventricular foci
 * give a left-bundle-branch-like V1 (deep QS), left-ventricular ones a right-bundle-like V1 (tall R).
 */
function focusShape(rng: Rng, k: number): Morphology {
  const s0 = rng.chance(k === 0 ? 0.75 : 0.5) ? 1 : -1;
  const rv = rng.chance(0.5);
  const a0 = s0 * rng.uniform(1.3, 2.2);
  const a1 = (rv ? -1 : 1) * rng.uniform(0.9, 1.6);
  const notchT = (rng.chance(0.5) ? 1 : -1) * rng.uniform(0.045, 0.06);
  return {
    name: `pvc${k}`,
    waves: [
      { kind: 'qrs', t: 0, sigma: rng.uniform(0.028, 0.038), amp: [a0, a1] },
      { kind: 'qrs', t: notchT, sigma: rng.uniform(0.02, 0.028), amp: [-a0 * rng.uniform(0.2, 0.45), -a1 * rng.uniform(0.15, 0.35)] },
      { kind: 't', t: rng.uniform(0.3, 0.34), sigma: rng.uniform(0.07, 0.09), amp: [-s0 * rng.uniform(0.3, 0.6), -Math.sign(a1) * rng.uniform(0.2, 0.4)] },
    ],
  };
}

/** A patient's shapes, drawn from `rng`: sinus, PAC and `foci` ventricular foci. */
export function createMorphologies(rng: Rng, foci = 4): MorphologySet {
  const sinus = alignFiducial(sinusShape(rng));
  const shapes: Morphology[] = [sinus, alignFiducial(pacShape(rng, sinus))];
  const fociIdx: number[] = [];
  for (let k = 0; k < foci; k++) {
    fociIdx.push(shapes.length);
    shapes.push(alignFiducial(focusShape(rng, k)));
  }
  return { sinus: 0, pac: 1, foci: fociIdx, shapes };
}

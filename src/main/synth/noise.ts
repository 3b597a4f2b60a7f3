// Recording noise, the three kinds of the MIT-BIH Noise Stress Test Database: baseline wander
// (respiration plus a random drift below 0.5 Hz), muscle artefact (broadband EMG, scaled by
// activity) and electrode motion (transient bursts: offsets with exponential recovery and
// 1–8 Hz oscillations, more frequent with activity). Each kind has unit expected power at
// activity 1; the mix is scaled to a signal-to-noise ratio defined as in WFDB's `nst`:
// S = (QRS peak-to-peak amplitude)² / 8, SNR = 10 log10(S / noise power).
// Every generator is chunk-invariant: rendering [a, b) then [b, c) equals rendering [a, c).
import { createRng } from './prng';

export interface NoiseOptions {
  /** SNR in dB of the whole mix at activity `atActivity` (lower activity lowers muscle and motion noise). */
  snrDb: number;
  /** The activity (0..1) at which the mix has `snrDb` (default 1: a record at rest is cleaner). */
  atActivity?: number;
  /** Relative power of each kind (normalised to sum 1). */
  baseline: number;
  muscle: number;
  motion: number;
}

/** Knot spacing (s) of the smooth components, linearly interpolated in between. */
const KNOT = 0.05;
const DRIFT_COMPONENTS = 12;
/** Electrode-motion events per second at activity 1. */
const MOTION_RATE = 0.1;

interface MotionEvent {
  start: number; // sample
  length: number; // samples
  dur: number; // s
  /** Per-lead amplitude, normal with variance 1/MOTION_RATE: with unit-energy shapes, unit expected power at activity 1. */
  amp: Float64Array;
  tau: number; // s, offset recovery
  freq: number; // Hz
  mix: number; // share of the offset vs the oscillation
  phase: number;
  norm: number; // 1/sqrt(energy of the unscaled shape, in mV²·s): makes the shape unit-energy
}

export interface NoiseSource {
  /** Adds the noise for samples [from, from + out[0].length) to `out` (one array per lead). */
  addTo(out: Float64Array[], from: number): void;
}

/**
 * A noise source for `leads` leads at `fs` over `nSamples`. `scale[l]` is the rms (mV) of the
 * whole mix on lead l at activity 1; `respHz` is the breathing rate shared with the HRV.
 */
export function createNoise(
  seed: number,
  o: NoiseOptions,
  fs: number,
  nSamples: number,
  scale: readonly number[],
  respHz: number,
  activity: (tSec: number) => number
): NoiseSource {
  const leads = scale.length;
  const rng = createRng(seed, 'noise-smooth');
  const sum = o.baseline + o.muscle + o.motion || 1;
  // expected power of the unit-scaled mix at the calibration activity: baseline as is, muscle by
  // its envelope squared, motion by its event rate (see addTo and the event thinning below)
  const aRef = o.atActivity ?? 1;
  const refPower = (o.baseline + o.muscle * (0.3 + 0.7 * aRef) ** 2 + o.motion * (0.1 + 0.9 * aRef)) / sum;
  const norm = aRef === 1 ? 1 : 1 / Math.sqrt(refPower);
  const gBw = scale.map((s) => norm * s * Math.sqrt(o.baseline / sum));
  const gMa = scale.map((s) => norm * s * Math.sqrt(o.muscle / sum));
  const gEm = scale.map((s) => norm * s * Math.sqrt(o.motion / sum));

  // Baseline: 40 % of its power from breathing, 60 % from a random drift in 0.02–0.5 Hz.
  const respPhase = Array.from({ length: leads }, () => 2 * Math.PI * rng.next());
  const respAmp = Math.sqrt(2 * 0.4);
  const driftW = new Float64Array(leads * DRIFT_COMPONENTS);
  const driftP = new Float64Array(leads * DRIFT_COMPONENTS);
  const driftAmp = Math.sqrt((2 * 0.6) / DRIFT_COMPONENTS);
  for (let i = 0; i < driftW.length; i++) {
    driftW[i] = 2 * Math.PI * Math.exp(Math.log(0.02) + rng.next() * Math.log(0.5 / 0.02));
    driftP[i] = 2 * Math.PI * rng.next();
  }
  const baselineAt = (l: number, t: number): number => {
    let v = respAmp * Math.sin(2 * Math.PI * respHz * t + respPhase[l]!);
    for (let k = 0; k < DRIFT_COMPONENTS; k++) {
      const i = l * DRIFT_COMPONENTS + k;
      v += driftAmp * Math.sin(driftW[i]! * t + driftP[i]!);
    }
    return v;
  };

  // Muscle: white Gaussian noise through a one-pole low-pass at min(100 Hz, 0.4 fs), unit variance.
  const fc = Math.min(100, 0.4 * fs);
  const a = Math.exp((-2 * Math.PI * fc) / fs);
  const maNorm = Math.sqrt((1 + a) / (1 - a));
  const maState = new Float64Array(leads);
  // one stream per lead, consumed strictly in sample order, so chunking does not change it
  const maRng = Array.from({ length: leads }, (_, l) => createRng(seed, `noise-muscle-${l}`));
  let maNext = 0; // next sample index the muscle generator will produce

  // Electrode motion: a Poisson process thinned by activity, drawn up front (a few thousand a day).
  const events: MotionEvent[] = [];
  const evRng = createRng(seed, 'noise-motion');
  for (let t = 0; ;) {
    t += -Math.log(1 - evRng.next()) / MOTION_RATE;
    if (t * fs >= nSamples) break;
    if (evRng.next() >= 0.1 + 0.9 * activity(t)) continue;
    const dur = evRng.uniform(0.4, 2);
    const ev: MotionEvent = {
      start: Math.floor(t * fs),
      length: Math.max(2, Math.round(dur * fs)),
      dur,
      amp: Float64Array.from({ length: leads }, () => evRng.normal() / Math.sqrt(MOTION_RATE)),
      tau: evRng.uniform(0.1, 0.5) * dur,
      freq: evRng.uniform(1, 8),
      mix: evRng.uniform(0.2, 0.8),
      phase: 2 * Math.PI * evRng.next(),
      norm: 1,
    };
    let e = 0;
    for (let i = 0; i < ev.length; i++) e += motionShape(ev, i / fs) ** 2;
    ev.norm = 1 / Math.sqrt(e / fs);
    events.push(ev);
  }
  let evFirst = 0;
  const perKnot = 1 / (fs * KNOT);

  return {
    addTo(out, from) {
      const n = out[0]!.length;
      if (from !== maNext) throw new RangeError(`noise must be rendered in order: expected sample ${maNext}, got ${from}`);
      // Smooth parts at knots, interpolated.
      const k0 = Math.floor(from * perKnot);
      const k1 = Math.ceil((from + n) * perKnot) + 1;
      const knots = k1 - k0 + 1;
      const bw = new Float64Array(knots * leads);
      const act = new Float64Array(knots);
      for (let k = 0; k < knots; k++) {
        const t = (k0 + k) * KNOT;
        act[k] = 0.3 + 0.7 * activity(t);
        for (let l = 0; l < leads; l++) bw[k * leads + l] = baselineAt(l, t);
      }
      for (let l = 0; l < leads; l++) {
        const o = out[l]!;
        const rl = maRng[l]!;
        const gb = gBw[l]!;
        const gm = gMa[l]! * maNorm;
        let st = maState[l]!;
        for (let i = 0; i < n; i++) {
          // position in knots from the absolute sample index only, so every chunking gives the same f
          const x = (from + i) * perKnot;
          const kx = Math.floor(x);
          const f = x - kx;
          const k = kx - k0;
          const env = act[k]! + f * (act[k + 1]! - act[k]!);
          const b0 = bw[k * leads + l]!;
          const b = b0 + f * (bw[(k + 1) * leads + l]! - b0);
          st = a * st + (1 - a) * rl.normal();
          o[i] += gb * b + gm * env * st;
        }
        maState[l] = st;
      }
      maNext = from + n;
      // Motion events overlapping [from, from + n).
      while (evFirst < events.length && events[evFirst]!.start + events[evFirst]!.length <= from) evFirst++;
      for (let j = evFirst; j < events.length && events[j]!.start < from + n; j++) {
        const ev = events[j]!;
        const i0 = Math.max(from, ev.start);
        const i1 = Math.min(from + n, ev.start + ev.length);
        for (let s = i0; s < i1; s++) {
          const v = ev.norm * motionShape(ev, (s - ev.start) / fs);
          for (let l = 0; l < leads; l++) out[l]![s - from] += gEm[l]! * ev.amp[l]! * v;
        }
      }
    },
  };
}

/**
 * Unscaled electrode-motion transient at `t` s from its start: an offset with a 20 ms rise and an
 * exponential recovery, tapered to zero at the end, plus a Hann-windowed oscillation.
 */
function motionShape(ev: MotionEvent, t: number): number {
  const x = t / ev.dur;
  const offset = (1 - Math.exp(-t / 0.02)) * Math.exp(-t / ev.tau) * (1 - x * x);
  const osc = Math.sin(2 * Math.PI * ev.freq * t + ev.phase) * (0.5 - 0.5 * Math.cos(2 * Math.PI * x));
  return ev.mix * offset + (1 - ev.mix) * osc;
}

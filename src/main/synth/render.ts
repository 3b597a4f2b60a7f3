// Draws a schedule into ADC samples, chunk by chunk: per chunk, the Gaussian events of the beats
// that reach into it, the f-waves of AF episodes, then the noise, then quantisation. Working
// memory is one chunk of float samples per lead; the output is the record's Int16Array per lead.
import { waveTiming, type Morphology } from './morphology';
import type { FwaveParams } from './fwave';
import { fwaveUnit } from './fwave';
import type { NoiseSource } from './noise';
import type { ScheduledBeat } from './schedule';

export interface AfInterval {
  /** Seconds. */
  start: number;
  end: number;
  params: FwaveParams;
}

export interface RenderInput {
  fs: number;
  nSamples: number;
  beats: readonly ScheduledBeat[];
  shapes: readonly Morphology[];
  af: readonly AfInterval[];
  noise: NoiseSource | null;
  /** ADC units per mV, and the storable range. */
  gain: number;
  min: number;
  max: number;
}

export const CHUNK = 1 << 16;
/** Gaussian events are drawn over ±SUPPORT standard deviations (exp(-8) ≈ 3e-4 of the peak beyond). */
const SUPPORT = 4;
/** f-waves fade in and out over this many seconds. */
const AF_RAMP = 0.5;

/** The fiducial sample of a beat: the annotated R peak. */
export const beatSample = (b: ScheduledBeat, fs: number): number => Math.round(b.time * fs);

/** Renders `input` into `out` (one Int16Array of nSamples per lead); returns the number of clipped samples. */
export function render(input: RenderInput, out: Int16Array[], onProgress?: (fraction: number) => void): number {
  const { fs, nSamples, beats, shapes } = input;
  const leads = out.length;
  // How far any beat reaches before and after its fiducial point (s), over the RR range used.
  let pre = 0;
  let post = 0;
  for (const m of shapes)
    for (const w of m.waves)
      for (const rr of [0.3, 1.6]) {
        const { t, sigma } = waveTiming(w, rr);
        pre = Math.max(pre, -(t - SUPPORT * sigma));
        post = Math.max(post, t + SUPPORT * sigma);
      }
  const preS = Math.ceil(pre * fs) + 1;
  const postS = Math.ceil(post * fs) + 1;
  const buf = Array.from({ length: leads }, () => new Float64Array(CHUNK));
  let clipped = 0;
  let first = 0;
  for (let c0 = 0; c0 < nSamples; c0 += CHUNK) {
    const n = Math.min(CHUNK, nSamples - c0);
    const c1 = c0 + n;
    const view = buf.map((b) => (n === CHUNK ? b : b.subarray(0, n)));
    for (const v of view) v.fill(0);

    while (first < beats.length && beatSample(beats[first]!, fs) + postS < c0) first++;
    for (let j = first; j < beats.length; j++) {
      const b = beats[j]!;
      const s = beatSample(b, fs);
      if (s - preS >= c1) break;
      const rr = j > 0 ? b.time - beats[j - 1]!.time : 1;
      drawBeat(shapes[b.shape]!, b, s, rr, fs, c0, c1, view);
    }

    for (const ep of input.af) {
      const a = Math.max(c0, Math.ceil(ep.start * fs));
      const e = Math.min(c1, Math.ceil(ep.end * fs));
      for (let i = a; i < e; i++) {
        const t = i / fs;
        const ramp = Math.min(1, (t - ep.start) / AF_RAMP, (ep.end - t) / AF_RAMP);
        const v = ramp * fwaveUnit(ep.params, t - ep.start);
        for (let l = 0; l < leads; l++) view[l]![i - c0] += ep.params.amp[l]! * v;
      }
    }

    input.noise?.addTo(view, c0);

    for (let l = 0; l < leads; l++) {
      const src = view[l]!;
      const dst = out[l]!;
      for (let i = 0; i < n; i++) {
        let q = Math.round(src[i]! * input.gain);
        if (q < input.min) {
          q = input.min;
          clipped++;
        } else if (q > input.max) {
          q = input.max;
          clipped++;
        }
        dst[c0 + i] = q;
      }
    }
    onProgress?.(c1 / nSamples);
  }
  return clipped;
}

/** Adds the part of one beat inside [c0, c1) to the chunk buffers. */
function drawBeat(m: Morphology, b: ScheduledBeat, s: number, rr: number, fs: number, c0: number, c1: number, out: Float64Array[]): void {
  for (const w of m.waves) {
    const p = w.kind === 'p';
    if (p && b.p === 0) continue;
    const { t, sigma } = waveTiming(w, rr);
    const centre = s + t * fs;
    const sd = sigma * fs;
    const i0 = Math.max(c0, Math.ceil(centre - SUPPORT * sd));
    const i1 = Math.min(c1 - 1, Math.floor(centre + SUPPORT * sd));
    if (i1 < i0) continue;
    const a0 = w.amp[0] * (p ? b.p : b.gain[0]);
    const a1 = w.amp[1] * (p ? b.p : b.gain[1]);
    const o0 = out[0]!;
    const o1 = out[1];
    // exp(k d²) by recurrence: g(d+1) = g(d)·r(d), r(d+1) = r(d)·q, q = exp(2k) (relative error ~1e-13)
    const k = -0.5 / (sd * sd);
    const d0 = i0 - centre;
    let g = Math.exp(k * d0 * d0);
    let r = Math.exp(k * (2 * d0 + 1));
    const q = Math.exp(2 * k);
    for (let i = i0; i <= i1; i++) {
      o0[i - c0] += a0 * g;
      if (o1) o1[i - c0] += a1 * g;
      g *= r;
      r *= q;
    }
  }
}

// Butterworth filters as cascades of biquads (bilinear transform with pre-warping, RBJ form),
// run forward and backward (filtfilt) for zero phase. Each pass starts in the steady state of
// the held edge sample after an odd-reflected run-in, so the ends carry no start-up transient.
// Zero-phase filtering squares the magnitude: the cutoff of the pair is the -6 dB point.
import { DspError, requireRate } from './errors';
import { scratchFloat64 } from './scratch';

/** y = (b0 x + b1 x1 + b2 x2) - a1 y1 - a2 y2 (a0 normalised to 1). */
export interface Biquad {
  b0: number;
  b1: number;
  b2: number;
  a1: number;
  a2: number;
}

export type Sos = Biquad[];

function checkCutoff(fs: number, fc: number): void {
  requireRate(fs);
  if (!Number.isFinite(fc) || fc <= 0 || fc >= fs / 2) throw new DspError(`cutoff ${fc} Hz must lie strictly between 0 and fs/2 = ${fs / 2} Hz`);
}

function butterQs(order: number): number[] {
  if (!Number.isInteger(order) || order < 2 || order % 2 !== 0) throw new DspError(`Butterworth order must be an even integer >= 2, got ${order}`);
  const qs: number[] = [];
  for (let k = 0; k < order / 2; k++) qs.push(1 / (2 * Math.cos(((2 * k + 1) * Math.PI) / (2 * order))));
  return qs;
}

/** Butterworth low-pass of even `order` as second-order sections. */
export function butterLowpass(fs: number, fc: number, order = 4): Sos {
  checkCutoff(fs, fc);
  const w0 = (2 * Math.PI * fc) / fs;
  const cw = Math.cos(w0),
    sw = Math.sin(w0);
  return butterQs(order).map((q) => {
    const alpha = sw / (2 * q);
    const a0 = 1 + alpha;
    return { b0: (1 - cw) / 2 / a0, b1: (1 - cw) / a0, b2: (1 - cw) / 2 / a0, a1: (-2 * cw) / a0, a2: (1 - alpha) / a0 };
  });
}

/** Butterworth high-pass of even `order` as second-order sections. */
export function butterHighpass(fs: number, fc: number, order = 4): Sos {
  checkCutoff(fs, fc);
  const w0 = (2 * Math.PI * fc) / fs;
  const cw = Math.cos(w0),
    sw = Math.sin(w0);
  return butterQs(order).map((q) => {
    const alpha = sw / (2 * q);
    const a0 = 1 + alpha;
    return { b0: (1 + cw) / 2 / a0, b1: -(1 + cw) / a0, b2: (1 + cw) / 2 / a0, a1: (-2 * cw) / a0, a2: (1 - alpha) / a0 };
  });
}

type Samples = Float64Array | Float32Array;

/** Runs one biquad over y in place (transposed direct form II), starting at rest for the constant input y[first]. */
function runBiquad(s: Biquad, y: Samples, forward: boolean): void {
  const n = y.length;
  if (n === 0) return;
  const { b0, b1, b2, a1, a2 } = s;
  let [z1, z2] = restState(s, forward ? y[0]! : y[n - 1]!);
  const step = forward ? 1 : -1;
  for (let i = forward ? 0 : n - 1, c = 0; c < n; c++, i += step) {
    const xi = y[i]!;
    const yi = b0 * xi + z1;
    z1 = b1 * xi - a1 * yi + z2;
    z2 = b2 * xi - a2 * yi;
    y[i] = yi;
  }
}

/**
 * The sections run one after the other over y (float64), two at a time in one pass over memory:
 * bit-identical to one runBiquad pass per section (the intermediate stays a float64 and the second
 * section starts at rest for the first section's first output, as runBiquad would).
 */
function runSections(sos: Sos, y: Float64Array, forward: boolean): void {
  let k = 0;
  for (; k + 1 < sos.length; k += 2) {
    const s = sos[k]!;
    const u = y.length ? (forward ? y[0]! : y[y.length - 1]!) : 0;
    runPair(s, sos[k + 1]!, y, forward, s.b0 * u + restState(s, u)[0]); // the first section's first output
  }
  if (k < sos.length) runBiquad(sos[k]!, y, forward);
}

/** Two sections over y in one pass, sample by sample; the second starts at rest for the input `level`. */
function runPair(s: Biquad, t: Biquad, y: Samples, forward: boolean, level: number): void {
  const n = y.length;
  if (n === 0) return;
  let [p1, p2] = restState(s, forward ? y[0]! : y[n - 1]!);
  let [q1, q2] = restState(t, level);
  const { b0: sb0, b1: sb1, b2: sb2, a1: sa1, a2: sa2 } = s;
  const { b0: tb0, b1: tb1, b2: tb2, a1: ta1, a2: ta2 } = t;
  const step = forward ? 1 : -1;
  for (let i = forward ? 0 : n - 1, c = 0; c < n; c++, i += step) {
    const x = y[i]!;
    const v = sb0 * x + p1;
    p1 = sb1 * x - sa1 * v + p2;
    p2 = sb2 * x - sa2 * v;
    const w = tb0 * v + q1;
    q1 = tb1 * v - ta1 * w + q2;
    q2 = tb2 * v - ta2 * w;
    y[i] = w;
  }
}

/** Causal filtering (phase delay kept), starting in the steady state of x[0]. */
export function sosFilter(sos: Sos, x: Float32Array): Float32Array {
  const y = Float64Array.from(x);
  for (const s of sos) runBiquad(s, y, true);
  return Float32Array.from(y);
}

/**
 * Zero-phase filtering: forward then backward through every section, with `pad` samples of
 * odd reflection at each end (default 1024, at most n - 1). Works in float64 internally.
 */
export function filtfilt(sos: Sos, x: Float32Array, pad?: number): Float32Array {
  const n = x.length;
  if (n === 0) return new Float32Array(0);
  const p = Math.max(0, Math.min(n - 1, pad ?? Math.min(n - 1, 1024)));
  const y = scratchFloat64(n + 2 * p); // every element written below
  const x0 = x[0]!,
    xn = x[n - 1]!;
  for (let i = 0; i < p; i++) y[i] = 2 * x0 - x[p - i]!;
  for (let i = 0; i < n; i++) y[p + i] = x[i]!;
  for (let i = 0; i < p; i++) y[p + n + i] = 2 * xn - x[n - 2 - i]!;
  runSections(sos, y, true);
  runSections(sos, y, false);
  return Float32Array.from(y.subarray(p, p + n));
}

/**
 * filtfilt computed in a float32 buffer (half the memory traffic; states stay float64): for
 * filters whose poles are not crowded near z = 1 (band edges above ~fs/1000), where float32
 * storage between sections costs nothing measurable.
 */
export function filtfilt32(sos: Sos, x: Float32Array, pad?: number): Float32Array {
  return filtfilt32Many(sos, [x], pad)[0]!;
}

/**
 * filtfilt32 of several signals of one length, each result bit-identical to its own filtfilt32:
 * two signals run through the cascade in the same loop, so the CPU overlaps their recursions
 * (each biquad's output waits on its previous one; alone, a loop is bound by that latency).
 */
export function filtfilt32Many(sos: Sos, xs: Float32Array[], pad?: number): Float32Array[] {
  const n = xs[0]?.length ?? 0;
  for (const x of xs) if (x.length !== n) throw new DspError(`signals differ in length (${x.length} vs ${n})`);
  if (n === 0) return xs.map(() => new Float32Array(0));
  const p = Math.max(0, Math.min(n - 1, pad ?? Math.min(n - 1, 1024)));
  const ys = xs.map((x) => {
    const y = new Float32Array(n + 2 * p);
    const x0 = x[0]!,
      xn = x[n - 1]!;
    for (let i = 0; i < p; i++) y[i] = 2 * x0 - x[p - i]!;
    y.set(x, p);
    for (let i = 0; i < p; i++) y[p + n + i] = 2 * xn - x[n - 2 - i]!;
    return y;
  });
  for (let j = 0; j < ys.length; j += 2) {
    const a = ys[j]!,
      b = ys[j + 1];
    for (const forward of [true, false]) {
      let k = 0;
      for (; k + 1 < sos.length; k += 2) {
        if (b) runBiquadPairTwice(sos[k]!, sos[k + 1]!, a, b, forward);
        else runPair(sos[k]!, sos[k + 1]!, a, forward, (forward ? a[0]! : a[a.length - 1]!) * gain(sos[k]!));
      }
      if (k < sos.length) for (const y of b ? [a, b] : [a]) runBiquad(sos[k]!, y, forward);
    }
  }
  return ys.map((y) => y.subarray(p, p + n));
}

/** A section's DC gain. */
function gain(s: Biquad): number {
  return (s.b0 + s.b1 + s.b2) / (1 + s.a1 + s.a2);
}

/** The state (z1, z2) of a section at rest for the constant input u. */
function restState(s: Biquad, u: number): [number, number] {
  const g = gain(s);
  const z2 = (s.b2 - s.a2 * g) * u;
  return [(s.b1 - s.a1 * g) * u + z2, z2];
}

/** runPair over a and b (one length) in one loop, each second section at rest for its steady output: two independent chains. */
function runBiquadPairTwice(s: Biquad, t: Biquad, a: Float32Array, b: Float32Array, forward: boolean): void {
  const n = a.length;
  const ua = forward ? a[0]! : a[n - 1]!;
  const ub = forward ? b[0]! : b[n - 1]!;
  const g = gain(s);
  let [p1, p2] = restState(s, ua);
  let [q1, q2] = restState(t, ua * g);
  let [r1, r2] = restState(s, ub);
  let [w1, w2] = restState(t, ub * g);
  const { b0: sb0, b1: sb1, b2: sb2, a1: sa1, a2: sa2 } = s;
  const { b0: tb0, b1: tb1, b2: tb2, a1: ta1, a2: ta2 } = t;
  const step = forward ? 1 : -1;
  for (let i = forward ? 0 : n - 1, c = 0; c < n; c++, i += step) {
    const x = a[i]!;
    const y = b[i]!;
    const v = sb0 * x + p1;
    const u = sb0 * y + r1;
    p1 = sb1 * x - sa1 * v + p2;
    r1 = sb1 * y - sa1 * u + r2;
    p2 = sb2 * x - sa2 * v;
    r2 = sb2 * y - sa2 * u;
    const w = tb0 * v + q1;
    const z = tb0 * u + w1;
    q1 = tb1 * v - ta1 * w + q2;
    w1 = tb1 * u - ta1 * z + w2;
    q2 = tb2 * v - ta2 * w;
    w2 = tb2 * u - ta2 * z;
    a[i] = w;
    b[i] = z;
  }
}

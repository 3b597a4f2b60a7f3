// Rational-ratio resampling with a polyphase windowed-sinc (Kaiser) FIR.
//
// The ratio toHz/fromHz is written up/down (L/M, in lowest terms; a continued-fraction
// approximation for non-integer rates). Output sample j sits at input position j*M/L, so sample k
// at fromHz maps to k*toHz/fromHz exactly: the filter is centred, there is no group delay.
// Each output is the dot product of the 2K input samples around that position with one of L
// precomputed phases of the kernel
//   g(t) = 2 fc sinc(2 fc t) * kaiser(t / T),  fc = 0.45 * min(fromHz, toHz) / fromHz  (cycles/input sample),
// with half-width T = 24 samples of the lower of the two rates (transition 0.40..0.50 of the lower
// rate, stop band >= ~75 dB), each phase normalised to unit DC gain. Samples beyond the record
// ends are the end samples held (no ringing from a step to zero).
//
// Chunking: the kernel has finite support, so a 24-hour record is resampled in pieces with
// `resampleBlock` over `resampleInputSpan(...)` and the result is bit-identical to one call.
// The outputs whose taps lie inside the record run on WebAssembly SIMD where the engine has it
// (resample-simd.ts: the same sums in the same order, so the same bits).
import { DspError, requireRate } from './errors';
import { fillInvalid } from './invalid';
import { simdOutputs } from './resample-simd';

export interface Ratio {
  /** interpolation factor L */
  up: number;
  /** decimation factor M */
  down: number;
}

const MAX_TERM = 8192;
const HALF_WIDTH_LOW_RATE = 24;
const KAISER_BETA = 7.5;
const CUTOFF_OF_LOW_RATE = 0.45;

/** toHz/fromHz as L/M in lowest terms (continued fractions; exact for rational rates with L, M <= 8192). */
export function resampleRatio(fromHz: number, toHz: number): Ratio {
  requireRate(fromHz, 'input rate');
  requireRate(toHz, 'output rate');
  const r = toHz / fromHz;
  // convergents p/q of r
  let p0 = 0,
    q0 = 1,
    p1 = 1,
    q1 = 0;
  let x = r;
  let best: Ratio = { up: Math.max(1, Math.round(r)), down: 1 };
  for (let i = 0; i < 40; i++) {
    const a = Math.floor(x);
    const p2 = a * p1 + p0;
    const q2 = a * q1 + q0;
    if (p2 > MAX_TERM || q2 > MAX_TERM) break;
    if (p2 > 0) best = { up: p2, down: q2 };
    if (Math.abs(p2 / q2 - r) <= 1e-12 * r) break;
    const frac = x - a;
    if (frac < 1e-12) break;
    x = 1 / frac;
    p0 = p1;
    q0 = q1;
    p1 = p2;
    q1 = q2;
  }
  return best;
}

/** Fractional position at toHz of the instant of sample i at fromHz (i * L / M). */
export function mapPosition(i: number, fromHz: number, toHz: number): number {
  const { up, down } = resampleRatio(fromHz, toHz);
  return (i * up) / down;
}

/** Nearest sample index at toHz of sample i at fromHz; mapIndex(mapIndex(i, a, b), b, a) === i when b >= a. */
export function mapIndex(i: number, fromHz: number, toHz: number): number {
  return Math.round(mapPosition(i, fromHz, toHz));
}

/** Number of output samples for nIn input samples: every j with j*M/L < nIn. */
export function resampledLength(nIn: number, fromHz: number, toHz: number): number {
  if (nIn <= 0) return 0;
  const { up, down } = resampleRatio(fromHz, toHz);
  return Math.floor((nIn * up - 1) / down) + 1;
}

export interface PolyphaseKernel {
  up: number;
  down: number;
  /** taps per phase (2K) */
  taps: number;
  /** K - 1: first tap index relative to floor(position) */
  lead: number;
  /** up * taps coefficients, phase-major (float32 values, held as float64 for the dot products) */
  coef: Float64Array;
}

const kernels = new Map<string, PolyphaseKernel>();

function besselI0(x: number): number {
  let sum = 1,
    term = 1;
  const q = (x * x) / 4;
  for (let k = 1; k < 50; k++) {
    term *= q / (k * k);
    sum += term;
    if (term < 1e-12 * sum) break;
  }
  return sum;
}

function kernelFor(fromHz: number, toHz: number): PolyphaseKernel {
  const { up, down } = resampleRatio(fromHz, toHz);
  const key = `${up}/${down}`;
  const cached = kernels.get(key);
  if (cached) return cached;
  // In input-sample units: cutoff and half-width scale with the lower rate (down-sampling widens them).
  const lowOverIn = Math.min(1, up / down);
  const fc = CUTOFF_OF_LOW_RATE * lowOverIn;
  const halfWidth = HALF_WIDTH_LOW_RATE / lowOverIn;
  const K = Math.ceil(halfWidth);
  const taps = 2 * K;
  const coef = new Float32Array(up * taps);
  const i0b = besselI0(KAISER_BETA);
  for (let ph = 0; ph < up; ph++) {
    const delta = ph / up;
    let sum = 0;
    const row = new Float64Array(taps);
    for (let t = 0; t < taps; t++) {
      const tau = delta + K - 1 - t; // position minus input index
      const u = tau / halfWidth;
      if (Math.abs(u) >= 1) continue;
      const arg = 2 * fc * tau;
      const sinc = arg === 0 ? 1 : Math.sin(Math.PI * arg) / (Math.PI * arg);
      const w = besselI0(KAISER_BETA * Math.sqrt(1 - u * u)) / i0b;
      row[t] = 2 * fc * sinc * w;
      sum += row[t]!;
    }
    for (let t = 0; t < taps; t++) coef[ph * taps + t] = row[t]! / sum;
  }
  const k: PolyphaseKernel = { up, down, taps, lead: K - 1, coef: Float64Array.from(coef) };
  kernels.set(key, k);
  return k;
}

/** Input samples [start, end) needed to compute output samples [outStart, outEnd), clipped to the record. */
export function resampleInputSpan(outStart: number, outEnd: number, fromHz: number, toHz: number, nIn: number): { start: number; end: number } {
  const k = kernelFor(fromHz, toHz);
  const first = Math.floor((outStart * k.down) / k.up) - k.lead;
  const last = Math.floor(((outEnd - 1) * k.down) / k.up) - k.lead + k.taps; // exclusive
  return { start: Math.max(0, first), end: Math.min(nIn, Math.max(first + 1, last)) };
}

export interface ResampleOptions {
  /** Run the interior on WebAssembly SIMD where available (default); false: the JavaScript loop (benches, tests). */
  simd?: boolean;
}

/**
 * Output samples [outStart, outEnd) of resampling a record of nIn samples from fromHz to toHz,
 * given x = input samples [xStart, xStart + x.length), which must cover
 * resampleInputSpan(outStart, outEnd, ...). Samples must be finite.
 */
export function resampleBlock(
  x: Float32Array,
  xStart: number,
  nIn: number,
  fromHz: number,
  toHz: number,
  outStart: number,
  outEnd: number,
  opts: ResampleOptions = {}
): Float32Array {
  const k = kernelFor(fromHz, toHz);
  const need = resampleInputSpan(outStart, outEnd, fromHz, toHz, nIn);
  if (outEnd > outStart && (need.start < xStart || need.end > xStart + x.length)) {
    throw new DspError(`resampleBlock: input [${xStart}, ${xStart + x.length}) does not cover [${need.start}, ${need.end})`);
  }
  const { up, down, taps, lead, coef } = k;
  const y = new Float32Array(Math.max(0, outEnd - outStart));
  const lastIn = nIn - 1;
  // Outputs whose taps all lie inside the record: j in [jIn, jOut). Four of them at a time, each
  // summed in tap order on its own accumulator (so each output's rounding is that of one at a
  // time), which keeps four independent add chains in flight instead of one.
  const jIn = Math.min(outEnd, Math.max(outStart, Math.ceil((lead * up) / down)));
  const jOut = Math.max(jIn, Math.min(outEnd, Math.floor(((lastIn - taps + 1 + lead + 1) * up - 1) / down) + 1));
  let j = outStart;
  for (; j < jIn; j++) y[j - outStart] = edgeOutput(x, xStart, lastIn, k, j);
  const eights = (jOut - j) & ~7;
  if (opts.simd !== false && eights > 0 && simdOutputs(k, x, xStart, j, eights, y, j - outStart)) j += eights;
  for (; j + 3 < jOut; j += 4) {
    const n0 = Math.floor((j * down) / up);
    const n1 = Math.floor(((j + 1) * down) / up);
    const n2 = Math.floor(((j + 2) * down) / up);
    const n3 = Math.floor(((j + 3) * down) / up);
    const c0 = (j * down - n0 * up) * taps;
    const c1 = ((j + 1) * down - n1 * up) * taps;
    const c2 = ((j + 2) * down - n2 * up) * taps;
    const c3 = ((j + 3) * down - n3 * up) * taps;
    const x0 = n0 - lead - xStart;
    const x1 = n1 - lead - xStart;
    const x2 = n2 - lead - xStart;
    const x3 = n3 - lead - xStart;
    let a0 = 0,
      a1 = 0,
      a2 = 0,
      a3 = 0;
    for (let t = 0; t < taps; t++) {
      a0 += coef[c0 + t]! * x[x0 + t]!;
      a1 += coef[c1 + t]! * x[x1 + t]!;
      a2 += coef[c2 + t]! * x[x2 + t]!;
      a3 += coef[c3 + t]! * x[x3 + t]!;
    }
    const o = j - outStart;
    y[o] = a0;
    y[o + 1] = a1;
    y[o + 2] = a2;
    y[o + 3] = a3;
  }
  for (; j < outEnd; j++) y[j - outStart] = edgeOutput(x, xStart, lastIn, k, j);
  return y;
}

/** Output j, one at a time: taps off the record read the end sample held. */
function edgeOutput(x: Float32Array, xStart: number, lastIn: number, k: PolyphaseKernel, j: number): number {
  const { up, down, taps, lead, coef } = k;
  const num = j * down;
  const n0 = Math.floor(num / up);
  const c0 = (num - n0 * up) * taps;
  const first = n0 - lead;
  let acc = 0;
  for (let t = 0; t < taps; t++) {
    let n = first + t;
    if (n < 0) n = 0;
    else if (n > lastIn) n = lastIn;
    acc += coef[c0 + t]! * x[n - xStart]!;
  }
  return acc;
}

/**
 * x resampled from fromHz to toHz (anti-aliased polyphase FIR, zero delay: see the top of this file).
 * Non-finite samples are first interpolated (see fillInvalid).
 */
export function resample(x: Float32Array, fromHz: number, toHz: number, opts: ResampleOptions = {}): Float32Array {
  requireRate(fromHz, 'input rate');
  requireRate(toHz, 'output rate');
  const clean = fillInvalid(x);
  const { up, down } = resampleRatio(fromHz, toHz);
  if (up === down) return new Float32Array(clean);
  return resampleBlock(clean, 0, clean.length, fromHz, toHz, 0, resampledLength(clean.length, fromHz, toHz), opts);
}

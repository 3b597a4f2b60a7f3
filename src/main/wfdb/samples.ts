// Raw samples of a signal: their arrays, their physical values and WFDB's 16-bit checksum.
import { FORMATS, INVALID } from './formats';
import type { SignalSpec } from './header';
import { WfdbError } from './errors';

export type RawSignal = Int16Array | Int32Array;

export interface ChecksumResult {
  signal: number;
  /** The header's checksum; null when it has none. */
  expected: number | null;
  actual: number;
  /**
   * 'absent': the header gives none, or 0 — the placeholder converters that do not compute
   * checksums write (e.g. every header of the CinC 2017 set); WFDB's own writers always compute it.
   */
  status: 'ok' | 'mismatch' | 'absent';
  ok: boolean;
}

/** True when a signal's samples need 32 bits. */
export function isWide(spec: SignalSpec): boolean {
  return FORMATS.get(spec.format)?.wide ?? false;
}

/** Largest window, in samples per signal, a read may return (typed arrays index with 32 bits). */
export const MAX_WINDOW_SAMPLES = 2 ** 31 - 1;

export function allocRaw(spec: SignalSpec, n: number, file = '', wide = isWide(spec)): RawSignal {
  if (n > MAX_WINDOW_SAMPLES) throw new WfdbError('BAD_RANGE', file, `a window of ${n} samples of one signal is too large to hold; read it in parts`);
  try {
    return wide ? new Int32Array(n) : new Int16Array(n);
  } catch (err) {
    if (err instanceof RangeError) throw new WfdbError('IO', file, `not enough memory for ${n} samples of signal "${spec.description}"`);
    throw err;
  }
}

export interface PhysicalOptions {
  /** Each array over a SharedArrayBuffer: a worker it is posted to reads it where it is, no copy. */
  shared?: boolean;
}

/** Physical value of each raw sample: (adc - baseline) / gain, gain 0 meaning 200 (WFDB_DEFGAIN). */
export function toPhysical(raw: RawSignal, spec: Pick<SignalSpec, 'adcGain' | 'baseline'>, opts: PhysicalOptions = {}): Float32Array {
  const out = opts.shared ? new Float32Array(new SharedArrayBuffer(raw.length * 4)) : new Float32Array(raw.length);
  physicalInto(raw, spec, out, 0);
  return out;
}

/** toPhysical written into `out` from index `at` (a part of a longer signal). */
export function physicalInto(raw: RawSignal, spec: Pick<SignalSpec, 'adcGain' | 'baseline'>, out: Float32Array, at: number): void {
  const gain = spec.adcGain === 0 ? 200 : spec.adcGain;
  const base = spec.baseline;
  if (raw instanceof Int16Array && raw.length >= LOOKUP_MIN) {
    physicalByLookup(raw, base, gain, out, at);
    return;
  }
  for (let i = 0; i < raw.length; i++) {
    const v = raw[i]!;
    out[at + i] = v === INVALID ? NaN : (v - base) / gain;
  }
}

/** Longest 16-bit read converted sample by sample; longer ones go through a table of all 65536 values. */
const LOOKUP_MIN = 1 << 18;

// A division per sample costs more than a table look-up: the table holds each 16-bit value's
// physical value, computed by the same expression, so the result is the same to the bit.
function physicalByLookup(raw: Int16Array, base: number, gain: number, out: Float32Array, at: number): void {
  physicalByTable(raw, physicalTable({ adcGain: gain, baseline: base }), out, at);
}

/** The physical value of each 16-bit sample, at index sample + 32768 (the invalid code's is NaN). */
export function physicalTable(spec: Pick<SignalSpec, 'adcGain' | 'baseline'>): Float32Array {
  const gain = spec.adcGain === 0 ? 200 : spec.adcGain;
  const base = spec.baseline;
  const table = new Float32Array(65536);
  for (let v = -32767; v < 32768; v++) table[v + 32768] = (v - base) / gain;
  table[0] = NaN; // -32768: invalid
  return table;
}

/** 16-bit samples converted through physicalTable's table, written into `out` from index `at`. */
export function physicalByTable(raw: Int16Array, table: Float32Array, out: Float32Array, at: number): void {
  for (let i = 0; i < raw.length; i++) out[at + i] = table[raw[i]! + 32768]!;
}

/**
 * WFDB's checksum: the sum of the samples as the file stores them, modulo 2^16 (the header holds
 * it as a signed 16-bit value). Invalid samples count as the format's stored code (-2048 in 212).
 */
export function checksum16(samples: RawSignal, format: number): number {
  const code = FORMATS.get(format)?.invalidCode ?? INVALID;
  const [sum, invalid] = samples instanceof Int16Array ? sum16(samples) : sum32(samples);
  return asSigned16((sum + Math.imul(invalid, code - INVALID)) | 0);
}
// two monomorphic loops: one polymorphic loop over both array types is several times slower
function sum16(a: Int16Array): [number, number] {
  let sum = 0;
  let invalid = 0;
  for (let i = 0; i < a.length; i++) {
    const v = a[i]!;
    sum = (sum + v) | 0;
    if (v === -32768) invalid++;
  }
  return [sum, invalid];
}
function sum32(a: Int32Array): [number, number] {
  let sum = 0;
  let invalid = 0;
  for (let i = 0; i < a.length; i++) {
    const v = a[i]!;
    sum = (sum + v) | 0;
    if (v === -32768) invalid++;
  }
  return [sum, invalid];
}

export function checksumResult(signal: number, expected: number | null, actual: number): ChecksumResult {
  const status = expected === null || (expected === 0 && actual !== 0) ? 'absent' : expected === actual ? 'ok' : 'mismatch';
  return { signal, expected, actual, status, ok: status !== 'mismatch' };
}

export function asSigned16(sum: number): number {
  return (sum << 16) >> 16;
}

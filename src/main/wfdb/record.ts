// Opening a WFDB record and reading any window of its signals.
//
// Signals sharing a file form a group; a group's frames are a fixed number of samples, so the
// byte position of any frame is computed, not searched for: a window is read with one positioned
// read per chunk, decoded by the format's tight loop and scattered into one typed array per signal.
// Whole-record reads stream in chunks of about 1 MiB, so memory stays near the output arrays.
import { open, stat, type FileHandle } from 'node:fs/promises';
import { basename, dirname, resolve, sep } from 'node:path';
import { WfdbError, fsError } from './errors';
import { FORMATS, INVALID, decodeSamples, samplesInBytes, type FormatInfo } from './formats';
import { headerPath, readHeader, type RecordHeader, type SignalSpec } from './header';
import { openMultiSegment } from './multisegment';
import { checkPlausible } from './plausible';

export type RawSignal = Int16Array | Int32Array;

export interface WfdbRecord {
  header: RecordHeader;
  dir: string;
  name: string;
  /** Frame rate, Hz. */
  fs: number;
  nFrames: number;
  /**
   * Frames every signal fills, where WFDB's rdsamp stops: fewer than nFrames when a skewed signal's
   * file ends with the header's length (its last `skew` frames read as invalid). nFrames when absent.
   */
  completeFrames?: number;
  /** Problems that do not stop reading (checksum mismatches, extra data after the header's length). */
  warnings: string[];
  /** Raw ADC per signal for frames [from, to): samplesPerFrame*(to-from) samples each; invalid = -32768. */
  readRaw(from: number, to: number): Promise<RawSignal[]>;
  /** Physical units ((adc - baseline) / gain), NaN for invalid samples. */
  readPhysical(from: number, to: number): Promise<Float32Array[]>;
  /** Decodes every signal whole and compares its 16-bit checksum with the header's (mismatches also go to warnings). */
  verifyChecksums(): Promise<ChecksumResult[]>;
  close(): Promise<void>;
}

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

/** Bytes read per positioned read when streaming a file. */
const CHUNK_BYTES = 1 << 20;

interface Group {
  file: string;
  format: FormatInfo | null; // null: format 0, a null signal with no file
  byteOffset: number;
  /** Indices of this group's signals in the record. */
  signals: number[];
  /** Samples per frame of the whole file. */
  frameSamples: number;
  /** Per stream slot (0..frameSamples): signal (record index), sample within its frame. */
  slotSignal: Int32Array;
  slotSub: Int32Array;
  /** Frames the file holds (from its size). */
  available: number;
  handle: FileHandle | null;
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** True when a signal's samples need 32 bits. */
export function isWide(spec: SignalSpec): boolean {
  return FORMATS.get(spec.format)?.wide ?? false;
}

/** Largest window, in samples per signal, a read may return (typed arrays index with 32 bits). */
export const MAX_WINDOW_SAMPLES = 2 ** 31 - 1;

export function allocRaw(spec: SignalSpec, n: number, file = ''): RawSignal {
  if (n > MAX_WINDOW_SAMPLES) throw new WfdbError('bad-range', file, `a window of ${n} samples of one signal is too large to hold; read it in parts`);
  try {
    return isWide(spec) ? new Int32Array(n) : new Int16Array(n);
  } catch (err) {
    if (err instanceof RangeError) throw new WfdbError('io', file, `not enough memory for ${n} samples of signal "${spec.description}"`);
    throw err;
  }
}

/** Physical value of each raw sample: (adc - baseline) / gain, gain 0 meaning 200 (WFDB_DEFGAIN). */
export function toPhysical(raw: RawSignal, spec: Pick<SignalSpec, 'adcGain' | 'baseline'>): Float32Array {
  const gain = spec.adcGain === 0 ? 200 : spec.adcGain;
  const base = spec.baseline;
  if (raw instanceof Int16Array && raw.length >= LOOKUP_MIN) return physicalByLookup(raw, base, gain);
  const out = new Float32Array(raw.length);
  for (let i = 0; i < raw.length; i++) {
    const v = raw[i]!;
    out[i] = v === INVALID ? NaN : (v - base) / gain;
  }
  return out;
}

/** Longest 16-bit read converted sample by sample; longer ones go through a table of all 65536 values. */
const LOOKUP_MIN = 1 << 18;

// A division per sample costs more than a table look-up: the table holds each 16-bit value's
// physical value, computed by the same expression, so the result is the same to the bit.
function physicalByLookup(raw: Int16Array, base: number, gain: number): Float32Array {
  const table = new Float32Array(65536);
  for (let v = -32767; v < 32768; v++) table[v + 32768] = (v - base) / gain;
  table[0] = NaN; // -32768: invalid
  const out = new Float32Array(raw.length);
  for (let i = 0; i < raw.length; i++) out[i] = table[raw[i]! + 32768]!;
  return out;
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
  const status = expected === null || expected === 0 && actual !== 0 ? 'absent' : expected === actual ? 'ok' : 'mismatch';
  return { signal, expected, actual, status, ok: status !== 'mismatch' };
}

export function asSigned16(sum: number): number {
  return (sum << 16) >> 16;
}

function splitRecordPath(recordPath: string): { dir: string; name: string } {
  const hea = headerPath(recordPath);
  return { dir: dirname(resolve(hea)), name: basename(hea).slice(0, -4) };
}

export async function openRecord(recordPath: string): Promise<WfdbRecord> {
  const header = await readHeader(recordPath);
  const { dir, name } = splitRecordPath(recordPath);
  if (header.segments) return openMultiSegment(header, dir, name, headerPath(recordPath));
  return openSingleSegment(header, dir, name, headerPath(recordPath));
}

/** Opens the signal files of a single-segment record described by `header` (its .hea is `heaFile`). */
export async function openSingleSegment(header: RecordHeader, dir: string, name: string, heaFile: string): Promise<WfdbRecord> {
  checkPlausible(header, header.nFrames, heaFile);
  const groups = buildGroups(header, dir, heaFile);
  const warnings: string[] = [];
  try {
    for (const g of groups) await openGroup(g);
  } catch (err) {
    await Promise.all(groups.map((g) => g.handle?.close().catch(() => undefined)));
    throw err;
  }
  let nFrames = header.nFrames;
  const filed = groups.filter((g) => g.format);
  if (nFrames === 0 && filed.length > 0) {
    // the header leaves the length out: the shortest signal file decides it
    nFrames = Math.min(...filed.map((g) => g.available));
  }
  try {
    checkPlausible(header, nFrames, heaFile);
  } catch (err) {
    await Promise.all(groups.map((x) => x.handle?.close().catch(() => undefined)));
    throw err;
  }
  for (const g of filed) {
    if (g.available < nFrames) {
      await Promise.all(groups.map((x) => x.handle?.close().catch(() => undefined)));
      throw new WfdbError('truncated', g.file, `holds ${g.available} frames but header ${heaFile} says ${nFrames}`);
    }
    if (g.available > nFrames && header.nFrames > 0) warnings.push(`${g.file}: holds ${g.available} frames, more than the ${nFrames} of the header; the rest is ignored`);
  }
  let completeFrames = nFrames;
  for (const g of filed) {
    const skew = Math.max(0, ...g.signals.map((i) => header.signals[i]!.skew));
    if (skew > 0) completeFrames = Math.max(0, Math.min(completeFrames, g.available - skew));
  }
  let closed = false;
  const rec: WfdbRecord = {
    header,
    dir,
    name,
    fs: header.fs,
    nFrames,
    completeFrames,
    warnings,
    async readRaw(from, to) {
      if (closed) throw new WfdbError('io', heaFile, 'record is closed');
      checkRange(heaFile, from, to, nFrames);
      const out = header.signals.map((s) => allocRaw(s, (to - from) * s.samplesPerFrame, heaFile));
      const whole = from === 0 && to === nFrames;
      for (const g of groups) {
        const sums = await readGroup(g, header.signals, from, to, out);
        // a whole read verifies the checksums (skewed groups: their window is not the stored one)
        if (!whole || !g.format || g.signals.some((i) => header.signals[i]!.skew !== 0)) continue;
        g.signals.forEach((i, j) => {
          const spec = header.signals[i]!;
          if (spec.checksum === null) return;
          const actual = sums ? asSigned16(sums[j]!) : checksum16(out[i]!, spec.format);
          noteChecksum(warnings, heaFile, checksumResult(i, spec.checksum, actual), spec);
        });
      }
      return out;
    },
    async readPhysical(from, to) {
      const raw = await rec.readRaw(from, to);
      return raw.map((r, i) => toPhysical(r, header.signals[i]!));
    },
    async verifyChecksums() {
      if (closed) throw new WfdbError('io', heaFile, 'record is closed');
      const results: ChecksumResult[] = [];
      for (const g of groups) {
        const sums = await storedChecksums(g, header.signals, nFrames);
        for (const i of g.signals) {
          const c = checksumResult(i, header.signals[i]!.checksum, asSigned16(sums.get(i) ?? 0));
          results.push(c);
          noteChecksum(warnings, heaFile, c, header.signals[i]!);
        }
      }
      return results.sort((a, b) => a.signal - b.signal);
    },
    async close() {
      closed = true;
      await Promise.all(groups.map((g) => g.handle?.close()));
      for (const g of groups) g.handle = null;
    },
  };
  return rec;
}

function noteChecksum(warnings: string[], file: string, c: ChecksumResult, spec: SignalSpec): void {
  if (c.status !== 'mismatch') return;
  const w = `${file}: signal ${c.signal} (${spec.description || spec.fileName}) checksum ${c.actual} differs from the header's ${c.expected}`;
  if (!warnings.includes(w)) warnings.push(w);
}

export function checkRange(file: string, from: number, to: number, nFrames: number): void {
  if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to) || from < 0 || to > nFrames || from > to) {
    throw new WfdbError('bad-range', file, `cannot read frames [${from}, ${to}) of a record of ${nFrames} frames`);
  }
}

function buildGroups(header: RecordHeader, dir: string, heaFile: string): Group[] {
  const groups: Group[] = [];
  header.signals.forEach((s, i) => {
    const last = groups[groups.length - 1];
    if (s.format !== 0 && last && last.format && header.signals[last.signals[0]!]!.fileName === s.fileName) {
      last.signals.push(i);
      return;
    }
    const file = resolve(dir, s.fileName);
    // parseHeader refuses absolute and ".." names; a header built in code must not escape either
    if (s.format !== 0 && !file.startsWith(resolve(dir) + sep)) throw new WfdbError('bad-header', heaFile, `signal ${i}: file "${s.fileName}" is outside the record's folder`);
    groups.push({
      file,
      format: s.format === 0 ? null : FORMATS.get(s.format)!,
      byteOffset: s.byteOffset,
      signals: [i],
      frameSamples: 0,
      slotSignal: new Int32Array(0),
      slotSub: new Int32Array(0),
      available: Number.MAX_SAFE_INTEGER,
      handle: null,
    });
  });
  for (const g of groups) {
    const spfs = g.signals.map((i) => header.signals[i]!.samplesPerFrame);
    g.frameSamples = spfs.reduce((a, b) => a + b, 0);
    g.slotSignal = new Int32Array(g.frameSamples);
    g.slotSub = new Int32Array(g.frameSamples);
    let k = 0;
    g.signals.forEach((sig, j) => {
      for (let s = 0; s < spfs[j]!; s++, k++) {
        g.slotSignal[k] = sig;
        g.slotSub[k] = s;
      }
    });
  }
  return groups;
}

async function openGroup(g: Group): Promise<void> {
  if (!g.format) return;
  if (g.file.endsWith('/-') || basename(g.file) === '-') throw new WfdbError('unsupported-format', g.file, 'signals on standard input cannot be read from a record');
  let size: number;
  try {
    const st = await stat(g.file);
    if (!st.isFile()) throw new WfdbError('io', g.file, 'is not a regular file');
    size = st.size;
    g.handle = await open(g.file, 'r');
  } catch (err) {
    throw fsError(g.file, err);
  }
  if (size < g.byteOffset) throw new WfdbError('truncated', g.file, `is ${size} bytes, shorter than its byte offset ${g.byteOffset}`);
  g.available = Math.floor(samplesInBytes(g.format, size - g.byteOffset) / g.frameSamples);
}

/** Frames per block: the smallest run of frames that ends on a packing-group boundary. */
function blockFrames(g: Group): number {
  const gs = g.format!.groupSamples;
  return gs / gcd(g.frameSamples % gs, gs);
}

async function readAt(g: Group, buf: Uint8Array, length: number, position: number): Promise<number> {
  let done = 0;
  while (done < length) {
    let n: number;
    try {
      ({ bytesRead: n } = await g.handle!.read(buf, done, length - done, position + done));
    } catch (err) {
      throw fsError(g.file, err);
    }
    if (n === 0) break;
    done += n;
  }
  return done;
}

/**
 * Streams the bytes of stored frames [f0, f1) of a group, chunk by chunk, calling
 * `sink(bytes, firstFrame, nFrames)`; `bytes` starts at a packing-group boundary. The first chunk
 * may start before f0 (alignment; format 8 always starts at frame 0): sinks skip frames < f0.
 */
async function streamBytes(g: Group, f0: number, f1: number, sink: (bytes: Uint8Array, first: number, n: number) => void): Promise<void> {
  const fmt = g.format!;
  const S = g.frameSamples;
  const bf = blockFrames(g);
  const start = fmt.differences ? 0 : Math.floor(f0 / bf) * bf;
  if (f1 <= start) return;
  const blockBytes = ((bf * S) / fmt.groupSamples) * fmt.groupBytes;
  const chunkFrames = Math.min(Math.max(1, Math.floor(CHUNK_BYTES / blockBytes)), Math.ceil((f1 - start) / bf)) * bf;
  const bytes = new Uint8Array(Math.ceil((chunkFrames * S) / fmt.groupSamples) * fmt.groupBytes);
  for (let f = start; f < f1; f += chunkFrames) {
    const n = Math.min(chunkFrames, f1 - f);
    const nSamples = n * S;
    const firstByte = g.byteOffset + ((f * S) / fmt.groupSamples) * fmt.groupBytes;
    const nBytes = Math.ceil(nSamples / fmt.groupSamples) * fmt.groupBytes;
    const got = await readAt(g, bytes, nBytes, firstByte);
    const have = samplesInBytes(fmt, got);
    if (have < nSamples) throw new WfdbError('truncated', g.file, `ends at byte ${firstByte + got}, before frame ${f + Math.floor(have / S)} (file changed while reading?)`);
    sink(bytes, f, n);
  }
}

/** Streams stored frames [f0, f1) decoded to interleaved samples: `sink(buf, firstFrame, nFrames)` with first >= f0. */
async function streamFrames(g: Group, signals: SignalSpec[], f0: number, f1: number, sink: (buf: Int32Array, first: number, n: number) => void): Promise<void> {
  const fmt = g.format!;
  const S = g.frameSamples;
  const prev = fmt.differences ? Int32Array.from(g.slotSignal, (sig) => signals[sig]!.initValue) : undefined;
  let samples = new Int32Array(0);
  await streamBytes(g, f0, f1, (bytes, f, n) => {
    if (samples.length < n * S) samples = new Int32Array(n * S);
    decodeSamples(fmt.format, bytes, n * S, samples, prev, 0);
    const lo = Math.max(f, f0);
    if (f + n > lo) sink(samples.subarray((lo - f) * S), lo, f + n - lo);
  });
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Fused decode + de-interleave for the layouts that dominate real data (every signal one sample
 * per frame, no skew): format 212 with one or two signals per file, format 16 with any number.
 * Returns false when the layout needs the generic path.
 */
async function readPlain(g: Group, from: number, f1: number, outs: RawSignal[]): Promise<number[] | null> {
  const S = g.frameSamples;
  const fmt = g.format!.format;
  if (fmt === 212 && S === 2 && outs[0] instanceof Int16Array && outs[1] instanceof Int16Array) {
    const a = outs[0];
    const b = outs[1];
    // the sums of the stored values (-2048 for invalid) are the checksums, almost free here
    let sa = 0;
    let sb = 0;
    await streamBytes(g, from, f1, (src, f, n) => {
      for (let t = f - from, i = 0, end = t + n; t < end; t++, i += 3) {
        const b1 = src[i + 1]!;
        const x = ((src[i]! | ((b1 & 0x0f) << 8)) << 20) >> 20;
        const y = ((src[i + 2]! | ((b1 & 0xf0) << 4)) << 20) >> 20;
        sa += x;
        sb += y;
        a[t] = x === -2048 ? -32768 : x; // literal, not INVALID: imported bindings cost a check per access
        b[t] = y === -2048 ? -32768 : y;
      }
    });
    return [sa, sb];
  }
  if (fmt === 212 && S === 1 && outs[0] instanceof Int16Array) {
    const o = outs[0];
    let sum = 0;
    await streamBytes(g, from, f1, (src, f, n) => {
      // the chunk may start one sample early (alignment to a pair)
      let t = f - from;
      const end = t + n;
      for (let i = 0; t < end; i += 3) {
        const b1 = src[i + 1]!;
        if (t >= 0) {
          const x = ((src[i]! | ((b1 & 0x0f) << 8)) << 20) >> 20;
          sum += x;
          o[t] = x === -2048 ? -32768 : x;
        }
        if (++t >= end) break;
        const y = ((src[i + 2]! | ((b1 & 0xf0) << 4)) << 20) >> 20;
        sum += y;
        o[t++] = y === -2048 ? -32768 : y;
      }
    });
    return [sum];
  }
  if (fmt === 16 && LITTLE_ENDIAN && outs.every((o) => o instanceof Int16Array)) {
    const os = outs as Int16Array[];
    await streamBytes(g, from, f1, (src, f, n) => {
      const v = new Int16Array(src.buffer, src.byteOffset, n * S);
      const t0 = f - from;
      if (S === 1) os[0]!.set(v, t0);
      else for (let s = 0; s < S; s++) {
        const o = os[s]!;
        for (let t = 0, k = s; t < n; t++, k += S) o[t0 + t] = v[k]!;
      }
    });
    return os.map((o) => checksum16(o, 16));
  }
  return null;
}

/**
 * Reads record frames [from, to) of one group into the output arrays. Returns the sums of the
 * group's signals (their checksums when the window is the whole record) when it got them for
 * free, else null.
 */
async function readGroup(g: Group, signals: SignalSpec[], from: number, to: number, out: RawSignal[]): Promise<number[] | null> {
  if (to === from) return null;
  if (!g.format) {
    for (const i of g.signals) out[i]!.fill(INVALID);
    return null;
  }
  const skews = g.signals.map((i) => signals[i]!.skew);
  const minSkew = Math.min(...skews);
  const maxSkew = Math.max(...skews);
  const f0 = Math.min(from + minSkew, g.available);
  const f1 = Math.min(to + maxSkew, g.available);
  // samples whose stored frame lies beyond the file (skewed signals at the end) are invalid
  if (to + maxSkew > g.available) for (const i of g.signals) out[i]!.fill(INVALID);
  const S = g.frameSamples;
  if (maxSkew === 0 && g.signals.length === S && !g.format.differences) {
    const sums = await readPlain(g, from, f1, g.signals.map((i) => out[i]!));
    if (sums) return sums;
  }
  const slotOut = Array.from(g.slotSignal, (sig) => out[sig]!);
  const slotSpf = Int32Array.from(g.slotSignal, (sig) => signals[sig]!.samplesPerFrame);
  const slotSkew = Int32Array.from(g.slotSignal, (sig) => signals[sig]!.skew);
  const slotSub = g.slotSub;
  await streamFrames(g, signals, f0, f1, (buf, first, m) => {
    for (let s = 0; s < S; s++) {
      const o = slotOut[s]!;
      const spf = slotSpf[s]!;
      const sub = slotSub[s]!;
      const skew = slotSkew[s]!;
      // record frame t = stored frame - skew; keep from <= t < to
      const fLo = Math.max(first, from + skew);
      const fHi = Math.min(first + m, to + skew);
      for (let f = fLo; f < fHi; f++) o[(f - skew - from) * spf + sub] = buf[(f - first) * S + s]!;
    }
  });
  return null;
}

/** Sums the stored samples of frames [0, nFrames) of each signal of a group (checksum scope). */
async function storedChecksums(g: Group, signals: SignalSpec[], nFrames: number): Promise<Map<number, number>> {
  const sums = new Map<number, number>(g.signals.map((i) => [i, 0]));
  if (!g.format) return sums;
  const S = g.frameSamples;
  const slotSum = new Int32Array(S);
  const code = g.format.invalidCode ?? INVALID;
  await streamFrames(g, signals, 0, Math.min(nFrames, g.available), (buf, _first, m) => {
    for (let s = 0; s < S; s++) {
      let acc = slotSum[s]!;
      for (let k = s; k < m * S; k += S) {
        const v = buf[k]!;
        acc = (acc + (v === -32768 ? code : v)) | 0;
      }
      slotSum[s] = acc;
    }
  });
  for (let s = 0; s < S; s++) sums.set(g.slotSignal[s]!, (sums.get(g.slotSignal[s]!)! + slotSum[s]!) | 0);
  return sums;
}

// A record's signal files as groups: signals sharing a file form a group; a group's frames are a
// fixed number of samples, so the byte position of any frame is computed, not searched for: a
// window is read with one positioned read per chunk, decoded by the format's tight loop and
// scattered into one typed array per signal. Whole-record reads stream in chunks of about 1 MiB,
// so memory stays near the output arrays.
import { open, stat, type FileHandle } from 'node:fs/promises';
import { basename, resolve, sep } from 'node:path';
import { WfdbError, fsError } from './errors';
import { FORMATS, INVALID, decodeSamples, samplesInBytes, type FormatInfo } from './formats';
import type { RecordHeader, SignalSpec } from './header';
import { checksum16, type RawSignal } from './samples';

/** Bytes read per positioned read when streaming a file. */
const CHUNK_BYTES = 1 << 20;

export interface Group {
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

export function buildGroups(header: RecordHeader, dir: string, heaFile: string): Group[] {
  const groups: Group[] = [];
  header.signals.forEach((s, i) => {
    const last = groups[groups.length - 1];
    if (s.format !== 0 && last && last.format && header.signals[last.signals[0]!]!.fileName === s.fileName) {
      last.signals.push(i);
      return;
    }
    const file = resolve(dir, s.fileName);
    // parseHeader refuses absolute and ".." names; a header built in code must not escape either
    if (s.format !== 0 && !file.startsWith(resolve(dir) + sep))
      throw new WfdbError('BAD_HEADER', heaFile, `signal ${i}: file "${s.fileName}" is outside the record's folder`);
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

export async function openGroup(g: Group): Promise<void> {
  if (!g.format) return;
  if (g.file.endsWith('/-') || basename(g.file) === '-')
    throw new WfdbError('UNSUPPORTED_FORMAT', g.file, 'signals on standard input cannot be read from a record');
  let size: number;
  try {
    const st = await stat(g.file);
    if (!st.isFile()) throw new WfdbError('NOT_FOUND', g.file, 'is not a regular file');
    size = st.size;
    g.handle = await open(g.file, 'r');
  } catch (err) {
    throw fsError(g.file, err);
  }
  if (size < g.byteOffset) throw new WfdbError('TRUNCATED', g.file, `is ${size} bytes, shorter than its byte offset ${g.byteOffset}`);
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
    if (have < nSamples)
      throw new WfdbError('TRUNCATED', g.file, `ends at byte ${firstByte + got}, before frame ${f + Math.floor(have / S)} (file changed while reading?)`);
    sink(bytes, f, n);
  }
}

/** Streams stored frames [f0, f1) decoded to interleaved samples: `sink(buf, firstFrame, nFrames)` with first >= f0. */
async function streamFrames(g: Group, signals: SignalSpec[], f0: number, f1: number, sink: (buf: Int32Array, first: number, n: number) => void): Promise<void> {
  const fmt = g.format!;
  const S = g.frameSamples;
  // format 8: one running value per signal, from its initial value
  const diff = fmt.differences
    ? { values: Int32Array.from(g.signals, (sig) => signals[sig]!.initValue), slotValue: Int32Array.from(g.slotSignal, (sig) => g.signals.indexOf(sig)) }
    : undefined;
  let samples = new Int32Array(0);
  await streamBytes(g, f0, f1, (bytes, f, n) => {
    if (samples.length < n * S) samples = new Int32Array(n * S);
    decodeSamples(fmt.format, bytes, n * S, samples, diff);
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
      else
        for (let s = 0; s < S; s++) {
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
export async function readGroup(g: Group, signals: SignalSpec[], from: number, to: number, out: RawSignal[]): Promise<number[] | null> {
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
    const sums = await readPlain(
      g,
      from,
      f1,
      g.signals.map((i) => out[i]!)
    );
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
export async function storedChecksums(g: Group, signals: SignalSpec[], nFrames: number): Promise<Map<number, number>> {
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

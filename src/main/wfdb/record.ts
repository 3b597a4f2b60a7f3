// Opening a WFDB record and reading any window of its signals (the signal files: signal-files.ts;
// samples, physical units and checksums: samples.ts).
import { basename, dirname, resolve } from 'node:path';
import { WfdbError } from './errors';
import { headerPath, readHeader, type RecordHeader, type SignalSpec } from './header';
import { openMultiSegment } from './multisegment';
import { checkPlausible } from './plausible';
import { allocRaw, asSigned16, isWide, checksum16, checksumResult, toPhysical, type ChecksumResult, type PhysicalOptions, type RawSignal } from './samples';
import { buildGroups, openGroup, readGroup, storedChecksums } from './signal-files';

export {
  allocRaw,
  asSigned16,
  checksum16,
  checksumResult,
  isWide,
  MAX_WINDOW_SAMPLES,
  toPhysical,
  type ChecksumResult,
  type PhysicalOptions,
  type RawSignal,
} from './samples';

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
  /**
   * Per signal, whether readRaw returns an Int32Array (else Int16Array): its format's width, or for
   * a multi-segment record whether any segment stores it in a 24- or 32-bit format.
   */
  wide: readonly boolean[];
  /** Problems that do not stop reading (checksum mismatches, extra data after the header's length). */
  warnings: string[];
  /** Raw ADC per signal for frames [from, to): samplesPerFrame*(to-from) samples each; invalid = -32768. */
  readRaw(from: number, to: number): Promise<RawSignal[]>;
  /** Physical units ((adc - baseline) / gain), NaN for invalid samples. */
  readPhysical(from: number, to: number, opts?: PhysicalOptions): Promise<Float32Array[]>;
  /** Decodes every signal whole and compares its 16-bit checksum with the header's (mismatches also go to warnings). */
  verifyChecksums(): Promise<ChecksumResult[]>;
  close(): Promise<void>;
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
      throw new WfdbError('TRUNCATED', g.file, `holds ${g.available} frames but header ${heaFile} says ${nFrames}`);
    }
    if (g.available > nFrames && header.nFrames > 0)
      warnings.push(`${g.file}: holds ${g.available} frames, more than the ${nFrames} of the header; the rest is ignored`);
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
    wide: header.signals.map(isWide),
    warnings,
    async readRaw(from, to) {
      if (closed) throw new WfdbError('IO', heaFile, 'record is closed');
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
    async readPhysical(from, to, opts) {
      const raw = await rec.readRaw(from, to);
      return raw.map((r, i) => toPhysical(r, header.signals[i]!, opts));
    },
    async verifyChecksums() {
      if (closed) throw new WfdbError('IO', heaFile, 'record is closed');
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
    throw new WfdbError('BAD_RANGE', file, `cannot read frames [${from}, ${to}) of a record of ${nFrames} frames`);
  }
}

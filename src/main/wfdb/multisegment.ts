// Multi-segment records (header(5)): a master header lists segments, each a single-segment record
// in the same directory, concatenated in time. "~" segments are null (all samples invalid). When
// the first segment has length 0 it is a layout header that names the record's signals, and the
// other segments may carry any subset of them in any order (variable layout); signals are then
// matched by description, and a segment whose gain or baseline differs is rescaled to the layout's.
import { resolve } from 'node:path';
import { WfdbError } from './errors';
import { checkPlausible } from './plausible';
import { INVALID } from './formats';
import { readHeader, type RecordHeader, type SignalSpec } from './header';
import { allocRaw, checkRange, isWide, openSingleSegment, toPhysical, type ChecksumResult, type RawSignal, type WfdbRecord } from './record';

interface Segment {
  name: string;
  start: number;
  nFrames: number;
  header: RecordHeader | null; // null for "~"
  /** For each record signal, the segment's signal index, or -1. */
  map: number[];
  record: WfdbRecord | null;
  /** Reads of this segment in progress (an open segment in use is never closed). */
  reading: number;
}

/** Segments held open at once: a record of thousands of segments must not hold a file per segment. */
const OPEN_SEGMENTS = 8;

export async function openMultiSegment(header: RecordHeader, dir: string, name: string, heaFile: string): Promise<WfdbRecord> {
  const segs = header.segments!;
  checkPlausible(header, header.nFrames, heaFile);
  const headers: (RecordHeader | null)[] = [];
  for (const s of segs) {
    if (s.name === '~') {
      headers.push(null);
      continue;
    }
    const h = await readHeader(resolve(dir, s.name));
    if (h.segments) throw new WfdbError('BAD_HEADER', heaFile, `segment ${s.name} is itself a multi-segment record`);
    if (h.nFrames !== 0 && h.nFrames !== s.nFrames)
      throw new WfdbError('BAD_HEADER', heaFile, `segment ${s.name} has ${h.nFrames} frames but the master header says ${s.nFrames}`);
    if (h.fs !== header.fs) throw new WfdbError('BAD_HEADER', heaFile, `segment ${s.name} is sampled at ${h.fs} Hz, the record at ${header.fs} Hz`);
    headers.push(h);
  }
  const variable = segs[0]!.nFrames === 0 && headers[0] !== null;
  const layout = variable ? headers[0]! : headers.find((h): h is RecordHeader => h !== null);
  if (!layout) throw new WfdbError('BAD_HEADER', heaFile, 'every segment is null: no signal is described');
  if (layout.signals.length !== header.nSignals)
    throw new WfdbError(
      'BAD_HEADER',
      heaFile,
      `record line says ${header.nSignals} signals, ${variable ? 'layout' : 'first'} segment has ${layout.signals.length}`
    );
  const signals: SignalSpec[] = layout.signals.map((s) => ({ ...s, checksum: null }));
  const segments: Segment[] = [];
  let start = 0;
  segs.forEach((s, k) => {
    const h = headers[k]!;
    let map: number[] = [];
    if (h && !(variable && k === 0)) {
      if (variable) {
        map = signals.map((sig) => h.signals.findIndex((x) => x.description === sig.description));
        h.signals.forEach((x, j) => {
          const i = map.indexOf(j);
          if (i >= 0 && x.samplesPerFrame !== signals[i]!.samplesPerFrame)
            throw new WfdbError(
              'BAD_HEADER',
              heaFile,
              `segment ${s.name} signal "${x.description}" has ${x.samplesPerFrame} samples per frame, the layout ${signals[i]!.samplesPerFrame}`
            );
        });
      } else {
        if (h.signals.length !== signals.length)
          throw new WfdbError('BAD_HEADER', heaFile, `segment ${s.name} has ${h.signals.length} signals, the record ${signals.length}`);
        map = signals.map((_, i) => i);
        h.signals.forEach((x, j) => {
          if (x.samplesPerFrame !== signals[j]!.samplesPerFrame)
            throw new WfdbError(
              'BAD_HEADER',
              heaFile,
              `segment ${s.name} signal ${j} has ${x.samplesPerFrame} samples per frame, the record ${signals[j]!.samplesPerFrame}`
            );
        });
      }
    }
    segments.push({ name: s.name, start, nFrames: s.nFrames, header: h, map, record: null, reading: 0 });
    start += s.nFrames;
  });
  // a signal needs 32 bits when any segment stores it in a wide format (a layout header's format 0
  // says nothing; a fixed layout's first segment may be 16-bit and a later one 24-bit)
  const wide = signals.map((_, i) =>
    segments.some((seg) => {
      const j = seg.map[i] ?? -1; // a mapped signal implies a header
      return j >= 0 && isWide(seg.header!.signals[j]!);
    })
  );
  const nFrames = header.nFrames || start;
  if (nFrames > start) throw new WfdbError('BAD_HEADER', heaFile, `record line says ${nFrames} frames, its segments hold ${start}`);
  checkPlausible(header, nFrames, heaFile);
  const full: RecordHeader = { ...header, signals };
  const warnings: string[] = [];
  if (nFrames < start) warnings.push(`${heaFile}: its segments hold ${start} frames, more than the ${nFrames} of its record line; the rest is ignored`);
  let closed = false;

  // the segments open now, least recently used first
  const open: Segment[] = [];

  async function segmentRecord(seg: Segment): Promise<WfdbRecord> {
    const at = open.indexOf(seg);
    if (at >= 0) open.splice(at, 1);
    open.push(seg);
    if (!seg.record) {
      seg.record = await openSingleSegment(seg.header!, dir, seg.name, resolve(dir, `${seg.name}.hea`));
      for (const w of seg.record.warnings) if (!warnings.includes(w)) warnings.push(w);
    }
    for (let k = 0; open.length > OPEN_SEGMENTS && k < open.length - 1;) {
      const old = open[k]!;
      if (old.reading > 0 || old === seg) {
        k++;
        continue;
      }
      open.splice(k, 1);
      const r = old.record;
      old.record = null;
      await r?.close();
    }
    return seg.record;
  }

  /** A segment's frames [lo, hi), the segment held open meanwhile. */
  async function readSegment(seg: Segment, lo: number, hi: number): Promise<RawSignal[]> {
    seg.reading++;
    try {
      return await (await segmentRecord(seg)).readRaw(lo, hi);
    } finally {
      seg.reading--;
    }
  }

  const rec: WfdbRecord = {
    header: full,
    dir,
    name,
    fs: header.fs,
    nFrames,
    wide,
    warnings,
    async readRaw(from, to) {
      if (closed) throw new WfdbError('IO', heaFile, 'record is closed');
      checkRange(heaFile, from, to, nFrames);
      const out = signals.map((s, i) => allocRaw(s, (to - from) * s.samplesPerFrame, heaFile, wide[i]).fill(INVALID));
      for (const seg of segments) {
        const lo = Math.max(from, seg.start);
        const hi = Math.min(to, seg.start + seg.nFrames);
        if (lo >= hi || !seg.header || seg.map.length === 0) continue;
        const part = await readSegment(seg, lo - seg.start, hi - seg.start);
        signals.forEach((spec, i) => {
          const j = seg.map[i]!;
          if (j < 0) return;
          copyRescaled(part[j]!, seg.header!.signals[j]!, out[i]!, (lo - from) * spec.samplesPerFrame, spec);
        });
      }
      return out;
    },
    async readPhysical(from, to, opts) {
      const raw = await rec.readRaw(from, to);
      return raw.map((r, i) => toPhysical(r, signals[i]!, opts));
    },
    async verifyChecksums() {
      const results: ChecksumResult[] = [];
      for (const seg of segments) {
        if (!seg.header || seg.nFrames === 0) continue;
        seg.reading++;
        try {
          const r = await segmentRecord(seg);
          for (const c of await r.verifyChecksums()) {
            results.push(c);
            for (const w of r.warnings) if (!warnings.includes(w)) warnings.push(w);
          }
        } finally {
          seg.reading--;
        }
      }
      return results;
    },
    async close() {
      closed = true;
      open.length = 0;
      await Promise.all(segments.map((s) => s.record?.close()));
    },
  };
  return rec;
}

/**
 * Copies a segment's raw samples into the record's array, converting to the layout's gain and
 * baseline when they differ; a converted value the array cannot hold is invalid (it would wrap).
 */
function copyRescaled(src: RawSignal, from: SignalSpec, dst: RawSignal, at: number, to: SignalSpec): void {
  const g1 = from.adcGain || 200;
  const g2 = to.adcGain || 200;
  if (g1 === g2 && from.baseline === to.baseline && (src instanceof Int16Array || dst instanceof Int32Array)) {
    dst.set(src, at);
    return;
  }
  const [lo, hi] = dst instanceof Int16Array ? [-32767, 32767] : [-2147483647, 2147483647];
  for (let i = 0; i < src.length; i++) {
    const v = src[i]!;
    const w = Math.round(((v - from.baseline) * g2) / g1 + to.baseline);
    dst[at + i] = v === INVALID || !(w >= lo && w <= hi) ? INVALID : w;
  }
}

// Open records for the review UI: a small LRU keyed by resolved path, the RecordInfo the renderer
// shows, signal windows (min/max decimated server-side when the range is large: a coarse
// min/max level of the whole record is built once, so a 24-hour overview costs a few ms), and the
// content hash reviewer work is keyed by (the analysis's own, so both agree).
import { readdir } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import type { RecordInfo } from '../../shared/contract';
import type { SignalWindow } from '../../shared/review';
import { minMaxBuckets, mergeMinMax } from './decimate';
import type { WfdbRecord } from '../wfdb/record';
import { recordContentHash } from '../analysis/record';
import { inMillivolts } from '../../shared/ecg-leads';

/** An open record as the WFDB reader returns it. */
export type OpenedRecord = WfdbRecord;
export type RecordOpener = (path: string) => Promise<OpenedRecord>;

/** Frames per point of the precomputed level. */
export const LEVEL = 64;
const CHUNK_FRAMES = LEVEL * 16_384;
const DEFAULT_POINTS = 4000;

interface Entry {
  rec: OpenedRecord;
  info: RecordInfo;
  hash?: Promise<string>;
  level?: Promise<{ min: Float32Array[]; max: Float32Array[] }>;
}

function stripHea(path: string): string {
  return path.endsWith('.hea') ? path.slice(0, -4) : path;
}

async function annotatorsOf(recordPath: string, name: string, signalFiles: Set<string>): Promise<string[]> {
  try {
    const files = await readdir(dirname(recordPath));
    const out: string[] = [];
    for (const f of files) {
      if (!f.startsWith(`${name}.`) || signalFiles.has(f)) continue;
      const ext = f.slice(name.length + 1);
      if (/^[A-Za-z0-9_]{1,16}$/.test(ext) && !['hea', 'dat', 'mat', 'csv', 'json', 'tmp'].includes(ext)) out.push(ext);
    }
    return out.sort((a, b) => (a === 'atr' ? -1 : b === 'atr' ? 1 : a.localeCompare(b)));
  } catch {
    return [];
  }
}

export class RecordStore {
  private readonly entries = new Map<string, Promise<Entry>>();

  constructor(
    private readonly open: RecordOpener,
    private readonly capacity = 4
  ) {}

  private async load(key: string): Promise<Entry> {
    const rec = await this.open(key);
    const files = new Set(rec.header.signals.map((s) => s.fileName));
    const info: RecordInfo = {
      path: key,
      name: rec.name,
      fs: rec.fs,
      nFrames: rec.nFrames,
      durationSec: rec.nFrames / rec.fs,
      baseTime: rec.header.baseTime,
      baseDate: rec.header.baseDate,
      signals: rec.header.signals.map((s, index) => ({
        index,
        description: s.description || `signal ${index}`,
        units: s.units || 'mV',
        gain: s.adcGain,
        baseline: s.baseline,
        format: s.format,
        samplesPerFrame: s.samplesPerFrame,
      })),
      annotators: await annotatorsOf(key, basename(key), files),
      warnings: rec.warnings,
    };
    return { rec, info };
  }

  private get(path: string): Promise<Entry> {
    const key = resolve(stripHea(path));
    let e = this.entries.get(key);
    if (e) {
      this.entries.delete(key);
      this.entries.set(key, e);
      return e;
    }
    e = this.load(key);
    this.entries.set(key, e);
    // Build the whole-record min/max level in the background (4 s for 24 h of format 212), so the
    // first zoom-out and the overview strip find it ready.
    e.then(
      (x) => void this.level(x).catch(() => undefined),
      () => this.entries.delete(key)
    );
    while (this.entries.size > this.capacity) {
      const [oldKey, old] = this.entries.entries().next().value as [string, Promise<Entry>];
      this.entries.delete(oldKey);
      old.then((x) => x.rec.close()).catch(() => undefined);
    }
    return e;
  }

  async info(path: string): Promise<RecordInfo> {
    return (await this.get(path)).info;
  }

  async hash(path: string): Promise<string> {
    const e = await this.get(path);
    // The same hash the analysis stores its result under (Analysis.recordHash).
    e.hash ??= recordContentHash(e.rec, e.info.path);
    return e.hash;
  }

  /** Frames [from, to) of every signal, as at most maxPoints (min, max) points per signal. */
  async window(path: string, from: number, to: number, maxPoints = DEFAULT_POINTS): Promise<SignalWindow> {
    const e = await this.get(path);
    const n = e.rec.nFrames;
    const a = Math.max(0, Math.min(from, n));
    const b = Math.max(a, Math.min(to, n));
    const span = b - a;
    const nSig = e.info.signals.length;
    if (span === 0)
      return {
        from: a,
        to: b,
        bucket: 1,
        min: Array.from({ length: nSig }, () => new Float32Array(0)),
        max: Array.from({ length: nSig }, () => new Float32Array(0)),
      };
    const want = Math.max(1, Math.ceil(span / maxPoints));
    if (want === 1) {
      const data = inMillivolts(await e.rec.readPhysical(a, b), e.rec.header.signals);
      const min = data.map((d) => this.frames(d, span));
      return { from: a, to: b, bucket: 1, min, max: min };
    }
    if (want < LEVEL) {
      const data = inMillivolts(await e.rec.readPhysical(a, b), e.rec.header.signals);
      const points = Math.ceil(span / want);
      const min = data.map(() => new Float32Array(points));
      const max = data.map(() => new Float32Array(points));
      data.forEach((d, s) => minMaxBuckets(d, want, min[s]!, max[s]!, Math.max(1, Math.round(d.length / span))));
      return { from: a, to: b, bucket: want, min, max };
    }
    const factor = Math.ceil(want / LEVEL);
    const level = await this.level(e);
    const i0 = Math.floor(a / LEVEL);
    const i1 = Math.ceil(b / LEVEL);
    const points = Math.ceil((i1 - i0) / factor);
    const min = level.min.map(() => new Float32Array(points));
    const max = level.min.map(() => new Float32Array(points));
    for (let s = 0; s < level.min.length; s++) mergeMinMax(level.min[s]!, level.max[s]!, i0, i1, factor, min[s]!, max[s]!);
    return { from: i0 * LEVEL, to: Math.min(n, i1 * LEVEL), bucket: factor * LEVEL, min, max };
  }

  private frames(d: Float32Array, span: number): Float32Array<ArrayBuffer> {
    const stride = Math.max(1, Math.round(d.length / span));
    if (stride === 1 && d.buffer instanceof ArrayBuffer) return d as Float32Array<ArrayBuffer>;
    const out = new Float32Array(span);
    for (let i = 0; i < span; i++) out[i] = d[i * stride]!;
    return out;
  }

  private level(e: Entry): Promise<{ min: Float32Array[]; max: Float32Array[] }> {
    e.level ??= (async () => {
      const n = e.rec.nFrames;
      const points = Math.ceil(n / LEVEL);
      const nSig = e.info.signals.length;
      const min = Array.from({ length: nSig }, () => new Float32Array(points));
      const max = Array.from({ length: nSig }, () => new Float32Array(points));
      for (let f = 0; f < n; f += CHUNK_FRAMES) {
        const end = Math.min(n, f + CHUNK_FRAMES);
        const data = inMillivolts(await e.rec.readPhysical(f, end), e.rec.header.signals);
        const p0 = f / LEVEL;
        data.forEach((d, s) => {
          minMaxBuckets(d, LEVEL, min[s]!.subarray(p0), max[s]!.subarray(p0), Math.max(1, Math.round(d.length / (end - f))));
        });
      }
      return { min, max };
    })();
    e.level.catch(() => (e.level = undefined));
    return e.level;
  }

  async closeAll(): Promise<void> {
    const all = [...this.entries.values()];
    this.entries.clear();
    await Promise.all(all.map((p) => p.then((x) => x.rec.close()).catch(() => undefined)));
  }
}

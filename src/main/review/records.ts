// Open records for the review UI: a small LRU keyed by resolved path, the RecordInfo the renderer
// shows, signal windows (min/max decimated server-side when the range is large: a coarse
// min/max level of the whole record is built once, so a 24-hour overview costs a few ms), and the
// content hash reviewer work is keyed by (the analysis's own, so both agree). A record is shown at
// the rate its analysis counts beats at: a multi-frequency record's at its ECG leads' own rate
// (analysisSamplesPerFrame), the trace's samples, windows and annotations all at that rate.
import { readdir } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import type { RecordInfo } from '../../shared/contract';
import type { SignalWindow } from '../../shared/review';
import { minMaxBuckets, mergeMinMax } from './decimate';
import type { WfdbRecord } from '../wfdb/record';
import { readPhysicalAt } from '../wfdb/at-rate';
import { recordContentHash } from '../analysis/record';
import { analysisSamplesPerFrame, inMillivolts } from '../../shared/ecg-leads';

/** An open record as the WFDB reader returns it. */
export type OpenedRecord = WfdbRecord;
export type RecordOpener = (path: string) => Promise<OpenedRecord>;

/** Samples per point of the precomputed level. */
export const LEVEL = 64;
const CHUNK_SAMPLES = LEVEL * 16_384;
const DEFAULT_POINTS = 4000;

interface Entry {
  rec: OpenedRecord;
  info: RecordInfo;
  /** Samples a frame the record is shown at (info.fs = its frame rate × this). */
  samplesPerFrame: number;
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
    const k = analysisSamplesPerFrame(rec.header.signals);
    const info: RecordInfo = {
      path: key,
      name: rec.name,
      fs: rec.fs * k,
      ...(k !== 1 ? { frameFs: rec.fs } : {}),
      nFrames: rec.nFrames * k,
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
    return { rec, info, samplesPerFrame: k };
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

  /** Samples [from, to) at info.fs of every signal, as at most maxPoints (min, max) points per signal. */
  async window(path: string, from: number, to: number, maxPoints = DEFAULT_POINTS): Promise<SignalWindow> {
    const e = await this.get(path);
    const n = e.info.nFrames;
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
      const min = await this.read(e, a, b);
      return { from: a, to: b, bucket: 1, min, max: min };
    }
    if (want < LEVEL) {
      const data = await this.read(e, a, b);
      const points = Math.ceil(span / want);
      const min = data.map(() => new Float32Array(points));
      const max = data.map(() => new Float32Array(points));
      data.forEach((d, s) => minMaxBuckets(d, want, min[s]!, max[s]!));
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

  /** Samples [a, b) at info.fs of every signal, in mV: one value per sample (a signal of other samples a frame as rdsamp -H lays it out). */
  private async read(e: Entry, a: number, b: number): Promise<Float32Array<ArrayBuffer>[]> {
    // read without `shared`: each array over a plain ArrayBuffer, as the window's schema takes them
    return inMillivolts(await readPhysicalAt(e.rec, e.samplesPerFrame, a, b), e.rec.header.signals) as Float32Array<ArrayBuffer>[];
  }

  private level(e: Entry): Promise<{ min: Float32Array[]; max: Float32Array[] }> {
    e.level ??= (async () => {
      const n = e.info.nFrames;
      const points = Math.ceil(n / LEVEL);
      const nSig = e.info.signals.length;
      const min = Array.from({ length: nSig }, () => new Float32Array(points));
      const max = Array.from({ length: nSig }, () => new Float32Array(points));
      for (let f = 0; f < n; f += CHUNK_SAMPLES) {
        const data = await this.read(e, f, Math.min(n, f + CHUNK_SAMPLES));
        const p0 = f / LEVEL;
        data.forEach((d, s) => {
          minMaxBuckets(d, LEVEL, min[s]!.subarray(p0), max[s]!.subarray(p0));
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

// The rhythm dataset: 10 s windows of lead 0 at 125 Hz with their rhythm class, streamed to .npy
// files (see docs/datasets.md).
import { dirname, join } from 'node:path';
import { mnemonic, type Annotation } from '../wfdb';
import { RHYTHM_CLASSES, RHYTHM_SKIP, constantIntervals, labelWindows, rhythmClassOfCinc, rhythmIntervals, type RhythmIntervals } from '../rhythm/labels';
import { RHYTHM_BAND_HZ, RHYTHM_CLIP, RHYTHM_FS, RHYTHM_WINDOW, RHYTHM_WINDOW_SEC, rhythmWindows } from '../rhythm/windows';
import { cincReference } from './cinc';
import { DatasetError } from './errors';
import { loadAnnotations, loadLeads } from './load';
import { writeStagedDataset, type OpenNpy } from './staging';
import type { RecordRef } from './records';
import { mitdbSplit, type MitdbSplit } from './splits';

export interface RhythmDatasetOptions {
  /** Seconds between window starts. Default 5. */
  strideSec?: number;
  /** Annotator holding the rhythm annotations. Default 'atr'. */
  annotator?: string;
  onRecord?: (done: number, total: number, ref: RecordRef) => void;
}

export interface RhythmRecordMeta {
  name: string;
  db: string;
  path: string;
  fs: number;
  nFrames: number;
  lead: string;
  /** Where the labels came from: the record's annotations or CinC 2017's REFERENCE.csv. */
  labelSource: 'annotations' | 'REFERENCE.csv';
  nWindows: number;
  /** Windows without a class covering ≥ 50 % (not written). */
  skipped: number;
  counts: number[];
  split: MitdbSplit | null;
}

export interface RhythmDatasetMeta {
  format: 'heartbeat-sensei-rhythm';
  version: 1;
  fs: number;
  windowSec: number;
  windowLength: number;
  strideSec: number;
  classes: string[];
  n: number;
  counts: Record<string, number>;
  preprocessing: string;
  labelling: string;
  files: Record<string, { dtype: string; shape: number[]; what: string }>;
  records: RhythmRecordMeta[];
}

export interface RecordRhythm {
  x: Float32Array;
  labels: Uint8Array;
  start: Int32Array;
  meta: RhythmRecordMeta;
}

/** Rhythm intervals of a record: REFERENCE.csv (CinC 2017) when its folder has one, else annotations. */
async function intervalsOf(
  ref: RecordRef,
  annotator: string,
  samplesPerFrame: number
): Promise<{ iv: RhythmIntervals; source: RhythmRecordMeta['labelSource'] }> {
  const cinc = cincReference(dirname(ref.path));
  if (cinc) {
    const label = cinc.get(ref.name);
    if (label === undefined) throw new DatasetError(join(dirname(ref.path), 'REFERENCE.csv'), `no label for record ${ref.name}`);
    return { iv: constantIntervals(rhythmClassOfCinc(label)), source: 'REFERENCE.csv' };
  }
  return { iv: rhythmIntervalsOfAnnotations(await loadAnnotations(ref, annotator, samplesPerFrame)), source: 'annotations' };
}

/** Rhythm intervals from a record's WFDB annotations (rhythm changes and VF brackets). */
export function rhythmIntervalsOfAnnotations(anns: readonly Annotation[]): RhythmIntervals {
  return rhythmIntervals(anns.map((a) => ({ sample: a.sample, mnemonic: mnemonic(a.code), aux: a.aux ?? '' })));
}

/** Labelled rhythm windows of one record (windows without a majority class left out). */
export async function recordRhythm(ref: RecordRef, opts: RhythmDatasetOptions = {}): Promise<RecordRhythm> {
  const leads = await loadLeads(ref, 1);
  const { iv, source } = await intervalsOf(ref, opts.annotator ?? 'atr', leads.samplesPerFrame);
  const w = rhythmWindows(leads.signals[0]!, leads.fs, opts.strideSec ?? 5);
  const lengthAtFs = Math.round(RHYTHM_WINDOW_SEC * leads.fs);
  const all = labelWindows(iv, w.startSample, lengthAtFs);
  const keep: number[] = [];
  for (let i = 0; i < all.length; i++) if (all[i] !== RHYTHM_SKIP) keep.push(i);
  const x = new Float32Array(keep.length * RHYTHM_WINDOW);
  keep.forEach((i, k) => x.set(w.x.subarray(i * RHYTHM_WINDOW, (i + 1) * RHYTHM_WINDOW), k * RHYTHM_WINDOW));
  const labels = Uint8Array.from(keep, (i) => all[i]!);
  const counts = new Array<number>(RHYTHM_CLASSES.length).fill(0);
  for (const l of labels) counts[l]!++;
  return {
    x,
    labels,
    start: Int32Array.from(keep, (i) => w.startSample[i]!),
    meta: {
      name: ref.name,
      db: ref.db,
      path: ref.path,
      fs: leads.fs,
      nFrames: leads.nFrames,
      lead: leads.names[0]!,
      labelSource: source,
      nWindows: keep.length,
      skipped: all.length - keep.length,
      counts,
      split: mitdbSplit(ref.db, ref.name),
    },
  };
}

/** Writes the rhythm dataset of `records` into outDir (created); returns what meta.json holds. */
export async function writeRhythmDataset(records: readonly RecordRef[], outDir: string, opts: RhythmDatasetOptions = {}): Promise<RhythmDatasetMeta> {
  return writeStagedDataset(outDir, 'heartbeat-sensei-rhythm', (npy) => writeRhythmFiles(records, opts, npy));
}

/** The dataset's files, through `npy`; returns its meta. */
async function writeRhythmFiles(records: readonly RecordRef[], opts: RhythmDatasetOptions, npy: OpenNpy): Promise<RhythmDatasetMeta> {
  const w = {
    x: npy('x.npy', 'f4', [1, RHYTHM_WINDOW]),
    labels: npy('labels.npy', 'u1', []),
    record: npy('record.npy', 'i4', []),
    start: npy('start.npy', 'i4', []),
  };
  const metas: RhythmRecordMeta[] = [];
  for (let r = 0; r < records.length; r++) {
    const rr = await recordRhythm(records[r]!, opts);
    w.x.append(rr.x);
    w.labels.append(rr.labels);
    w.record.append(new Int32Array(rr.labels.length).fill(r));
    w.start.append(rr.start);
    metas.push(rr.meta);
    opts.onRecord?.(r + 1, records.length, records[r]!);
  }
  const n = w.labels.length;
  const counts: Record<string, number> = {};
  RHYTHM_CLASSES.forEach((c, k) => (counts[c] = metas.reduce((s, m) => s + m.counts[k]!, 0)));
  const meta: RhythmDatasetMeta = {
    format: 'heartbeat-sensei-rhythm',
    version: 1,
    fs: RHYTHM_FS,
    windowSec: RHYTHM_WINDOW_SEC,
    windowLength: RHYTHM_WINDOW,
    strideSec: opts.strideSec ?? 5,
    classes: [...RHYTHM_CLASSES],
    n,
    counts,
    preprocessing: `first ECG lead resampled to ${RHYTHM_FS} Hz, band-passed ${RHYTHM_BAND_HZ[0]}-${RHYTHM_BAND_HZ[1]} Hz (zero phase), each window (x - median) / (1.4826 MAD) clipped to ±${RHYTHM_CLIP}; a last window ends at the record's end; records shorter than 10 s give one window zero-padded at the end`,
    labelling:
      "class covering >= 50 % of the window (ties to the more severe: VT > AF > noise > other), windows without one left out; rhythm annotations '+' (AFIB → AF; VT, VFL, VF, VFIB → VT; NOISE → noise; anything else → other), cudb's '[' ... ']' → VT, 'other' before the first rhythm annotation; CinC 2017: REFERENCE.csv N/O → other, A → AF, ~ → noise for every window of the recording",
    files: {
      'x.npy': { dtype: 'float32', shape: [n, 1, RHYTHM_WINDOW], what: 'normalised 10 s windows at 125 Hz' },
      'labels.npy': { dtype: 'uint8', shape: [n], what: 'rhythm class index into classes' },
      'record.npy': { dtype: 'int32', shape: [n], what: 'index into records' },
      'start.npy': { dtype: 'int32', shape: [n], what: "window start, sample at the record's own fs" },
    },
    records: metas,
  };
  return meta;
}

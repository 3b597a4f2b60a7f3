// The beat dataset: windows, RR features, AAMI labels and provenance of every labelled beat of
// the given records, streamed to .npy files (see docs/datasets.md).
import { AAMI_CLASSES, type BeatSource } from '../../shared/analysis';
import {
  BEAT_FLAG,
  BEAT_FS,
  BEAT_LEADS,
  BEAT_WINDOW,
  N_RR,
  RR_FEATURES,
  R_INDEX,
  extractBeatWindows,
  gatherTemplates,
  matchNearest,
  templatesOfRows,
} from '../beats';
import { aamiClassOf } from '../evaluation';
import type { Annotation } from '../wfdb';
import { RHYTHM_AF } from '../rhythm/labels';
import { rhythmIntervalsOfAnnotations } from './rhythm';
import { DatasetError } from './errors';
import { loadAnnotations, loadLeads, type LoadedLeads } from './load';
import { mapIndex, resample } from '../dsp';
import { writeStagedDataset, type OpenNpy } from './staging';
import type { RecordRef } from './records';
import { mitdbSplit, type MitdbSplit } from './splits';

/** Finds QRS complexes (the app's detector) in the given leads at fs. */
export type QrsDetector = (signals: Float32Array[], fs: number) => Int32Array | Promise<Int32Array>;

export interface BeatDatasetOptions {
  /** Beat positions: the reference annotations ('reference', default) or the QRS detector ('detector'). */
  beats?: BeatSource;
  /** Annotator of the reference beats (labels). Default 'atr'. */
  annotator?: string;
  /**
   * Where the reference beats' windows are cut (beats = 'reference' only): at the reference marks
   * ('reference', default) or at the QRS detector's mark of each beat ('detector': the matching
   * detection within the match window, the reference mark where it found none). The rows are the
   * same beats in the same order as with 'reference' (training pairs them): the beats as the
   * app's detector marks them, which differs most on PVCs (docs/experiments/2026-12-06-beat-fiducials.md).
   */
  marks?: 'reference' | 'detector';
  /** Needed when beats = 'detector' or marks = 'detector'. */
  detector?: QrsDetector;
  /** Match window of detections to reference beats, seconds. Default 0.15 (EC57). */
  matchSec?: number;
  /**
   * Resample every record to this rate first (the app's own resampler) and map its reference beats
   * there: the same beats as a recording made at that rate, for training on low-rate inputs. The
   * rows stay in the same order as without it (training pairs them).
   */
  viaFs?: number;
  onRecord?: (done: number, total: number, ref: RecordRef) => void;
  /**
   * Before the dataset is moved in: checks or amends its meta (it throws to abandon the run) and
   * writes files of its own beside it with `path`; returns their names (moved in before meta.json).
   */
  finish?: (meta: BeatDatasetMeta, path: (name: string) => string) => Promise<string[]>;
}

export interface BeatRecordMeta {
  name: string;
  db: string;
  path: string;
  fs: number;
  nBeats: number;
  /** Beats per class, AAMI_CLASSES order. */
  counts: number[];
  leads: string[];
  singleLead: boolean;
  split: MitdbSplit | null;
  /** The rate the record was resampled to before the beats were cut (BeatDatasetOptions.viaFs). */
  viaFs?: number;
  /** beats = 'detect': detections, and those with no reference beat within the match window (not written). */
  detections?: number;
  unmatched?: number;
  /** marks = 'detector': reference beats cut at a detection's mark, and those the detector did not find (cut at the reference mark). */
  detectorMarked?: number;
  missed?: number;
}

export interface BeatDatasetMeta {
  format: 'heartbeat-sensei-beats';
  version: 1;
  fs: number;
  windowLength: number;
  rIndex: number;
  leads: string[];
  rrFeatures: string[];
  classes: string[];
  beats: BeatSource;
  /** Present when the reference beats were cut at the detector's marks (BeatDatasetOptions.marks). */
  marks?: 'detector';
  n: number;
  counts: Record<string, number>;
  normalisation: string;
  files: Record<string, { dtype: string; shape: number[]; what: string }>;
  records: BeatRecordMeta[];
}

export const BEAT_NORMALISATION =
  "per lead: window median subtracted, then divided by the running median (257 beats centred on the beat) of the beats' QRS peak-to-peak amplitude within ±100 ms of R, floored at 0.1 mV; the divisor (mV) is in scale.npy";

/** Labelled beats of one record, as rows ready to write. */
export interface BeatRows {
  windows: Float32Array;
  rr: Float32Array;
  labels: Uint8Array;
  sample: Int32Array;
  flags: Uint8Array;
  scale: Float32Array;
  /** Per-beat template (the record's dominant beat around it), n × 2 × 216. */
  template: Float32Array;
  meta: BeatRecordMeta;
}

/** Reference beats (beat codes only, first of any same-sample pair) and their AAMI class index. */
export function referenceBeats(anns: readonly Annotation[]): { sample: Int32Array; label: Uint8Array } {
  const sample: number[] = [];
  const label: number[] = [];
  for (const a of anns) {
    const c = aamiClassOf(a.code);
    if (c === null) continue;
    if (sample.length > 0 && a.sample <= sample[sample.length - 1]!) continue;
    sample.push(a.sample);
    label.push(AAMI_CLASSES.indexOf(c));
  }
  return { sample: Int32Array.from(sample), label: Uint8Array.from(label) };
}

function pickRows<T extends Float32Array | Int32Array | Uint8Array>(a: T, rowLen: number, rows: Int32Array, make: (n: number) => T): T {
  const out = make(rows.length * rowLen);
  for (let k = 0; k < rows.length; k++) out.set(a.subarray(rows[k]! * rowLen, (rows[k]! + 1) * rowLen), k * rowLen);
  return out;
}

/** The leads as a recording at `viaFs` would hold them (unchanged when absent or equal). */
function atRate(leads: LoadedLeads, viaFs: number | undefined): LoadedLeads & { sourceFs: number; viaFs?: number } {
  if (viaFs === undefined || viaFs === leads.fs) return { ...leads, sourceFs: leads.fs };
  const signals = leads.signals.map((x) => resample(x, leads.fs, viaFs));
  return { ...leads, signals, fs: viaFs, nFrames: signals[0]?.length ?? 0, sourceFs: leads.fs, viaFs };
}

/** Beats of one record: windows from the chosen beat positions, labels from the reference. */
export async function recordBeats(ref: RecordRef, opts: BeatDatasetOptions = {}): Promise<BeatRows> {
  const source = opts.beats ?? 'reference';
  const leads = atRate(await loadLeads(ref, BEAT_LEADS), opts.viaFs);
  const anns = await loadAnnotations(ref, opts.annotator ?? 'atr', leads.samplesPerFrame);
  const refBeats = referenceBeats(anns);
  if (leads.viaFs !== undefined) refBeats.sample = refBeats.sample.map((s) => mapIndex(s, leads.sourceFs, leads.fs));
  let positions = refBeats.sample;
  let rowsKept: Int32Array | null = null;
  let labels = refBeats.label;
  let detections: number | undefined;
  let marked: { detectorMarked: number; missed: number } | undefined;
  if (opts.marks === 'detector' && source !== 'reference') throw new DatasetError(ref.path, 'marks = detector applies to beats = reference', 'BAD_VALUE');
  if (opts.marks === 'detector') {
    if (!opts.detector) throw new DatasetError(ref.path, 'marks = detector needs a QRS detector', 'BAD_VALUE');
    const found = await opts.detector(leads.signals, leads.fs);
    ({ positions, marked } = detectorMarks(refBeats.sample, found, Math.round((opts.matchSec ?? 0.15) * leads.fs)));
  } else if (source === 'detector') {
    if (!opts.detector) throw new DatasetError(ref.path, 'beats = detector needs a QRS detector', 'BAD_VALUE');
    positions = await opts.detector(leads.signals, leads.fs);
    detections = positions.length;
    const match = matchNearest(positions, refBeats.sample, Math.round((opts.matchSec ?? 0.15) * leads.fs));
    const keep: number[] = [];
    for (let i = 0; i < match.length; i++) if (match[i]! >= 0) keep.push(i);
    rowsKept = Int32Array.from(keep);
    labels = Uint8Array.from(keep, (i) => refBeats.label[match[i]!]!);
  }
  const b = extractBeatWindows(leads.signals, leads.fs, positions);
  let { windows, rr, flags, scale } = b;
  let sample = positions;
  const template = rowsKept ? templatesOfRows(b.templates, rowsKept) : gatherTemplates(b.templates, 0, positions.length);
  if (rowsKept) {
    windows = pickRows(windows, BEAT_LEADS * BEAT_WINDOW, rowsKept, (n) => new Float32Array(n));
    rr = pickRows(rr, N_RR, rowsKept, (n) => new Float32Array(n));
    flags = pickRows(flags, 1, rowsKept, (n) => new Uint8Array(n));
    scale = pickRows(scale, BEAT_LEADS, rowsKept, (n) => new Float32Array(n));
    sample = pickRows(positions, 1, rowsKept, (n) => new Int32Array(n));
  }
  markReferenceAf(flags, sample, anns, leads.sourceFs, leads.fs);
  const counts = new Array<number>(AAMI_CLASSES.length).fill(0);
  for (const l of labels) counts[l]!++;
  const meta: BeatRecordMeta = {
    name: ref.name,
    db: ref.db,
    path: ref.path,
    fs: leads.fs,
    nBeats: labels.length,
    counts,
    leads: leads.names,
    singleLead: b.singleLead,
    split: mitdbSplit(ref.db, ref.name),
  };
  if (leads.viaFs !== undefined) meta.viaFs = leads.viaFs;
  if (detections !== undefined) {
    meta.detections = detections;
    meta.unmatched = detections - labels.length;
  }
  if (marked) Object.assign(meta, marked);
  return { windows, rr, labels, sample, flags, scale, template, meta };
}

/**
 * The reference beats moved to the mark of the detection matched to each (one to one, within `tol`
 * samples), kept at the reference mark where none matched. A move that would pass a neighbouring
 * beat is not made, so the positions stay strictly increasing.
 */
export function detectorMarks(
  reference: Int32Array,
  detections: Int32Array,
  tol: number
): { positions: Int32Array; marked: { detectorMarked: number; missed: number } } {
  const positions = Int32Array.from(reference);
  const match = matchNearest(detections, reference, tol);
  let detectorMarked = 0;
  for (let i = 0; i < match.length; i++) {
    const k = match[i]!;
    if (k < 0) continue;
    const d = detections[i]!;
    if ((k > 0 && d <= positions[k - 1]!) || (k + 1 < positions.length && d >= positions[k + 1]!)) continue;
    positions[k] = d;
    detectorMarked++;
  }
  return { positions, marked: { detectorMarked, missed: reference.length - detectorMarked } };
}

/**
 * Sets BEAT_FLAG.IN_REFERENCE_AF on the beats (positions at `fs`) inside the AF stretches of the
 * reference rhythm annotations (at `sourceFs`): what training needs to score the app's
 * "no S beat in AF" rule out of fold.
 */
export function markReferenceAf(flags: Uint8Array, sample: Int32Array, anns: readonly Annotation[], sourceFs: number, fs: number): void {
  const iv = rhythmIntervalsOfAnnotations(anns);
  const start = sourceFs === fs ? iv.start : iv.start.map((s) => mapIndex(s, sourceFs, fs));
  let k = 0;
  for (let i = 0; i < sample.length; i++) {
    while (k + 1 < start.length && start[k + 1]! <= sample[i]!) k++;
    if (iv.cls[k] === RHYTHM_AF) flags[i]! |= BEAT_FLAG.IN_REFERENCE_AF;
  }
}

/** Writes the beat dataset of `records` into outDir (created); returns what meta.json holds. */
export async function writeBeatDataset(records: readonly RecordRef[], outDir: string, opts: BeatDatasetOptions = {}): Promise<BeatDatasetMeta> {
  return writeStagedDataset(outDir, 'heartbeat-sensei-beats', (npy) => writeBeatFiles(records, opts, npy), opts.finish);
}

/** The dataset's files, through `npy`; returns its meta. */
async function writeBeatFiles(records: readonly RecordRef[], opts: BeatDatasetOptions, npy: OpenNpy): Promise<BeatDatasetMeta> {
  const w = {
    windows: npy('windows.npy', 'f4', [BEAT_LEADS, BEAT_WINDOW]),
    rr: npy('rr.npy', 'f4', [N_RR]),
    labels: npy('labels.npy', 'u1', []),
    record: npy('record.npy', 'i4', []),
    sample: npy('sample.npy', 'i4', []),
    flags: npy('flags.npy', 'u1', []),
    scale: npy('scale.npy', 'f4', [BEAT_LEADS]),
    template: npy('template.npy', 'f4', [BEAT_LEADS, BEAT_WINDOW]),
  };
  const metas: BeatRecordMeta[] = [];
  for (let r = 0; r < records.length; r++) {
    const rb = await recordBeats(records[r]!, opts);
    w.windows.append(rb.windows);
    w.rr.append(rb.rr);
    w.labels.append(rb.labels);
    w.record.append(new Int32Array(rb.labels.length).fill(r));
    w.sample.append(rb.sample);
    w.flags.append(rb.flags);
    w.scale.append(rb.scale);
    w.template.append(rb.template);
    metas.push(rb.meta);
    opts.onRecord?.(r + 1, records.length, records[r]!);
  }
  const n = w.labels.length;
  const counts: Record<string, number> = {};
  AAMI_CLASSES.forEach((c, k) => (counts[c] = metas.reduce((s, m) => s + m.counts[k]!, 0)));
  const meta: BeatDatasetMeta = {
    format: 'heartbeat-sensei-beats',
    version: 1,
    fs: BEAT_FS,
    windowLength: BEAT_WINDOW,
    rIndex: R_INDEX,
    leads: ['first ECG signal of the record', 'second ECG signal (a copy of the first on single-lead records, flags bit 2)'],
    rrFeatures: [...RR_FEATURES],
    classes: [...AAMI_CLASSES],
    beats: opts.beats ?? 'reference',
    ...(opts.marks === 'detector' ? { marks: 'detector' as const } : {}),
    n,
    counts,
    normalisation: BEAT_NORMALISATION,
    files: {
      'windows.npy': { dtype: 'float32', shape: [n, BEAT_LEADS, BEAT_WINDOW], what: 'beat windows [beat][lead][t] at 360 Hz, R at index rIndex, normalised' },
      'rr.npy': { dtype: 'float32', shape: [n, N_RR], what: 'RR features, rrFeatures order, seconds or ratios' },
      'labels.npy': { dtype: 'uint8', shape: [n], what: 'AAMI class index into classes' },
      'record.npy': { dtype: 'int32', shape: [n], what: 'index into records' },
      'sample.npy': { dtype: 'int32', shape: [n], what: "R-peak sample at the record's own fs" },
      'flags.npy': {
        dtype: 'uint8',
        shape: [n],
        what: 'bit 1: window runs off the record (padded); bit 2: lead 1 copied from lead 0; bit 4: inside a reference AF stretch; bit 8: lead 0 off (flat) while lead 1 is not',
      },
      'scale.npy': { dtype: 'float32', shape: [n, BEAT_LEADS], what: 'amplitude divisor per lead, mV (window × scale = mV minus the window median)' },
      'template.npy': {
        dtype: 'float32',
        shape: [n, BEAT_LEADS, BEAT_WINDOW],
        what: "the record's dominant beat around this beat (src/main/beats/template.ts), normalised like the windows",
      },
    },
    records: metas,
  };
  return meta;
}

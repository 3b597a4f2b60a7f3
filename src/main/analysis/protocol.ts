// Messages between the main thread and the analysis worker.
import type { Analysis } from '../../shared/analysis';
import type { JobReply } from '../jobs/worker';
import type { AnalyzeSettings } from './pipeline';
import type { ProgressEvent } from './progress';
import type { RhythmWindows } from '../rhythm/windows';

export interface RunMessage {
  type: 'run';
  path: string;
  settings: AnalyzeSettings;
  /** 4-byte shared flag: non-zero = cancel (read by the worker while it computes). */
  cancel: SharedArrayBuffer;
}

/** Rhythm windows of one lead, computed for the analysis worker by a helper worker (parallel.ts). */
export interface RhythmWindowsMessage {
  type: 'rhythm-windows';
  signal: Float32Array;
  fs: number;
  strideSec: number;
}

export type RhythmWindowsReply = { type: 'rhythm-windows'; result: RhythmWindows } | { type: 'rhythm-windows-error'; message: string };

/** beatNotes packed for the trip between threads: thousands of small [index, text] tuples are slow
 * to structured-clone (per-object cost on the receiving main thread); an Int32Array and one string are not. */
export interface PackedNotes {
  index: Int32Array;
  text: string;
}

/** The analysis as it leaves the worker: its beat notes packed. */
export interface AnalysisResult {
  analysis: Analysis;
  notes?: PackedNotes;
}

export type WorkerReply = JobReply<ProgressEvent, AnalysisResult>;

const SEP = '\u001f';

export function packNotes(a: Analysis): AnalysisResult {
  if (!a.beatNotes) return { analysis: a };
  const { beatNotes, ...rest } = a;
  return { analysis: rest, notes: { index: Int32Array.from(beatNotes, (n) => n[0]), text: beatNotes.map((n) => n[1].replaceAll(SEP, ' ')).join(SEP) } };
}

export function unpackNotes(a: Analysis, notes: PackedNotes | undefined): Analysis {
  if (!notes) return a;
  const texts = notes.index.length ? notes.text.split(SEP) : [];
  return { ...a, beatNotes: Array.from(notes.index, (k, i) => [k, texts[i] ?? ''] as [number, string]) };
}

/** The distinct ArrayBuffers under an analysis' typed arrays (to transfer, not copy, them). */
export function transferables(a: Analysis): ArrayBuffer[] {
  const set = new Set<ArrayBuffer>();
  for (const v of Object.values(a.beats)) if (ArrayBuffer.isView(v) && v.buffer instanceof ArrayBuffer) set.add(v.buffer);
  return [...set];
}

// Messages between the main thread and the analysis worker.
import type { Analysis } from '../../shared/analysis';
import type { JobReply } from '../jobs/worker';
import type { AnalyzeSettings } from './pipeline';
import type { ProgressEvent } from './progress';
import type { ProviderPreference, ResolvedModel } from '../inference';
import type { QrsChunk } from '../qrs';
import type { FrameSpan, StoredSamples } from '../wfdb';
import type { LeadFlags } from '../quality';
import type { RhythmScores } from './rhythm-scores';
import type { WireLead } from './wire-lead';
import type { ChunkRing } from './conditioned-chunks';

export interface RunMessage {
  type: 'run';
  path: string;
  settings: AnalyzeSettings;
  /** 4-byte shared flag: non-zero = cancel (read by the worker while it computes). */
  cancel: SharedArrayBuffer;
}

/**
 * Work for the helper worker (parallel.ts), on leads in shared memory (wire-lead.ts): a share of the record's parts to read, its content hash, a share of the QRS
 * detector's chunks (claimed through the shared counter `next`), the leads' signal quality, the
 * rhythm model over lead 0, the leads' conditioned chunks for the beat windows (conditioned-chunks.ts).
 */
export type HelperTask =
  | { kind: 'hash'; files: string[] }
  | { kind: 'read'; recordPath: string; which: number[]; out: StoredSamples[]; spans: FrameSpan[]; next: Int32Array }
  | { kind: 'qrs'; signals: WireLead[]; fs: number; chunks: QrsChunk[]; next: Int32Array }
  | { kind: 'quality'; signals: WireLead[]; names: string[]; fs: number }
  | {
      kind: 'rhythm';
      signal: WireLead;
      fs: number;
      strideSec: number;
      model: ResolvedModel;
      provider: ProviderPreference;
      threads?: number;
      batch?: number;
    }
  | { kind: 'condition'; signals: WireLead[]; fs: number; ring: ChunkRing };

/** What each task gives back: the files' SHA-256 (record.ts hashFiles); the indices of the spans read into `out`; [chunk index, beats] per chunk the helper detected; flags per lead; the rhythm model's scores; the number of lead chunks conditioned. */
export interface HelperResults {
  hash: string;
  read: number[];
  qrs: [number, Int32Array][];
  quality: LeadFlags[];
  rhythm: RhythmScores;
  condition: number;
}

export interface HelperMessage {
  type: 'helper';
  id: number;
  task: HelperTask;
}

export type HelperReply = { type: 'helper'; id: number; result: HelperResults[HelperTask['kind']] } | { type: 'helper-error'; id: number; message: string };

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

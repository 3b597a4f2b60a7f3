// What a fine-tune learns from: per record, every beat position (the beat windows' RR features
// and amplitude scale depend on the neighbours) and the reviewer's label of the reviewed ones;
// then the beat model's embeddings of the reviewed beats, through the inference module's session.
import { AAMI_CLASSES, type AamiClass } from '../../shared/analysis';
import { HeartbeatError, type ErrorCode } from '../../shared/errors';
import { isUsable } from '../../shared/finetune';
import type { ReviewExport } from '../../shared/review';
import {
  BEAT_LEADS,
  BEAT_WINDOW,
  N_RR,
  defaultThresholdOf,
  extractBeatWindows,
  singleLeadInputOf,
  singleLeadPolarityOf,
  modelInputFor,
  templatesOfRows,
  type BeatWindows,
} from '../beats';
import { aamiClassOf } from '../evaluation';
import { runBeatModel, throwIfCancelled, type CancelToken, type LoadedModel } from '../inference';
import { readWholeLeads } from '../analysis/leads';
import { analysisSamplesPerFrame, asRdann, openRecord, readAnnotationFile, readHeader, timeResolutionOf } from '../wfdb';
import { shownOfRows, type ConsensusContext } from './shown';
import { writtenByApp } from '../export/wfdb';

const FINETUNE_ERROR_CODES = ['NO_MODEL', 'NO_HEAD', 'NO_DATA', 'TOO_FEW', 'NOTHING_TO_LEARN', 'RECORD', 'REGISTRY', 'SHIPPED', 'UNKNOWN_VERSION'] as const;
export type FinetuneErrorCode = Extract<ErrorCode, (typeof FINETUNE_ERROR_CODES)[number]>;

/** Whether `code` is a fine-tune error's (one that reaches a person as it is, from the job's worker too). */
export function isFinetuneErrorCode(code: unknown): code is FinetuneErrorCode {
  return (FINETUNE_ERROR_CODES as readonly unknown[]).includes(code);
}

export class FinetuneError extends HeartbeatError {
  override name = 'FinetuneError';
  declare readonly code: FinetuneErrorCode;
  constructor(code: FinetuneErrorCode, message: string) {
    super(code, message);
  }
}

/** Label of a position only (its neighbours' RR features need it): neither a label nor an unreviewed beat. */
export const POSITION_ONLY = -2;

/** One record's beats: all positions (sorted, unique) and the label of each reviewed one (-1 = unreviewed, POSITION_ONLY = neither). */
export interface ReviewedBeats {
  recordPath: string;
  name: string;
  hash?: string;
  sample: Int32Array;
  label: Int8Array;
  /** The PVC threshold the reviewer saw the labels at; default: the model's for the record's lead count. */
  threshold?: number;
}

const CLASS_INDEX = new Map<string, number>(AAMI_CLASSES.map((c, i) => [c, i]));

function build(recordPath: string, name: string, beats: { sample: number; label: number }[], hash?: string): ReviewedBeats {
  beats.sort((a, b) => a.sample - b.sample || b.label - a.label);
  const sample: number[] = [];
  const label: number[] = [];
  for (const b of beats) {
    if (sample.length && sample[sample.length - 1] === b.sample) continue; // duplicate position: keep the labelled one
    sample.push(b.sample);
    label.push(b.label);
  }
  return { recordPath, name, ...(hash ? { hash } : {}), sample: Int32Array.from(sample), label: Int8Array.from(label) };
}

/**
 * From a review export: beats not deleted and not marked artifact (X) are positions; confirmed,
 * relabelled and added ones carry the reviewer's label. Beats in unreadable time (a NOISE episode the
 * reviewer did not reject, as the report leaves it out) are positions only: no label, and not among
 * the unreviewed beats the job holds toward the parent or counts.
 */
export function fromReview(recordPath: string, review: ReviewExport): ReviewedBeats {
  const noise = review.episodes.filter((e) => e.type === 'NOISE' && e.status !== 'rejected');
  const unreadable = (s: number) => noise.some((e) => s >= e.onsetSample && s <= e.offsetSample);
  const beats: { sample: number; label: number }[] = [];
  for (const b of review.beats) {
    if (b.status === 'deleted' || b.label === 'X') continue;
    beats.push({ sample: b.sample, label: unreadable(b.sample) ? POSITION_ONLY : isUsable(b.status) ? CLASS_INDEX.get(b.label)! : -1 });
  }
  const r = build(recordPath, review.record.name, beats, review.record.hash || undefined);
  return review.threshold === null ? r : { ...r, threshold: review.threshold };
}

/**
 * From a WFDB annotation file of reviewed beats: every beat annotation is a label (AAMI class of its code).
 * A file this app wrote (MODEL_CALLS_NOTE: an analysis's .pvc, a review's WFDB export) is refused: its
 * unreviewed beats carry the model's own calls, and training on them teaches the model its own output.
 */
export async function fromAnnotationFile(recordPath: string, annotationFile: string, name: string): Promise<ReviewedBeats> {
  const stored = await readAnnotationFile(annotationFile);
  if (writtenByApp(stored))
    throw new FinetuneError(
      'NO_DATA',
      `${annotationFile}: written by heartbeat-sensei (an analysis or a review's WFDB export), its unreviewed beats carry the model's own calls: ` +
        "export the review as JSON (it carries the reviewer's decisions) or use the reference annotations (.atr)"
    );
  // times at a "## time resolution" of their own are scaled to the record's frames, as rdann reads them, or
  // to its ECG leads' rate on a multi-frequency record (the rate its analysis and review count beats at)
  // (without a note, a header that cannot be read leaves the times as they are: opening the record says what is wrong)
  const noted = timeResolutionOf(stored) !== null;
  const h = await readHeader(recordPath).catch((e: unknown) => {
    if (noted) throw e;
    return null;
  });
  const anns = h ? asRdann(stored, h.fs, h.fs * analysisSamplesPerFrame(h.signals)) : stored;
  const beats: { sample: number; label: number }[] = [];
  for (const a of anns) {
    const c = aamiClassOf(a.code);
    if (c) beats.push({ sample: a.sample, label: CLASS_INDEX.get(c)! });
  }
  return build(recordPath, name, beats);
}

/** Positions + labels given directly (the benchmark's simulated reviewer, tests). */
export function fromLabels(recordPath: string, name: string, sample: ArrayLike<number>, label: ArrayLike<AamiClass | null>): ReviewedBeats {
  const beats: { sample: number; label: number }[] = [];
  for (let i = 0; i < sample.length; i++) beats.push({ sample: sample[i]!, label: label[i] ? CLASS_INDEX.get(label[i]!)! : -1 });
  return build(recordPath, name, beats);
}

export interface Embedded {
  /** m × D embeddings of the labelled beats, records in order. */
  x: Float32Array;
  /** m × K probabilities of the model that made the embeddings. */
  probs: Float32Array;
  /**
   * m × K probabilities as the analysis showed them to the reviewer: the model's, after its
   * manifest's morphology consensus over the whole record (= probs for a model without one).
   */
  shown: Float32Array;
  /** Per record of the list: the PVC threshold its labels were shown at (the reviewer's, or the model's for its lead count). */
  thresholds: Float32Array;
  /** Per record of the list: read on one lead (true) or two; null for a record without labelled beats. */
  singleLead: (boolean | null)[];
  /** Per record of the list: what scoring its labelled rows through the consensus needs (null: no consensus, or no labelled beat). */
  contexts: (ConsensusContext | null)[];
  y: Uint8Array;
  /** Index into the records list per row. */
  record: Uint16Array;
  D: number;
  n: number;
  /** m × F values of the `features` output asked for (the embedding layer's input), when asked. */
  f?: Float32Array;
  F: number;
  /** The records' beats nobody reviewed (an evenly spaced sample), scored the same way, when asked (`rest`). */
  rest?: Unreviewed;
}

/** Unreviewed beats through the parent: what a version would change outside the reviewed part. */
export interface Unreviewed {
  /** n × D embeddings, and n × F features when asked. */
  x: Float32Array;
  f?: Float32Array;
  /** Index into the records list per row. */
  record: Uint16Array;
  n: number;
  /** Unreviewed beats in the records (n of them were scored). */
  of: number;
}

/** Up to `cap` of the rows, evenly spaced (all of them when they are fewer). */
export function evenlySpaced(rows: readonly number[], cap: number): number[] {
  if (rows.length <= cap) return [...rows];
  const out: number[] = [];
  for (let k = 0; k < cap; k++) out.push(rows[Math.floor((k * rows.length) / cap)]!);
  return out;
}

/** The leads an analysis of the reviewed record reads (its ECG leads), after checking that its beats lie inside it. */
async function reviewedLeads(r: ReviewedBeats): Promise<{ signals: Float32Array[]; fs: number }> {
  const wf = await openRecord(r.recordPath).catch((e: Error) => {
    throw new FinetuneError('RECORD', `${r.recordPath}: ${e.message}`);
  });
  try {
    const n = wf.nFrames * analysisSamplesPerFrame(wf.header.signals); // beats count the leads' samples
    const last = r.sample[r.sample.length - 1]!;
    if (r.sample[0]! < 0 || last >= n)
      throw new FinetuneError(
        'RECORD',
        `${r.recordPath}: beat at sample ${last} is past the record's end (${n} samples): does the review belong to this record?`
      );
    const { signals, fs } = await readWholeLeads(wf, r.recordPath).catch((e: Error) => {
      throw new FinetuneError('RECORD', e.message);
    });
    return { signals, fs };
  } finally {
    await wf.close();
  }
}

/** The beat model's input for the beats `rows` of the record's beats at `sample`: windows, RR features and templates. */
function modelInputOfRows(model: LoadedModel, bw: BeatWindows, rows: readonly number[]) {
  const row = BEAT_LEADS * BEAT_WINDOW;
  const m = rows.length;
  const win = new Float32Array(m * row);
  const rr = new Float32Array(m * N_RR);
  rows.forEach((i, j) => {
    win.set(bw.windows.subarray(i * row, (i + 1) * row), j * row);
    rr.set(bw.rr.subarray(i * N_RR, (i + 1) * N_RR), j * N_RR);
  });
  // the reviewed beats' templates, one per beat (a block per beat), from the whole record's blocks
  const templates = { templates: templatesOfRows(bw.templates, rows), block: 1 };
  const rowsIn = { windows: win, rr, templates };
  return modelInputFor(
    rowsIn,
    m,
    Uint8Array.from(rows, (i) => bw.flags[i]!),
    bw.singleLead,
    singleLeadInputOf(model.entry),
    singleLeadPolarityOf(model.entry)
  );
}

/** Embeddings of every labelled beat of the records through the loaded beat model. */
export async function embedLabelled(
  model: LoadedModel,
  records: ReviewedBeats[],
  o: {
    cancel?: CancelToken;
    onProgress?: (fraction: number) => void;
    batch?: number;
    features?: string;
    /** Also score up to this many unreviewed beats per record (Embedded.rest). */
    rest?: number;
  } = {}
): Promise<Embedded> {
  const K = AAMI_CLASSES.length;
  const total = records.reduce((a, r) => a + r.label.filter((l) => l >= 0).length, 0);
  const xs: Float32Array[] = [];
  const ps: Float32Array[] = [];
  const shown: Float32Array[] = [];
  const contexts: (ConsensusContext | null)[] = records.map(() => null);
  const thresholds = new Float32Array(records.length);
  const singleLead: (boolean | null)[] = records.map(() => null);
  const fs_: Float32Array[] = [];
  let F = 0;
  const ys: number[] = [];
  const rec: number[] = [];
  let D = 0;
  let done = 0;
  const restX: Float32Array[] = [];
  const restF: Float32Array[] = [];
  const restRec: number[] = [];
  let restOf = 0;
  for (let ri = 0; ri < records.length; ri++) {
    const r = records[ri]!;
    const rows: number[] = [];
    for (let i = 0; i < r.label.length; i++) if (r.label[i]! >= 0) rows.push(i);
    if (!rows.length) continue;
    throwIfCancelled(o.cancel);
    const { signals, fs } = await reviewedLeads(r);
    throwIfCancelled(o.cancel);
    const m = rows.length;
    const bw = extractBeatWindows(signals, fs, r.sample);
    singleLead[ri] = bw.singleLead;
    thresholds[ri] = r.threshold ?? defaultThresholdOf(model.entry, bw.singleLead);
    // the model on some of the record's beats, with the features asked for
    const score = (some: readonly number[], onProgress?: (f: number) => void) =>
      runBeatModel(model, modelInputOfRows(model, bw, some), some.length, [BEAT_LEADS, BEAT_WINDOW], N_RR, {
        batch: o.batch ?? 512,
        cancel: o.cancel,
        ...(o.features ? { extraOutput: o.features } : {}),
        ...(onProgress ? { onProgress } : {}),
      });
    const out = await score(rows, (f) => o.onProgress?.((done + f * m) / Math.max(1, total)));
    if (!out.embedding) throw new FinetuneError('NO_HEAD', `${model.entry.file}: the beat model has no "embedding" output to fine-tune on`);
    if (D && out.embeddingDim !== D) throw new FinetuneError('NO_HEAD', 'embedding size changed between records');
    D = out.embeddingDim;
    xs.push(out.embedding);
    if (o.features) {
      if (!out.extra || (F && out.extraDim !== F)) throw new FinetuneError('NO_HEAD', `${model.entry.file}: no "${o.features}" values of a constant size`);
      F = out.extraDim!;
      fs_.push(out.extra);
    }
    ps.push(out.probs);
    const seen = await shownOfRows(model, bw, r.sample.length, rows, o);
    shown.push(seen?.shown ?? out.probs);
    contexts[ri] = seen?.context ?? null;
    for (const i of rows) {
      ys.push(r.label[i]!);
      rec.push(ri);
    }
    if (o.rest) {
      const open: number[] = [];
      for (let i = 0; i < r.label.length; i++) if (r.label[i] === -1) open.push(i);
      restOf += open.length;
      const some = evenlySpaced(open, o.rest);
      if (some.length) {
        const more = await score(some);
        restX.push(more.embedding!);
        if (o.features) restF.push(more.extra!);
        for (let k = 0; k < some.length; k++) restRec.push(ri);
      }
    }
    done += m;
    o.onProgress?.(done / Math.max(1, total));
  }
  const n = ys.length;
  const x = concat(xs, n * D);
  const probs = concat(ps, n * K);
  return {
    x,
    probs,
    shown: concat(shown, n * K),
    thresholds,
    singleLead,
    contexts,
    y: Uint8Array.from(ys),
    record: Uint16Array.from(rec),
    D,
    n,
    F,
    ...(o.features ? { f: concat(fs_, n * F) } : {}),
    ...(o.rest
      ? {
          rest: {
            x: concat(restX, restRec.length * D),
            ...(o.features ? { f: concat(restF, restRec.length * F) } : {}),
            record: Uint16Array.from(restRec),
            n: restRec.length,
            of: restOf,
          },
        }
      : {}),
  };
}

/** The records' rows, one after another. */
function concat(parts: readonly Float32Array[], total: number): Float32Array {
  const out = new Float32Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

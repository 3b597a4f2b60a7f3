// Domain types of the review side that cross the boundary: signal windows, annotation sets,
// and the review export format (JSON file, CSV and re-import share it).
import * as z from './zod';
import { AAMI_CLASSES, EpisodeType } from './analysis';

/**
 * Whether `p` is absolute on POSIX (`/…`) or Windows (`C:\…`, `C:/…`, `\\server\…`). Not node:path:
 * the renderer imports this module too. Main would resolve a relative path against its own
 * working folder, which the renderer knows nothing of.
 */
export function isAbsolutePath(p: string): boolean {
  return /^(\/|[A-Za-z]:[\\/]|\\\\)/.test(p);
}

/** A file or folder path crossing the IPC boundary: absolute, and without NUL (no file name holds one). */
export const RecordPath = z.string().check(
  z.minLength(1),
  z.maxLength(4096),
  z.refine((p) => !p.includes('\0'), { message: 'a path has no NUL character' }),
  z.refine(isAbsolutePath, { message: 'a path must be absolute (e.g. /data/mitdb/100 or C:\\data\\100)' })
);
export const AnnotatorName = z.string().check(z.regex(/^[A-Za-z0-9_]{1,16}$/, 'an annotator name is 1–16 letters, digits or _'));

export const WindowRequest = z
  .strictObject({
    path: RecordPath,
    from: z.int().check(z.nonnegative()),
    to: z.int().check(z.positive()),
    /** At most this many points per signal: larger ranges come back min/max decimated. */
    maxPoints: z.optional(z.int().check(z.minimum(16), z.maximum(200_000))),
  })
  .check(z.refine((r) => r.to > r.from, { message: 'to must be greater than from' }));

export const SignalWindow = z.object({
  from: z.int(),
  to: z.int(),
  /** Frames per point: 1 means raw samples (min = max). */
  bucket: z.int().check(z.positive()),
  /** Per signal, physical units (voltages in millivolts); point i covers frames [from + i·bucket, from + (i+1)·bucket). */
  min: z.array(z.instanceof(Float32Array)),
  max: z.array(z.instanceof(Float32Array)),
});
export type SignalWindow = z.infer<typeof SignalWindow>;

export const AnnotationSet = z.object({
  annotator: z.string(),
  sample: z.instanceof(Int32Array),
  code: z.instanceof(Uint8Array),
  /** Index into AAMI_CLASSES for beats, -1 for non-beat annotations (rhythm, noise, comments). */
  aami: z.instanceof(Int8Array),
  symbol: z.array(z.string()),
  aux: z.array(z.string()),
});
export type AnnotationSet = z.infer<typeof AnnotationSet>;

/** A reviewer's label: an AAMI class, or X for "artifact, not a beat". */
export const ReviewLabel = z.enum([...AAMI_CLASSES, 'X']);
export type ReviewLabel = z.infer<typeof ReviewLabel>;

export const BeatStatus = z.enum(['unreviewed', 'confirmed', 'relabelled', 'added', 'deleted']);
export type BeatStatus = z.infer<typeof BeatStatus>;

/** The largest sample number: the app holds sample numbers in Int32Arrays (a larger one would wrap). */
export const MAX_SAMPLE = 2 ** 31 - 1;
const SampleNumber = z.int().check(z.nonnegative(), z.maximum(MAX_SAMPLE));

export const ReviewedBeat = z.object({
  sample: SampleNumber,
  label: ReviewLabel,
  status: BeatStatus,
  predicted: z.optional(z.enum(AAMI_CLASSES)),
  pvcScore: z.optional(z.number().check(z.minimum(0), z.maximum(1))),
  reference: z.optional(z.string()),
  reviewer: z.optional(z.string()),
  reviewedAt: z.optional(z.string()),
});
export type ReviewedBeat = z.infer<typeof ReviewedBeat>;

export const EpisodeStatus = z.enum(['unreviewed', 'confirmed', 'rejected', 'resized', 'added']);
export type EpisodeStatus = z.infer<typeof EpisodeStatus>;

export const ReviewedEpisode = z.object({
  type: EpisodeType,
  onsetSample: SampleNumber,
  offsetSample: SampleNumber,
  confidence: z.number().check(z.minimum(0), z.maximum(1)),
  explanation: z.string(),
  /** The analysis's rhythm of a VT episode ('VF': fibrillation or flutter), so a report made from the review names it. */
  rhythm: z.optional(z.enum(['VT', 'VF'])),
  /**
   * Who found the episode under the decision (the analysis's or the reference's), so a report made from
   * the review reads it as the Summary panel does: the rhythm model's noise alone hides no pause
   * (review-summary.ts pauseCounts). Absent for one the reviewer added, and in exports made before.
   */
  source: z.optional(z.enum(['model', 'rules', 'reference', 'reviewer'])),
  status: EpisodeStatus,
  reviewer: z.optional(z.string()),
  reviewedAt: z.optional(z.string()),
});
export type ReviewedEpisode = z.infer<typeof ReviewedEpisode>;

export const REVIEW_FORMAT = 'heartbeat-sensei-review';
/**
 * The note (a WFDB comment annotation at the file's first sample) that marks an annotation file this
 * app wrote: a review's WFDB export or an analysis's .pvc, whose labels include the model's calls on
 * beats nobody reviewed. Imported, such a file is labels only (ReviewExport.labelsOnly).
 */
export const MODEL_CALLS_NOTE = "heartbeat-sensei: unreviewed beats carry the model's label";

export const ReviewExport = z.object({
  format: z.literal(REVIEW_FORMAT),
  version: z.literal(1),
  record: z.object({ name: z.string(), hash: z.string(), fs: z.number().check(z.positive()) }),
  threshold: z.nullable(z.number().check(z.minimum(0), z.maximum(1))),
  exportedAt: z.string(),
  reviewer: z.string(),
  beats: z.array(ReviewedBeat),
  episodes: z.array(ReviewedEpisode),
  /** The models whose analysis was reviewed (a report made later names them if another analysis is under it). */
  models: z.optional(z.array(z.object({ task: z.string(), id: z.string(), version: z.string() }))),
  /**
   * Read from an annotation file, which holds labels, not decisions (the app's own .rev export
   * lists the model's unreviewed calls too): on import a beat whose label the review already shows
   * stays as it was, and only a different label, or a beat added, becomes a decision.
   */
  labelsOnly: z.optional(z.literal(true)),
});
export type ReviewExport = z.infer<typeof ReviewExport>;

export const ExportFormat = z.enum(['wfdb', 'csv', 'json']);
export type ExportFormat = z.infer<typeof ExportFormat>;

export const ExportRequest = z.strictObject({
  recordPath: RecordPath,
  format: ExportFormat,
  /** WFDB annotator extension (format 'wfdb'); default 'rev'. */
  annotator: z.optional(AnnotatorName),
  /**
   * Output folder: the record's own (the default; the data folder's exports/ for the bundled demo)
   * or one the user chose (export:chooseFolder, HEARTBEAT_EXPORT_DIRS). The file name is derived
   * from the record's name; the renderer never names an output file.
   */
  outDir: z.optional(RecordPath),
  /** The file a CONFIRM_OVERWRITE error named: replaces that file (and no other) although it is not an earlier export. */
  confirmOverwrite: z.optional(RecordPath),
  review: ReviewExport,
});
export const ExportResult = z.object({ file: z.string(), bytes: z.int(), beats: z.int(), episodes: z.int() });
export type ExportResult = z.infer<typeof ExportResult>;

/** `recordPath` names the record an imported WFDB annotation file belongs to (its rate and hash). */
export const ImportRequest = z.strictObject({ file: RecordPath, recordPath: z.optional(RecordPath) });

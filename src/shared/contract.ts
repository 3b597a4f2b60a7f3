// The IPC contract: every channel between the main process and the renderer, with runtime
// validators for its request and response. Main (ipcMain and the loopback bridge), preload and
// renderer import this module; nothing else declares a channel.
import * as z from './zod';
import { Analysis, BeatChoice } from './analysis';
import { FinetuneOutcome, FinetuneProgress, FinetuneStartRequest, ModelVersion } from './finetune';
import { ScanSettings } from './scan-settings';
import { ReportPage, ReportPdf, ReportRequest } from './report';
import { AnnotationSet, AnnotatorName, ExportRequest, ExportResult, ImportRequest, RecordPath, ReviewExport, SignalWindow, WindowRequest } from './review';

export const AppInfo = z.object({
  name: z.string(),
  version: z.string(),
  platform: z.string(),
  transport: z.enum(['electron', 'bridge']),
});
export type AppInfo = z.infer<typeof AppInfo>;

export const SignalInfo = z.object({
  index: z.int(),
  description: z.string(),
  units: z.string(),
  gain: z.number(),
  baseline: z.number(),
  format: z.int(),
  samplesPerFrame: z.int(),
});
export type SignalInfo = z.infer<typeof SignalInfo>;

export const RecordInfo = z.object({
  /** Path of the .hea file as opened. */
  path: z.string(),
  name: z.string(),
  /**
   * The rate the record is shown and its beats counted at, Hz: its frame rate, or on a multi-frequency
   * record (ECG at several samples per frame) its ECG leads' own rate; windows, annotations and nFrames count its samples.
   */
  fs: z.number().check(z.positive()),
  /** The header's frame rate when fs is a multiple of it (a multi-frequency record); absent when they are one. */
  frameFs: z.optional(z.number().check(z.positive())),
  nFrames: z.int().check(z.nonnegative()),
  durationSec: z.number().check(z.nonnegative()),
  /** The header's start time and date as written there (null when absent): the renderer shows clock times from them (lib/clock.ts, which checks them). */
  baseTime: z.nullable(z.string().check(z.maxLength(100))),
  baseDate: z.nullable(z.string().check(z.maxLength(100))),
  signals: z.array(SignalInfo),
  annotators: z.array(z.string()),
  warnings: z.array(z.string()),
});
export type RecordInfo = z.infer<typeof RecordInfo>;

/** Start an analysis (src/main/analysis). It runs in a worker; progress arrives as `progress` events carrying the job id. */
export const AnalysisRunRequest = z.strictObject({
  path: RecordPath,
  /** Beat positions: the record's .atr, the QRS detector, or the .atr when there is one. */
  beats: z._default(BeatChoice, 'auto'),
  /** PVC threshold; default: the beat model's default threshold (0.5 for the rules). */
  threshold: z.optional(z.number().check(z.minimum(0), z.maximum(1))),
  provider: z._default(z.enum(['auto', 'cpu', 'cuda']), 'auto'),
  /** Use the rule-based fallback even when models exist. */
  useRules: z._default(z.boolean(), false),
});
export const AnalysisJobRef = z.strictObject({ jobId: z.string().check(z.minLength(1), z.maxLength(100)) });

/** Channels: request and response schemas. Add new channels here and only here. */
export const channels = {
  'app:info': { request: z.strictObject({}), response: AppInfo },
  // Records for the review UI (src/main/review): open, the bundled demo, content hash, signal windows, annotations.
  'record:open': { request: z.strictObject({ path: RecordPath }), response: RecordInfo },
  'record:demo': { request: z.strictObject({}), response: RecordInfo },
  /** The desktop app's file dialog; the bridge answers UNSUPPORTED (browser mode types a path). */
  'record:choose': { request: z.strictObject({}), response: z.object({ path: z.nullable(z.string()) }) },
  'record:hash': { request: z.strictObject({ path: RecordPath }), response: z.object({ hash: z.string() }) },
  'record:window': { request: WindowRequest, response: SignalWindow },
  'record:annotations': { request: z.strictObject({ path: RecordPath, annotator: AnnotatorName }), response: AnnotationSet },
  /** The records (.hea files) of a folder, for a path field given a folder. */
  'record:list': {
    request: z.strictObject({ dir: RecordPath }),
    response: z.object({ dir: z.string(), folder: z.boolean(), records: z.array(z.string()) }),
  },
  // Reviewer work out of and back into the app (src/main/export).
  'export:write': { request: ExportRequest, response: ExportResult },
  'export:import': { request: ImportRequest, response: ReviewExport },
  /** The desktop app's folder dialog: the chosen folder becomes an allowed export folder. The bridge answers UNSUPPORTED (HEARTBEAT_EXPORT_DIRS lists them in browser mode). */
  'export:chooseFolder': { request: z.strictObject({}), response: z.object({ path: z.nullable(z.string()) }) },
  // Analysis jobs (src/main/analysis): run answers at once with a job id; result waits for that job
  // (rejects with code CANCELLED after analysis:cancel); threshold re-labels the finished result without re-running models,
  // re-cutting VT runs and pauses under the reviewer's scan settings when given (optional: the analysis's own otherwise).
  'analysis:run': { request: AnalysisRunRequest, response: AnalysisJobRef },
  'analysis:result': { request: AnalysisJobRef, response: Analysis },
  'analysis:cancel': { request: AnalysisJobRef, response: z.object({ cancelled: z.boolean() }) },
  'analysis:threshold': {
    request: z.strictObject({ ...AnalysisJobRef.shape, threshold: z.number().check(z.minimum(0), z.maximum(1)), scan: z.optional(ScanSettings) }),
    response: Analysis,
  },
  // Fine-tuning on reviewer corrections (src/main/finetune): start answers at once with a job id (progress as
  // `finetune:progress` events); result waits for the outcome (the new, inactive version); models:* manage the registry.
  'finetune:start': { request: FinetuneStartRequest, response: AnalysisJobRef },
  'finetune:result': { request: AnalysisJobRef, response: FinetuneOutcome },
  'finetune:cancel': { request: AnalysisJobRef, response: z.object({ cancelled: z.boolean() }) },
  'models:list': { request: z.strictObject({}), response: z.object({ versions: z.array(ModelVersion) }) },
  'models:activate': {
    request: z.strictObject({ id: z.string().check(z.minLength(1), z.maxLength(200)) }),
    response: z.object({ versions: z.array(ModelVersion) }),
  },
  'models:rollback': { request: z.strictObject({}), response: z.object({ active: z.string(), versions: z.array(ModelVersion) }) },
  'models:delete': {
    request: z.strictObject({ id: z.string().check(z.minLength(1), z.maxLength(200)) }),
    response: z.object({ versions: z.array(ModelVersion) }),
  },
  // The Holter report of the review (src/main/report): the page to preview, and the page printed to PDF.
  'report:page': { request: ReportRequest, response: ReportPage },
  'report:pdf': { request: ReportRequest, response: ReportPdf },
  /** Stops the report work named by the request's jobId (rejects it with code CANCELLED). */
  'report:cancel': { request: AnalysisJobRef, response: z.object({ cancelled: z.boolean() }) },
} as const;

export type Channel = keyof typeof channels;
export type Request<C extends Channel> = z.input<(typeof channels)[C]['request']>;
/** A request as a handler gets it: validated, zod's defaults filled in. */
export type ParsedRequest<C extends Channel> = z.output<(typeof channels)[C]['request']>;
export type Response<C extends Channel> = z.output<(typeof channels)[C]['response']>;

/** Events pushed from main to the renderer (progress of long work). */
export const events = {
  progress: z.object({
    jobId: z.string(),
    stage: z.string(),
    fraction: z.number().check(z.minimum(0), z.maximum(1)),
    etaSec: z.nullable(z.number()),
    message: z.optional(z.string()),
  }),
  'finetune:progress': FinetuneProgress,
} as const;
export type EventName = keyof typeof events;
export type EventPayload<E extends EventName> = z.infer<(typeof events)[E]>;

/** What the renderer sees, whichever transport carries it (Electron IPC or the loopback bridge). */
export interface Api {
  invoke<C extends Channel>(channel: C, request: Request<C>): Promise<Response<C>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}

export { WireError } from './errors';

export function isChannel(name: string): name is Channel {
  return Object.prototype.hasOwnProperty.call(channels, name);
}

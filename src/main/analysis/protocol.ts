// Messages between the main thread and the analysis worker.
import type { Analysis } from '../../shared/analysis';
import type { AnalyzeSettings } from './pipeline';
import type { ProgressEvent } from './progress';

export interface RunMessage {
  type: 'run';
  path: string;
  settings: AnalyzeSettings;
  /** 4-byte shared flag: non-zero = cancel (read by the worker while it computes). */
  cancel: SharedArrayBuffer;
}

export type WorkerReply =
  | { type: 'progress'; progress: ProgressEvent }
  | { type: 'result'; analysis: Analysis }
  | { type: 'cancelled' }
  | { type: 'error'; error: { name: string; code: string; message: string } };

/** The distinct ArrayBuffers under an analysis' typed arrays (to transfer, not copy, them). */
export function transferables(a: Analysis): ArrayBuffer[] {
  const set = new Set<ArrayBuffer>();
  for (const v of Object.values(a.beats)) if (ArrayBuffer.isView(v) && v.buffer instanceof ArrayBuffer) set.add(v.buffer);
  return [...set];
}

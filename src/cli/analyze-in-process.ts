// The CLI analyses on its own thread, not in an analysis worker: a command usually analyses one
// record per process (docs/scale.md), and a worker's start (a thread, the analysis modules compiled
// a second time, ONNX Runtime loaded there) was ~0.05 s of a 30-minute record's ~0.57 s. A record
// of 3 h or more still shares its work with a helper thread (PARALLEL_MIN_SEC). The app keeps its
// analysis worker: its main process must stay responsive.
import type { Analysis } from '../shared/analysis';
import { CancelledError } from '../main/inference/cancel';
import { analyzeRecord, type AnalyzeSettings } from '../main/analysis/pipeline';
import type { ProgressEvent } from '../main/analysis/progress';

/** Ctrl-C as an AbortSignal, for a command's whole run (no gap between records); a second Ctrl-C ends the process at once. */
export function ctrlC(): { signal: AbortSignal; dispose: () => void } {
  const ac = new AbortController();
  const stop = () => ac.abort();
  process.once('SIGINT', stop);
  return { signal: ac.signal, dispose: () => process.off('SIGINT', stop) };
}

/** An error message about a record, led by the record's path unless it names one of its files already (a WfdbError's does). */
export function withPath(recordPath: string, message: string): string {
  return message.startsWith(recordPath) ? message : `${recordPath}: ${message}`;
}

/**
 * Analyses one record here. Once `cancel` is aborted the promise rejects with CancelledError (at the
 * analysis' next checkpoint; a result or an error that comes after it is dropped, as the app's worker
 * drops a cancelled run's).
 */
export async function analyzeInProcess(
  path: string,
  settings: AnalyzeSettings,
  cancel: AbortSignal,
  onProgress?: (p: ProgressEvent) => void
): Promise<Analysis> {
  if (cancel.aborted) throw new CancelledError();
  try {
    const a = await analyzeRecord(path, settings, { cancel, ...(onProgress ? { onProgress } : {}) });
    if (cancel.aborted) throw new CancelledError();
    return a;
  } catch (e) {
    throw cancel.aborted ? new CancelledError() : e;
  }
}

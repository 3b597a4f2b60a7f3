// The CLI analyses on its own thread, not in an analysis worker: a command usually analyses one
// record per process (docs/scale.md), and a worker's start (a thread, the analysis modules compiled
// a second time, ONNX Runtime loaded there) was ~0.07 s of a 30-minute record's ~0.57 s. A record
// of 3 h or more still shares its work with a helper thread (PARALLEL_MIN_SEC). The app keeps its
// analysis worker: its main process must stay responsive.
import type { Analysis } from '../shared/analysis';
import { analyzeRecord, type AnalyzeSettings } from '../main/analysis/pipeline';
import type { ProgressEvent } from '../main/analysis/progress';

/** Analyses one record here; Ctrl-C cancels it (the promise then rejects with CancelledError). */
export async function analyzeInProcess(path: string, settings: AnalyzeSettings, onProgress?: (p: ProgressEvent) => void): Promise<Analysis> {
  const cancel = new AbortController();
  const stop = () => cancel.abort();
  process.once('SIGINT', stop);
  try {
    return await analyzeRecord(path, settings, { cancel: cancel.signal, ...(onProgress ? { onProgress } : {}) });
  } finally {
    process.off('SIGINT', stop);
  }
}

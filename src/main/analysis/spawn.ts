// The analysis worker, started through the job helper (src/main/jobs/worker.ts): from the sources
// with tsx, or from the bundle, where worker.ts is the entry out/main/analysis-worker.js beside
// out/main/index.js (electron.vite.config.ts, main.build.rollupOptions.input).
import type { Worker } from 'node:worker_threads';
import type { Analysis } from '../../shared/analysis';
import { JobError, runInWorker, startWorker } from '../jobs/worker';
import { endWorker } from '../jobs/worker-loaded';
import type { Startable } from '../jobs/slots';
import type { AnalyzeSettings } from './pipeline';
import type { ProgressEvent } from './progress';
import { unpackNotes, type AnalysisResult, type RunMessage } from './protocol';

/** How long a cancelled worker may take to stop by itself before it is terminated. */
export const CANCEL_GRACE_MS = 250;

/** A new analysis worker (worker.ts: analyses, and rhythm windows for another analysis worker). */
export function createWorker(): Worker {
  return startWorker(import.meta.url, 'analysis-worker.js');
}

export type WorkerRun = Startable<Analysis>;

/**
 * One analysis worker, reused for consecutive analyses (one at a time). A cancelled run terminates the worker (a new one
 * starts for the next run), which also frees its ONNX Runtime sessions.
 */
export class AnalysisWorker {
  private worker: Worker | null = null;
  private busy = false;

  analyze(path: string, settings: AnalyzeSettings, onProgress?: (p: ProgressEvent) => void): WorkerRun {
    if (this.busy) throw new JobError('BUSY', 'this analysis worker is already running an analysis');
    const worker = (this.worker ??= createWorker());
    this.busy = true;
    const message: Omit<RunMessage, 'cancel'> = { type: 'run', path, settings };
    const run = runInWorker<ProgressEvent, AnalysisResult>(worker, message, {
      what: 'analysis',
      graceMs: CANCEL_GRACE_MS,
      ...(onProgress ? { onProgress } : {}),
      onSettled: (reusable) => {
        this.busy = false;
        if (reusable) return;
        if (this.worker === worker) this.worker = null;
        void endWorker(worker);
      },
    });
    return { promise: run.promise.then((r) => unpackNotes(r.analysis, r.notes)), cancel: run.cancel };
  }

  /** Stops the worker (an analysis in progress rejects). */
  async close(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    if (w) await endWorker(w);
  }
}

/** Runs one analysis in a fresh worker that ends with it. The promise rejects with CancelledError after cancel(). */
export function analyzeInWorker(path: string, settings: AnalyzeSettings, onProgress?: (p: ProgressEvent) => void): WorkerRun {
  const w = new AnalysisWorker();
  const run = w.analyze(path, settings, onProgress);
  const close = () => void w.close();
  run.promise.then(close, close);
  return run;
}

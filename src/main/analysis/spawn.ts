// Starting the analysis worker, from the sources (tsx: CLI, tests, benches) or from the
// electron-vite bundle, where worker.ts is built as the entry out/main/analysis-worker.js beside
// out/main/index.js (electron.vite.config.ts, main.build.rollupOptions.input).
import { HeartbeatError } from '../../shared/errors';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Analysis } from '../../shared/analysis';
import { CancelledError } from '../inference/cancel';
import type { AnalyzeSettings } from './pipeline';
import type { ProgressEvent } from './progress';
import { unpackNotes, type RunMessage, type WorkerReply } from './protocol';

/** How long a cancelled worker may take to stop by itself before it is terminated. */
export const CANCEL_GRACE_MS = 250;

export class AnalysisError extends HeartbeatError {
  override name = 'AnalysisError';
}

/** A new analysis worker (worker.ts: analyses, and rhythm windows for another analysis worker). */
export function createWorker(): Worker {
  // Paths built at run time (not `new URL('./x', import.meta.url)`, which bundlers rewrite).
  const here = fileURLToPath(import.meta.url);
  const dir = dirname(here);
  if (here.endsWith('.ts')) {
    return new Worker(join(dir, 'worker-boot.mjs'), { workerData: { entry: pathToFileURL(join(dir, 'worker.ts')).href } });
  }
  // Bundled: beside out/main/index.js, or one level up if this code landed in out/main/chunks/.
  const bundled = [join(dir, 'analysis-worker.js'), join(dir, '..', 'analysis-worker.js')].find((f) => existsSync(f));
  if (!bundled) throw new AnalysisError('WORKER_MISSING', `analysis worker not found beside ${here} (analysis-worker.js: is it an electron-vite entry?)`);
  return new Worker(bundled);
}

export interface WorkerRun {
  promise: Promise<Analysis>;
  cancel(): void;
}

/**
 * One analysis worker, reused for consecutive analyses (one at a time): the CLI analyses many
 * records without starting a worker per record. A cancelled run terminates the worker (a new one
 * starts for the next run), which also frees its ONNX Runtime sessions.
 */
export class AnalysisWorker {
  private worker: Worker | null = null;
  private busy = false;

  analyze(path: string, settings: AnalyzeSettings, onProgress?: (p: ProgressEvent) => void): WorkerRun {
    if (this.busy) throw new AnalysisError('BUSY', 'this analysis worker is already running an analysis');
    const worker = (this.worker ??= createWorker());
    this.busy = true;
    const flag = new SharedArrayBuffer(4);
    let cancelled = false;
    let settled = false;
    let killTimer: NodeJS.Timeout | undefined;
    const promise = new Promise<Analysis>((resolve, reject) => {
      const finish = (fn: () => void, keepWorker: boolean) => {
        if (settled) return;
        settled = true;
        this.busy = false;
        if (killTimer) clearTimeout(killTimer);
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
        if (!keepWorker) {
          if (this.worker === worker) this.worker = null;
          void worker.terminate();
        }
        fn();
      };
      const onMessage = (r: WorkerReply) => {
        if (r.type === 'progress') {
          if (!cancelled) onProgress?.(r.progress);
        } else if (r.type === 'result') finish(() => (cancelled ? reject(new CancelledError()) : resolve(unpackNotes(r.analysis, r.notes))), !cancelled);
        else if (r.type === 'cancelled') finish(() => reject(new CancelledError()), false);
        else finish(() => reject(new AnalysisError(r.error.code, r.error.message, r.error.file)), true);
      };
      const onError = (e: Error) => finish(() => reject(cancelled ? new CancelledError() : new AnalysisError('WORKER_FAILED', `analysis worker failed: ${e.message}`)), false);
      const onExit = (code: number) => finish(() => reject(cancelled ? new CancelledError() : new AnalysisError('WORKER_EXIT', `analysis worker exited (code ${code}) without a result`)), false);
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
    });
    const msg: RunMessage = { type: 'run', path, settings, cancel: flag };
    worker.postMessage(msg);
    return {
      promise,
      cancel: () => {
        if (cancelled || settled) return;
        cancelled = true;
        Atomics.store(new Int32Array(flag), 0, 1);
        // A stage that does not poll the flag (one long native call) is cut short.
        killTimer = setTimeout(() => void worker.terminate(), CANCEL_GRACE_MS);
      },
    };
  }

  /** Stops the worker (an analysis in progress rejects). */
  async close(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    if (w) await w.terminate();
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

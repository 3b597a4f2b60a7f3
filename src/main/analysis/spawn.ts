// Starting the analysis worker, from the sources (tsx: CLI, tests, benches) or from the
// electron-vite bundle, where worker.ts is built as the entry out/main/analysis-worker.js beside
// out/main/index.js (electron.vite.config.ts, main.build.rollupOptions.input).
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Analysis } from '../../shared/analysis';
import { CancelledError } from '../inference/cancel';
import type { AnalyzeSettings } from './pipeline';
import type { ProgressEvent } from './progress';
import type { RunMessage, WorkerReply } from './protocol';

/** How long a cancelled worker may take to stop by itself before it is terminated. */
export const CANCEL_GRACE_MS = 250;

export class AnalysisError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'AnalysisError';
  }
}

function createWorker(): Worker {
  // Paths built at run time (not `new URL('./x', import.meta.url)`, which bundlers rewrite).
  const here = fileURLToPath(import.meta.url);
  const dir = dirname(here);
  if (here.endsWith('.ts')) {
    return new Worker(join(dir, 'worker-boot.mjs'), { workerData: { entry: pathToFileURL(join(dir, 'worker.ts')).href } });
  }
  return new Worker(join(dir, 'analysis-worker.js'));
}

export interface WorkerRun {
  promise: Promise<Analysis>;
  cancel(): void;
}

/** Runs one analysis in a fresh worker. The promise rejects with CancelledError after cancel(). */
export function analyzeInWorker(path: string, settings: AnalyzeSettings, onProgress?: (p: ProgressEvent) => void): WorkerRun {
  const flag = new SharedArrayBuffer(4);
  const worker = createWorker();
  let cancelled = false;
  let settled = false;
  let killTimer: NodeJS.Timeout | undefined;
  const promise = new Promise<Analysis>((resolve, reject) => {
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      if (killTimer) clearTimeout(killTimer);
      fn();
    };
    worker.on('message', (r: WorkerReply) => {
      if (r.type === 'progress') {
        if (!cancelled) onProgress?.(r.progress);
      } else if (r.type === 'result') finish(() => (cancelled ? reject(new CancelledError()) : resolve(r.analysis)));
      else if (r.type === 'cancelled') finish(() => reject(new CancelledError()));
      else finish(() => reject(new AnalysisError(r.error.code, r.error.message)));
    });
    worker.on('error', (e) => finish(() => reject(cancelled ? new CancelledError() : new AnalysisError('WORKER_FAILED', `analysis worker failed: ${e.message}`))));
    worker.on('exit', (code) => finish(() => reject(cancelled ? new CancelledError() : new AnalysisError('WORKER_EXIT', `analysis worker exited (code ${code}) without a result`))));
  });
  const msg: RunMessage = { type: 'run', path, settings, cancel: flag };
  worker.postMessage(msg);
  return {
    promise,
    cancel() {
      if (cancelled || settled) return;
      cancelled = true;
      Atomics.store(new Int32Array(flag), 0, 1);
      // A stage that does not poll the flag (one long native call) is cut short.
      killTimer = setTimeout(() => void worker.terminate(), CANCEL_GRACE_MS);
    },
  };
}

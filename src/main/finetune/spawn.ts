// Starting the fine-tune worker, from the sources (tsx: CLI, tests, benches) or from the
// electron-vite bundle, where worker.ts is built as the entry out/main/finetune-worker.js beside
// out/main/index.js (electron.vite.config.ts, main.build.rollupOptions.input).
import { HeartbeatError, type WireError } from '../../shared/errors';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { CancelledError } from '../inference/cancel';
import type { RecordBeats } from './data';
import type { EpochPoint } from './head';
import type { FinetuneSettings, JobProgress } from './job';
import type { VersionEntry } from './registry';

export interface FinetuneRun {
  type: 'run';
  records: RecordBeats[];
  settings: FinetuneSettings;
  /** 4-byte shared flag: non-zero = cancel. */
  cancel: SharedArrayBuffer;
}

export type FinetuneReply =
  | { type: 'progress'; progress: JobProgress }
  | { type: 'result'; entry: VersionEntry; path: string; curve: EpochPoint[] }
  | { type: 'cancelled' }
  | { type: 'error'; error: WireError };

export class FinetuneJobError extends HeartbeatError {
  override name = 'FinetuneJobError';
}

/** How long a cancelled worker may take to stop by itself before it is terminated. */
export const CANCEL_GRACE_MS = 500;

function createWorker(): Worker {
  const here = fileURLToPath(import.meta.url);
  const dir = dirname(here);
  if (here.endsWith('.ts')) return new Worker(join(dir, 'worker-boot.mjs'), { workerData: { entry: pathToFileURL(join(dir, 'worker.ts')).href } });
  return new Worker(join(dir, 'finetune-worker.js'));
}

export interface WorkerJob {
  /** Resolves with the written (not yet registered) version; rejects with CancelledError or FinetuneJobError. */
  promise: Promise<{ entry: VersionEntry; path: string; curve: EpochPoint[] }>;
  cancel(): void;
}

export function finetuneInWorker(records: RecordBeats[], settings: FinetuneSettings, onProgress?: (p: JobProgress) => void): WorkerJob {
  const flag = new SharedArrayBuffer(4);
  const worker = createWorker();
  let cancelled = false;
  let settled = false;
  let killTimer: NodeJS.Timeout | undefined;
  const promise = new Promise<{ entry: VersionEntry; path: string; curve: EpochPoint[] }>((resolve, reject) => {
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      if (killTimer) clearTimeout(killTimer);
      fn();
    };
    worker.on('message', (r: FinetuneReply) => {
      if (r.type === 'progress') {
        if (!cancelled) onProgress?.(r.progress);
      } else if (r.type === 'result') finish(() => resolve(r));
      else if (r.type === 'cancelled') finish(() => reject(new CancelledError('fine-tuning cancelled')));
      else finish(() => reject(new FinetuneJobError(r.error.code, r.error.message, r.error.file)));
    });
    worker.on('error', (e) => finish(() => reject(cancelled ? new CancelledError('fine-tuning cancelled') : new FinetuneJobError('WORKER_FAILED', `fine-tune worker failed: ${e.message}`))));
    worker.on('exit', (code) => finish(() => reject(cancelled ? new CancelledError('fine-tuning cancelled') : new FinetuneJobError('WORKER_EXIT', `fine-tune worker exited (code ${code}) without a result`))));
  });
  const msg: FinetuneRun = { type: 'run', records, settings, cancel: flag };
  worker.postMessage(msg);
  return {
    promise,
    cancel() {
      if (cancelled || settled) return;
      cancelled = true;
      Atomics.store(new Int32Array(flag), 0, 1);
      // The worker checks the flag per batch and per epoch; a long native call is cut short.
      // A terminated worker never renamed its temporary file into place (the rename is its last step after the check).
      killTimer = setTimeout(() => void worker.terminate(), CANCEL_GRACE_MS);
    },
  };
}

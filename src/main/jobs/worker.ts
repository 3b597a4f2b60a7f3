// The one way heavy work runs off the main thread: a worker started from the sources (tsx, through
// worker-boot.mjs) or from the bundle (its own entry beside out/main/index.js), sent one request
// with a shared cancel flag, answering with progress, then a result, 'cancelled' or an error.
// Analyses (analysis/spawn.ts) and fine-tunes (finetune/spawn.ts) both run this way.
import { fileURLToPath } from 'node:url';
import type { Worker } from 'node:worker_threads';
import { HeartbeatError, toWireError, type ErrorCode, type WireError } from '../../shared/errors';
import { CancelledError, SharedCancel } from '../inference/cancel';
import type { Startable } from './slots';
import { newWorker } from './new-worker';
import { endWorker } from './worker-loaded';

/** A job that could not run or whose worker failed (WORKER_*, UNKNOWN_JOB, BUSY), or the error the worker reported. */
export class JobError extends HeartbeatError {
  override name = 'JobError';
}

/** What a job worker answers: progress while it works, then exactly one of the other three. */
export type JobReply<P, R> = { type: 'progress'; progress: P } | { type: 'result'; result: R } | { type: 'cancelled' } | { type: 'error'; error: WireError };

/**
 * A new worker for `worker.ts` beside the module at `callerUrl` (its import.meta.url) from the
 * sources, or for the bundle entry `bundled` (e.g. 'analysis-worker.js').
 */
export function startWorker(callerUrl: string, bundled: string): Worker {
  const w = newWorker(callerUrl, bundled);
  if (!w) throw new JobError('WORKER_MISSING', `${bundled} not found beside ${fileURLToPath(callerUrl)} (is it a build entry?)`);
  return w;
}

export interface WorkerRequest<P> {
  /** 'analysis', 'fine-tune': names the worker in error messages. */
  what: string;
  /** How long a cancelled worker may take to stop by itself before it is terminated. */
  graceMs: number;
  cancelledMessage?: string;
  onProgress?: (p: P) => void;
  /** Once the run settles: `reusable` when the worker answered normally and may take another request. */
  onSettled?: (reusable: boolean) => void;
  /**
   * A result that comes after cancel() resolves the promise instead of rejecting it: for a job whose
   * result is a side effect done (a file written), which the caller then undoes.
   */
  resultAfterCancel?: boolean;
}

/**
 * Sends `message` (plus the cancel flag) to `worker` and follows its replies. The promise rejects
 * with CancelledError after cancel(), with JobError for the worker's error or its failure.
 */
export function runInWorker<P, R>(worker: Worker, message: object, req: WorkerRequest<P>): Startable<R> {
  const flag = new SharedArrayBuffer(4);
  let cancelled = false;
  let settled = false;
  let killTimer: NodeJS.Timeout | undefined;
  let giveUp = () => {};
  const promise = new Promise<R>((resolve, reject) => {
    const finish = (fn: () => void, reusable: boolean) => {
      if (settled) return;
      settled = true;
      if (killTimer) clearTimeout(killTimer);
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
      req.onSettled?.(reusable);
      fn();
    };
    const failed = (code: 'WORKER_FAILED' | 'WORKER_EXIT', message: string) =>
      cancelled ? new CancelledError(req.cancelledMessage) : new JobError(code, message);
    const onMessage = (r: JobReply<P, R>) => {
      if (r.type === 'progress') {
        if (!cancelled) req.onProgress?.(r.progress);
      } else if (r.type === 'result')
        finish(() => (cancelled && !req.resultAfterCancel ? reject(new CancelledError(req.cancelledMessage)) : resolve(r.result)), !cancelled);
      else if (r.type === 'cancelled') finish(() => reject(new CancelledError(req.cancelledMessage)), false);
      else finish(() => reject(new JobError(r.error.code, r.error.message, r.error.file)), true);
    };
    const onError = (e: Error) => finish(() => reject(failed('WORKER_FAILED', `${req.what} worker failed: ${e.message}`)), false);
    const onExit = (code: number) => finish(() => reject(failed('WORKER_EXIT', `${req.what} worker exited (code ${code}) without a result`)), false);
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    giveUp = () => finish(() => reject(new CancelledError(req.cancelledMessage)), false);
  });
  worker.postMessage({ ...message, cancel: flag });
  return {
    promise,
    cancel: () => {
      if (cancelled || settled) return;
      cancelled = true;
      Atomics.store(new Int32Array(flag), 0, 1);
      // A stage that does not poll the flag (one long native call) is cut short, and the run ends
      // cancelled then (its slot freed) even if the worker cannot end yet (blocked in a file read)
      killTimer = setTimeout(() => {
        giveUp();
        void endWorker(worker);
      }, req.graceMs);
    },
  };
}

/**
 * The worker's side of one request: runs `work` with the request's cancel flag and posts its
 * progress and outcome; `transfer` lists the result's buffers to move instead of copy.
 */
export async function answerJob<P, R>(
  post: (reply: JobReply<P, R>, transfer?: ArrayBuffer[]) => void,
  cancelFlag: SharedArrayBuffer,
  work: (cancel: SharedCancel, onProgress: (p: P) => void) => Promise<R>,
  fallback: ErrorCode,
  transfer: (result: R) => ArrayBuffer[] = () => []
): Promise<void> {
  const cancel = new SharedCancel(cancelFlag);
  try {
    const result = await work(cancel, (progress) => post({ type: 'progress', progress }));
    post({ type: 'result', result }, transfer(result));
  } catch (e) {
    if (e instanceof CancelledError || cancel.aborted) return post({ type: 'cancelled' });
    post({ type: 'error', error: toWireError(e, fallback) });
  }
}

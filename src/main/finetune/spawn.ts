// The fine-tune worker, started through the job helper (src/main/jobs/worker.ts): from the sources
// with tsx, or from the bundle, where worker.ts is the entry out/main/finetune-worker.js beside
// out/main/index.js (electron.vite.config.ts, main.build.rollupOptions.input).
import type { Startable } from '../jobs/slots';
import { runInWorker, startWorker, type JobReply } from '../jobs/worker';
import type { ReviewedBeats } from './data';
import type { EpochPoint } from './head';
import type { FinetuneProgressEvent, FinetuneSettings } from './settings';
import type { VersionEntry } from './registry';

export interface FinetuneRun {
  type: 'run';
  records: ReviewedBeats[];
  settings: FinetuneSettings;
  /** 4-byte shared flag: non-zero = cancel. */
  cancel: SharedArrayBuffer;
}

/** The written (not yet registered) version. */
export interface WrittenVersion {
  entry: VersionEntry;
  path: string;
  curve: EpochPoint[];
}

export type FinetuneReply = JobReply<FinetuneProgressEvent, WrittenVersion>;

/** How long a cancelled worker may take to stop by itself before it is terminated. */
export const CANCEL_GRACE_MS = 500;

/**
 * Fine-tunes in a fresh worker, which ends with the job. Rejects with CancelledError or JobError;
 * resolves with the written version even after cancel() when the worker had written it by then (the
 * caller removes it). A terminated worker never renamed its temporary file into place (the rename
 * is its last step after the check).
 */
export function finetuneInWorker(
  records: ReviewedBeats[],
  settings: FinetuneSettings,
  onProgress?: (p: FinetuneProgressEvent) => void
): Startable<WrittenVersion> {
  const message: Omit<FinetuneRun, 'cancel'> = { type: 'run', records, settings };
  return runInWorker<FinetuneProgressEvent, WrittenVersion>(startWorker(import.meta.url, 'finetune-worker.js'), message, {
    what: 'fine-tune',
    graceMs: CANCEL_GRACE_MS,
    cancelledMessage: 'fine-tuning cancelled',
    // a version written before the cancel reached the worker comes back, for the caller to remove
    resultAfterCancel: true,
    ...(onProgress ? { onProgress } : {}),
  });
}

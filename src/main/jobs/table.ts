// The jobs behind the IPC handlers: start answers with a job id at once, progress goes to a
// listener with that id, the outcome is awaited by id, cancel stops the job. At most the slots'
// limit run at once (the others report stage "queued"); finished jobs beyond `keep` are forgotten,
// oldest first. Analyses and fine-tunes are both tables of this kind.
import { randomUUID } from 'node:crypto';
import { JobSlots, type Startable } from './slots';
import { JobError } from './worker';

/** Progress of the job `jobId`. */
export type ProgressListener<P> = (jobId: string, p: P) => void;

/** What every job's progress starts with while it waits for a slot. */
export const QUEUED = { stage: 'queued', fraction: 0, etaSec: null } as const;

export interface Job<T> {
  run: Startable<T>;
  /** Settled, either way. */
  done: boolean;
  cancelled: boolean;
}

export class JobTable<T, J extends Job<T> = Job<T>> {
  private readonly jobs = new Map<string, J>();

  constructor(
    /** 'analysis', 'fine-tune': names the job in errors. */
    private readonly what: string,
    private readonly keep: number,
    private readonly slots: JobSlots
  ) {}

  /** Queues `start` and keeps the job made of its run by `track`; returns the job id. `signal` aborted cancels the job. */
  start<P>(
    start: (onProgress: (p: P) => void) => Startable<T>,
    track: (run: Startable<T>) => J,
    onProgress?: ProgressListener<P | typeof QUEUED>,
    signal?: AbortSignal
  ): string {
    const jobId = randomUUID();
    const run = this.slots.run(
      () => start((p) => onProgress?.(jobId, p)),
      () => onProgress?.(jobId, QUEUED)
    );
    const job = track(run);
    // forgotten (beyond `keep`) as they finish, not only at the next start: a burst of analyses
    // would otherwise hold every result until another job starts
    const stop = () => this.cancel(jobId);
    const settled = () => {
      job.done = true;
      // a page's signal lives as long as the page: it must not keep every job it ever started
      signal?.removeEventListener('abort', stop);
      this.forgetOld();
    };
    run.promise.then(settled, settled);
    this.jobs.set(jobId, job);
    signal?.addEventListener('abort', stop, { once: true });
    this.forgetOld();
    return jobId;
  }

  get(jobId: string): J {
    const j = this.jobs.get(jobId);
    if (!j) throw new JobError('UNKNOWN_JOB', `No ${this.what} job ${jobId} (finished jobs are kept for the last ${this.keep}).`);
    return j;
  }

  /** False when there is no such job, or it has finished or was cancelled already. */
  cancel(jobId: string): boolean {
    const j = this.jobs.get(jobId);
    if (!j || j.done || j.cancelled) return false;
    j.cancelled = true;
    j.run.cancel();
    return true;
  }

  cancelAll(): void {
    for (const id of this.jobs.keys()) this.cancel(id);
  }

  /** Forgets the oldest finished jobs beyond `keep` finished ones (running jobs are not counted: a burst of them never pushes out one just finished). */
  private forgetOld(): void {
    let done = 0;
    for (const j of this.jobs.values()) if (j.done) done++;
    for (const [id, j] of this.jobs) {
      if (done <= this.keep) break;
      if (!j.done) continue;
      this.jobs.delete(id);
      done--;
    }
  }
}

// Fine-tune jobs for the IPC handlers: start answers with a job id at once, progress goes to a
// listener, result waits for the outcome, cancel stops the worker. A finished job's version is
// added to the registry (inactive) by this thread, so manifest writes happen in one place; a job
// cancelled at any point leaves no model file and no registry entry behind.
import { randomUUID } from 'node:crypto';
import { readdir, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { FinetuneOutcome, ModelVersion } from '../../shared/finetune';
import { CancelledError } from '../inference/cancel';
import type { RecordBeats } from './data';
import type { FinetuneSettings, JobProgress } from './job';
import { ModelRegistry } from './registry';
import { finetuneInWorker, FinetuneJobError, type WorkerJob } from './spawn';
import { JobSlots, type Startable } from '../jobs/slots';

interface Job {
  run: Startable<Awaited<WorkerJob['promise']>>;
  outcome: Promise<FinetuneOutcome>;
  cancelled: boolean;
  done: boolean;
}

export type FinetuneJobProgress = (jobId: string, p: JobProgress) => void;

const TEMP = /^\..+\.[0-9a-f]{12}\.tmp$/;

export class FinetuneJobs {
  private readonly jobs = new Map<string, Job>();

  constructor(
    readonly registry: ModelRegistry,
    private readonly defaults: Partial<FinetuneSettings> = {},
    private readonly keep = 8,
    /** Shared with analyses: at most `slots.limit` heavy jobs at once, the rest report stage "queued". */
    private readonly slots = new JobSlots(),
  ) {}

  start(records: RecordBeats[], settings: Partial<FinetuneSettings>, onProgress?: FinetuneJobProgress): string {
    const jobId = randomUUID();
    const started = Date.now();
    const s: FinetuneSettings = { registryDir: this.registry.dir, modelsDir: this.registry.modelsDir, ...this.defaults, ...settings };
    const run = this.slots.run(
      () => finetuneInWorker(records, s, (p) => onProgress?.(jobId, p)),
      () => onProgress?.(jobId, { stage: 'queued', fraction: 0, etaSec: null }),
    );
    const job: Job = { run, cancelled: false, done: false, outcome: Promise.resolve({ status: 'cancelled' }) };
    job.outcome = run.promise.then(
      async (r): Promise<FinetuneOutcome> => {
        if (job.cancelled) {
          await rm(r.path, { force: true });
          return { status: 'cancelled' };
        }
        try {
          await this.registry.add(r.entry);
        } catch (e) {
          await rm(r.path, { force: true });
          return { status: 'failed', code: (e as { code?: string }).code ?? 'REGISTRY', message: (e as Error).message };
        }
        const version = (await this.registry.list()).find((v) => v.id === r.entry.id) as ModelVersion;
        return { status: 'done', version, curve: r.curve };
      },
      async (e: unknown): Promise<FinetuneOutcome> => {
        if (e instanceof CancelledError || job.cancelled) {
          await this.removeTemp(started);
          return { status: 'cancelled' };
        }
        const err = e as FinetuneJobError;
        return { status: 'failed', code: err.code ?? 'FINETUNE_FAILED', message: err.message };
      },
    );
    void job.outcome.finally(() => (job.done = true));
    this.jobs.set(jobId, job);
    if (this.jobs.size > this.keep) {
      for (const [id, j] of this.jobs) {
        if (this.jobs.size <= this.keep) break;
        if (j.done) this.jobs.delete(id);
      }
    }
    return jobId;
  }

  /** Temporary files a terminated worker may have left in the registry folder (made since `since`). */
  private async removeTemp(since: number): Promise<void> {
    const dir = resolve(this.registry.dir);
    const names = await readdir(dir).catch(() => [] as string[]);
    for (const n of names) {
      if (!TEMP.test(n)) continue;
      const st = await stat(join(dir, n)).catch(() => null);
      if (st && st.mtimeMs >= since - 1000) await rm(join(dir, n), { force: true });
    }
  }

  result(jobId: string): Promise<FinetuneOutcome> {
    const j = this.jobs.get(jobId);
    if (!j) return Promise.reject(new FinetuneJobError('UNKNOWN_JOB', `No fine-tune job ${jobId}.`));
    return j.outcome;
  }

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
}

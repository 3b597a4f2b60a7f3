// Fine-tune jobs for the IPC handlers (a job table, src/main/jobs/table.ts): start answers with a
// job id at once, progress goes to a listener, result waits for the outcome, cancel stops the
// worker. A finished job's version is added to the registry (inactive) by this thread, so
// manifest writes happen in one place; a job cancelled at any point leaves no model file and no
// registry entry behind.
import { readdir, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { FinetuneOutcome, ModelVersion } from '../../shared/finetune';
import { errorCodeOf } from '../../shared/errors';
import { CancelledError } from '../inference/cancel';
import { JobSlots, type Startable } from '../jobs/slots';
import { JobTable, type Job, type ProgressListener } from '../jobs/table';
import type { ReviewedBeats } from './data';
import type { FinetuneProgressEvent, FinetuneSettings } from './settings';
import { ModelRegistry } from './registry';
import { finetuneInWorker, type WrittenVersion } from './spawn';
import { tempTarget } from '../files/atomic';

interface FinetuneJob extends Job<WrittenVersion> {
  outcome: Promise<FinetuneOutcome>;
}

export class FinetuneJobs {
  private readonly table: JobTable<WrittenVersion, FinetuneJob>;

  constructor(
    readonly registry: ModelRegistry,
    private readonly defaults: Partial<FinetuneSettings> = {},
    keep = 8,
    /** Shared with analyses: at most `slots.limit` heavy jobs at once, the rest report stage "queued". */
    slots = new JobSlots()
  ) {
    this.table = new JobTable('fine-tune', keep, slots);
  }

  start(records: ReviewedBeats[], settings: Partial<FinetuneSettings>, onProgress?: ProgressListener<FinetuneProgressEvent>, signal?: AbortSignal): string {
    const started = Date.now();
    const s: FinetuneSettings = { registryDir: this.registry.dir, modelsDir: this.registry.modelsDir, ...this.defaults, ...settings };
    return this.table.start<FinetuneProgressEvent>(
      (progress) => finetuneInWorker(records, s, progress),
      (run) => {
        const job: FinetuneJob = { run, done: false, cancelled: false, outcome: Promise.resolve({ status: 'cancelled' }) };
        job.outcome = this.outcomeOf(run, job, started);
        return job;
      },
      onProgress,
      signal
    );
  }

  /** The job's end as the renderer sees it: the registered version, cancelled (nothing left behind) or failed. */
  private outcomeOf(run: Startable<WrittenVersion>, job: FinetuneJob, started: number): Promise<FinetuneOutcome> {
    return run.promise.then(
      async (r): Promise<FinetuneOutcome> => {
        if (job.cancelled) {
          await this.registry.removeUnregistered(r.path);
          return { status: 'cancelled' };
        }
        try {
          await this.registry.add(r.entry);
        } catch (e) {
          await this.registry.removeUnregistered(r.path).catch(() => undefined);
          return { status: 'failed', code: errorCodeOf(e, 'REGISTRY'), message: (e as Error).message };
        }
        const version = (await this.registry.list()).find((v) => v.id === r.entry.id) as ModelVersion;
        return { status: 'done', version, curve: r.curve };
      },
      async (e: unknown): Promise<FinetuneOutcome> => {
        if (e instanceof CancelledError || job.cancelled) {
          await this.removeTemp(started);
          return { status: 'cancelled' };
        }
        return { status: 'failed', code: errorCodeOf(e, 'FINETUNE_FAILED'), message: (e as Error).message };
      }
    );
  }

  /** Temporary files a terminated worker may have left in the registry folder (made since `since`). */
  private async removeTemp(since: number): Promise<void> {
    const dir = resolve(this.registry.dir);
    const names = await readdir(dir).catch(() => [] as string[]);
    for (const n of names) {
      // a version file's temporary made by this process, not the CLI's
      const t = tempTarget(n);
      if (!t || t.pid !== process.pid || !/-ft\d+\.onnx$/.test(t.target)) continue;
      const st = await stat(join(dir, n)).catch(() => null);
      if (st && st.mtimeMs >= since - 1000) await rm(join(dir, n), { force: true });
    }
  }

  async result(jobId: string): Promise<FinetuneOutcome> {
    return this.table.get(jobId).outcome;
  }

  cancel(jobId: string): boolean {
    return this.table.cancel(jobId);
  }

  cancelAll(): void {
    this.table.cancelAll();
  }
}

// Analysis jobs for the IPC handlers: start returns a job id at once, progress goes to a
// listener, result waits for the job, cancel stops it, threshold re-labels the finished result.
import { randomUUID } from 'node:crypto';
import type { Analysis } from '../../shared/analysis';
import type { ScanSettings } from '../../shared/scan-settings';
import { ruleParams, withScan } from '../rules';
import type { AnalyzeSettings } from './pipeline';
import type { ProgressEvent } from './progress';
import { relabel } from './relabel';
import { AnalysisError, analyzeInWorker } from './spawn';
import { JobSlots, type Startable } from '../jobs/slots';

interface Job {
  run: Startable<Analysis>;
  settings: AnalyzeSettings;
  result?: Analysis;
}

export type JobProgress = (jobId: string, p: ProgressEvent) => void;

export class AnalysisJobs {
  private readonly jobs = new Map<string, Job>();

  /** defaults: settings every job gets unless the request overrides them (cache dir, models dir). */
  constructor(
    private readonly defaults: AnalyzeSettings = {},
    private readonly keep = 8,
    /** Shared with fine-tunes: at most `slots.limit` heavy jobs at once, the rest report stage "queued". */
    private readonly slots = new JobSlots(),
  ) {}

  start(path: string, settings: AnalyzeSettings, onProgress?: JobProgress): string {
    const jobId = randomUUID();
    const merged = { ...this.defaults, ...settings };
    const run = this.slots.run(
      () => analyzeInWorker(path, merged, (p) => onProgress?.(jobId, p)),
      () => onProgress?.(jobId, { stage: 'queued', fraction: 0, etaSec: null }),
    );
    const job: Job = { run, settings: merged };
    this.jobs.set(jobId, job);
    run.promise.then(
      (a) => (job.result = a),
      () => undefined,
    );
    // Finished jobs beyond `keep` are forgotten, oldest first.
    if (this.jobs.size > this.keep) {
      for (const [id, j] of this.jobs) {
        if (this.jobs.size <= this.keep) break;
        if (j.result) this.jobs.delete(id);
      }
    }
    return jobId;
  }

  private get(jobId: string): Job {
    const j = this.jobs.get(jobId);
    if (!j) throw new AnalysisError('UNKNOWN_JOB', `No analysis job ${jobId} (finished jobs are kept for the last ${this.keep} analyses).`);
    return j;
  }

  /** The job's Analysis once it finishes; rejects with CancelledError or AnalysisError. */
  result(jobId: string): Promise<Analysis> {
    return this.get(jobId).run.promise;
  }

  cancel(jobId: string): boolean {
    const j = this.jobs.get(jobId);
    if (!j || j.result) return false;
    j.run.cancel();
    return true;
  }

  /** The finished analysis re-labelled at `threshold` under the scan settings (no model runs); it becomes the job's result. */
  async threshold(jobId: string, threshold: number, scan?: ScanSettings): Promise<Analysis> {
    const j = this.get(jobId);
    const a = j.result ?? (await j.run.promise);
    j.result = relabel(a, threshold, withScan(ruleParams(j.settings.rules), scan));
    return j.result;
  }

  cancelAll(): void {
    for (const id of this.jobs.keys()) this.cancel(id);
  }
}

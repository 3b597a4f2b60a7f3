// Analysis jobs for the IPC handlers (a job table, src/main/jobs/table.ts): start returns a job id
// at once, progress goes to a listener, result waits for the job, cancel stops it, threshold
// re-labels the finished result.
import type { Analysis } from '../../shared/analysis';
import type { ScanSettings } from '../../shared/scan-settings';
import { ruleParams, withScan } from '../rules';
import { JobSlots } from '../jobs/slots';
import { JobTable, type Job, type ProgressListener } from '../jobs/table';
import type { AnalyzeSettings } from './pipeline';
import type { ProgressEvent } from './progress';
import { applyThreshold } from './apply-threshold';
import { analyzeInWorker } from './spawn';

interface AnalysisJob extends Job<Analysis> {
  settings: AnalyzeSettings;
  result?: Analysis;
}

export class AnalysisJobs {
  private readonly table: JobTable<Analysis, AnalysisJob>;

  /** defaults: settings every job gets unless the request overrides them (cache dir, models dir). */
  constructor(
    private readonly defaults: AnalyzeSettings = {},
    keep = 8,
    /** Shared with fine-tunes: at most `slots.limit` heavy jobs at once, the rest report stage "queued". */
    slots = new JobSlots()
  ) {
    this.table = new JobTable('analysis', keep, slots);
  }

  start(path: string, settings: AnalyzeSettings, onProgress?: ProgressListener<ProgressEvent>, signal?: AbortSignal): string {
    const merged = { ...this.defaults, ...settings };
    return this.table.start<ProgressEvent>(
      (progress) => analyzeInWorker(path, merged, progress),
      (run) => {
        const job: AnalysisJob = { run, settings: merged, done: false, cancelled: false };
        run.promise.then(
          (a) => (job.result = a),
          () => undefined
        );
        return job;
      },
      onProgress,
      signal
    );
  }

  /** The job's Analysis once it finishes; rejects with CancelledError or JobError. */
  result(jobId: string): Promise<Analysis> {
    return this.table.get(jobId).run.promise;
  }

  cancel(jobId: string): boolean {
    return this.table.cancel(jobId);
  }

  /** The finished analysis re-labelled at `threshold` under the scan settings (no model runs); it becomes the job's result. */
  async threshold(jobId: string, threshold: number, scan?: ScanSettings): Promise<Analysis> {
    const j = this.table.get(jobId);
    const a = j.result ?? (await j.run.promise);
    j.result = applyThreshold(a, threshold, withScan(ruleParams(j.settings.rules), scan));
    return j.result;
  }

  cancelAll(): void {
    this.table.cancelAll();
  }
}

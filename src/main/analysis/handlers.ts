// The analysis:* handlers: thin wrappers over AnalysisJobs.
import type { Handler, HandlerContext } from '../handlers';
import { AnalysisJobs } from './jobs';

export type AnalysisHandlers = {
  'analysis:run': Handler<'analysis:run'>;
  'analysis:result': Handler<'analysis:result'>;
  'analysis:cancel': Handler<'analysis:cancel'>;
  'analysis:threshold': Handler<'analysis:threshold'>;
};

export function analysisHandlers(jobs: AnalysisJobs): AnalysisHandlers {
  return {
    'analysis:run': async (req, ctx: HandlerContext) => {
      const jobId = jobs.start(
        req.path,
        { beats: req.beats, threshold: req.threshold, provider: req.provider, useRules: req.useRules },
        (id, p) => ctx.emit('progress', { jobId: id, stage: p.stage, fraction: p.fraction, etaSec: p.etaSec }),
        ctx.signal
      );
      return { jobId };
    },
    'analysis:result': async (req) => jobs.result(req.jobId),
    'analysis:cancel': async (req) => ({ cancelled: jobs.cancel(req.jobId) }),
    'analysis:threshold': async (req) => jobs.threshold(req.jobId, req.threshold, req.scan),
  };
}

// The finetune:* and models:* handlers: thin wrappers over FinetuneJobs and ModelRegistry.
import type { Handler, HandlerContext } from '../handlers';
import { fromReview } from './data';
import type { FinetuneJobs } from './jobs';

export type FinetuneHandlers = {
  'finetune:start': Handler<'finetune:start'>;
  'finetune:result': Handler<'finetune:result'>;
  'finetune:cancel': Handler<'finetune:cancel'>;
  'models:list': Handler<'models:list'>;
  'models:activate': Handler<'models:activate'>;
  'models:rollback': Handler<'models:rollback'>;
  'models:delete': Handler<'models:delete'>;
};

export function finetuneHandlers(jobs: FinetuneJobs): FinetuneHandlers {
  const reg = jobs.registry;
  return {
    'finetune:start': async (req, ctx: HandlerContext) => {
      const records = req.sources.map((s) => fromReview(s.recordPath, s.review));
      const reviewer = req.reviewer ?? req.sources[0]!.review.reviewer;
      const jobId = jobs.start(
        records,
        { reviewer, ...(req.parent ? { parent: req.parent } : {}), ...(req.seed !== undefined ? { seed: req.seed } : {}) },
        (id, p) => ctx.emit('finetune:progress', { jobId: id, ...p }),
        ctx.signal
      );
      return { jobId };
    },
    'finetune:result': async (req) => jobs.result(req.jobId),
    'finetune:cancel': async (req) => ({ cancelled: jobs.cancel(req.jobId) }),
    'models:list': async () => ({ versions: await reg.list() }),
    'models:activate': async (req) => ({ versions: await reg.activate(req.id) }),
    'models:rollback': async () => {
      const active = await reg.rollback();
      return { active, versions: await reg.list() };
    },
    'models:delete': async (req) => ({ versions: await reg.delete(req.id) }),
  };
}

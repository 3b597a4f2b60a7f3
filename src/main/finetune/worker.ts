// The fine-tune worker (worker_threads): runs runFinetune off the main thread, posts progress,
// reads cancellation from a shared flag. The registry manifest is updated by the main thread.
import { parentPort, workerData } from 'node:worker_threads';
import { answerJob } from '../jobs/worker';
import { markLoaded } from '../jobs/worker-loaded';
import { runFinetune } from './job';
import type { FinetuneRun, FinetuneReply } from './spawn';

const port = parentPort;
if (!port) throw new Error('src/main/finetune/worker.ts must run in a worker thread');

port.once('message', (msg: FinetuneRun) => {
  const post = (r: FinetuneReply) => port.postMessage(r);
  void answerJob(
    post,
    msg.cancel,
    async (cancel, onProgress) => {
      const r = await runFinetune(msg.records, msg.settings, { cancel, onProgress });
      return { entry: r.entry, path: r.path, curve: r.curve };
    },
    'FINETUNE_FAILED'
  ).finally(() => port.close());
});

// every import above is loaded, ONNX Runtime's native module included: safe to end from now on
markLoaded(workerData);

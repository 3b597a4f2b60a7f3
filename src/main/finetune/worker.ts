// The fine-tune worker (worker_threads): runs runFinetune off the main thread, posts progress,
// reads cancellation from a shared flag. The registry manifest is updated by the main thread.
import { parentPort } from 'node:worker_threads';
import { toWireError } from '../../shared/errors';
import { CancelledError, SharedCancel } from '../inference/cancel';
import { runFinetune } from './job';
import type { FinetuneRun, FinetuneReply } from './spawn';

const port = parentPort;
if (!port) throw new Error('src/main/finetune/worker.ts must run in a worker thread');

port.once('message', (msg: FinetuneRun) => {
  const post = (r: FinetuneReply) => port.postMessage(r);
  const cancel = new SharedCancel(msg.cancel);
  runFinetune(msg.records, msg.settings, { cancel, onProgress: (progress) => post({ type: 'progress', progress }) })
    .then((r) => post({ type: 'result', entry: r.entry, path: r.path, curve: r.curve }))
    .catch((e: unknown) => {
      if (e instanceof CancelledError || cancel.aborted) return post({ type: 'cancelled' });
      post({ type: 'error', error: toWireError(e, 'FINETUNE_FAILED') });
    })
    .finally(() => port.close());
});

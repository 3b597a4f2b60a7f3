// The analysis worker (worker_threads): runs analyzeRecord off the main thread, one request at a
// time, posts progress, reads cancellation from a shared flag per request, transfers the result's
// typed arrays back. It stays up for the next request until its owner closes or terminates it.
// Started by another analysis worker (parallel.ts), it is that worker's helper instead: it runs
// the tasks it is sent one after the other, in the order they came.
import { parentPort } from 'node:worker_threads';
import { answerJob } from '../jobs/worker';
import { analyzeRecord } from './pipeline';
import { runHelperTask } from './helper-tasks';
import { packNotes, transferables, type HelperMessage, type HelperReply, type RunMessage, type WorkerReply } from './protocol';

const port = parentPort;
if (!port) throw new Error('src/main/analysis/worker.ts must run in a worker thread');

let helperQueue: Promise<void> = Promise.resolve();

port.on('message', (msg: RunMessage | HelperMessage) => {
  if (msg.type === 'helper') {
    helperQueue = helperQueue.then(async () => {
      try {
        const { result, transfer } = await runHelperTask(msg.task);
        port.postMessage({ type: 'helper', id: msg.id, result } satisfies HelperReply, transfer);
      } catch (e) {
        port.postMessage({ type: 'helper-error', id: msg.id, message: (e as Error).message ?? String(e) } satisfies HelperReply);
      }
    });
    return;
  }
  const post = (r: WorkerReply, transfer: ArrayBuffer[] = []) => port.postMessage(r, transfer);
  void answerJob(
    post,
    msg.cancel,
    async (cancel, onProgress) => packNotes(await analyzeRecord(msg.path, msg.settings, { cancel, onProgress })),
    'ANALYSIS_FAILED',
    ({ analysis, notes }) => [...transferables(analysis), ...(notes ? [notes.index.buffer as ArrayBuffer] : [])]
  );
});

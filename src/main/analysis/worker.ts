// The analysis worker (worker_threads): runs analyzeRecord off the main thread, one request at a
// time, posts progress, reads cancellation from a shared flag per request, transfers the result's
// typed arrays back. It stays up for the next request until its owner closes or terminates it.
// Started by another analysis worker (parallel.ts), it is that worker's helper instead: it runs
// the tasks it is sent one after the other, in the order they came, except the beat windows'
// chunks, which start at once and take turns with the others (conditioned-chunks.ts).
import { parentPort, workerData } from 'node:worker_threads';
import { answerJob } from '../jobs/worker';
import { analyzeRecord } from './pipeline';
import { runHelperTask } from './helper-tasks';
import { expectTask, taskProgress } from './helper-pace';
import { markLoaded } from '../jobs/worker-loaded';
import { packNotes, transferables, type HelperMessage, type HelperReply, type RunMessage, type WorkerReply } from './protocol';

const port = parentPort;
if (!port) throw new Error('src/main/analysis/worker.ts must run in a worker thread');

let helperQueue: Promise<void> = Promise.resolve();

port.on('message', (msg: RunMessage | HelperMessage) => {
  if (msg.type === 'helper') {
    const paced = msg.task.kind === 'quality' || msg.task.kind === 'rhythm';
    if (paced) expectTask(msg.id);
    const answer = async () => {
      try {
        const { result, transfer } = await runHelperTask(msg.task, (share) => taskProgress(msg.id, share));
        port.postMessage({ type: 'helper', id: msg.id, result } satisfies HelperReply, transfer);
      } catch (e) {
        port.postMessage({ type: 'helper-error', id: msg.id, message: (e as Error).message ?? String(e) } satisfies HelperReply);
      } finally {
        taskProgress(msg.id, 1);
      }
    };
    // the beat windows' chunks start at once: the analysis worker waits on them, and while the
    // helper is ahead of it the queued tasks (quality, rhythm, hash) take their turns
    if (msg.task.kind === 'condition') void answer();
    else helperQueue = helperQueue.then(answer);
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

// every import above is loaded, ONNX Runtime's native module included: safe to end from now on
markLoaded(workerData);

// The analysis worker (worker_threads): runs analyzeRecord off the main thread, one request at a
// time, posts progress, reads cancellation from a shared flag per request, transfers the result's
// typed arrays back. It stays up for the next request until its owner closes or terminates it.
import { parentPort } from 'node:worker_threads';
import { answerJob } from '../jobs/worker';
import { analyzeRecord } from './pipeline';
import { rhythmWindows } from '../rhythm/windows';
import { packNotes, transferables, type RhythmWindowsMessage, type RhythmWindowsReply, type RunMessage, type WorkerReply } from './protocol';

const port = parentPort;
if (!port) throw new Error('src/main/analysis/worker.ts must run in a worker thread');

port.on('message', (msg: RunMessage | RhythmWindowsMessage) => {
  if (msg.type === 'rhythm-windows') {
    // helper for another analysis worker (parallel.ts): one job, then the owner terminates it
    let reply: RhythmWindowsReply;
    try {
      reply = { type: 'rhythm-windows', result: rhythmWindows(msg.signal, msg.fs, msg.strideSec) };
    } catch (e) {
      reply = { type: 'rhythm-windows-error', message: (e as Error).message ?? String(e) };
    }
    const r = reply.type === 'rhythm-windows' ? reply.result : null;
    port.postMessage(reply, r ? ([r.x.buffer, r.startSample.buffer, r.start125.buffer, r.nReal.buffer] as ArrayBuffer[]) : []);
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

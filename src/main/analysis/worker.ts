// The analysis worker (worker_threads): runs analyzeRecord off the main thread, one request at a
// time, posts progress, reads cancellation from a shared flag per request, transfers the result's
// typed arrays back. It stays up for the next request until its owner closes or terminates it.
import { parentPort } from 'node:worker_threads';
import { toWireError } from '../../shared/errors';
import { SharedCancel, CancelledError } from '../inference/cancel';
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
    port.postMessage(reply, r ? [r.x.buffer, r.startSample.buffer, r.start125.buffer, r.nReal.buffer] as ArrayBuffer[] : []);
    return;
  }
  const post = (r: WorkerReply, transfer: ArrayBuffer[] = []) => port.postMessage(r, transfer);
  const cancel = new SharedCancel(msg.cancel);
  analyzeRecord(msg.path, msg.settings, { cancel, onProgress: (progress) => post({ type: 'progress', progress }) })
    .then((a) => {
      const { analysis, notes } = packNotes(a);
      post({ type: 'result', analysis, ...(notes ? { notes } : {}) }, [...transferables(analysis), ...(notes ? [notes.index.buffer as ArrayBuffer] : [])]);
    })
    .catch((e: unknown) => {
      if (e instanceof CancelledError || cancel.aborted) return post({ type: 'cancelled' });
      post({ type: 'error', error: toWireError(e, 'ANALYSIS_FAILED') });
    });
});

// An analysis worker started before its caller has loaded what it needs: the CLI starts one first
// thing for `analyze`, so that the worker's start-up (a thread, its modules, ONNX Runtime) runs on
// the second core while the CLI loads its command, instead of after it. The first AnalysisWorker
// takes it (spawn.ts); one nobody took is ended by releaseEarlyWorker, once it has loaded
// (jobs/worker-loaded.ts). Imports only Node's own modules, so that nothing delays the start.
import type { Worker } from 'node:worker_threads';
import { newWorker } from '../jobs/new-worker';
import { endWorker } from '../jobs/worker-loaded';

interface Parked {
  worker: Worker;
  drop: () => void;
}

let parked: Parked | null = null;

/** Starts the analysis worker now, unless one is parked already; whether it started one. A worker left untaken does not keep the process alive. */
export function startAnalysisWorkerEarly(): boolean {
  if (parked) return false;
  const worker = newWorker(import.meta.url, 'analysis-worker.js');
  if (!worker) return false; // the taker starts one itself and reports what is missing
  // one that fails or ends before it is taken is dropped: the taker starts another, which reports its error
  const drop = () => {
    if (parked?.worker === worker) parked = null;
  };
  worker.once('error', drop);
  worker.once('exit', drop);
  worker.unref();
  parked = { worker, drop };
  return true;
}

/** The worker startAnalysisWorkerEarly started, if it is still up; taken once. */
export function takeEarlyWorker(): Worker | null {
  const p = parked;
  parked = null;
  if (!p) return null;
  p.worker.off('error', p.drop);
  p.worker.off('exit', p.drop);
  p.worker.ref();
  return p.worker;
}

/** Ends a worker nobody took, once it has loaded its modules; the CLI calls it before it exits. */
export async function releaseEarlyWorker(): Promise<void> {
  const p = parked;
  parked = null;
  if (!p) return;
  p.worker.off('exit', p.drop);
  await endWorker(p.worker);
}

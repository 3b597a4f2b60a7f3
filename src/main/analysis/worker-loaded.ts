// When an analysis worker may be ended: a worker ended while ONNX Runtime's native module loads can
// abort the whole process ("terminate called after throwing an instance of 'Napi::Error'", exit
// 134; seen on the CLI given a bad option, whose early worker was ended at exit, ~1 run in 15 with
// the machine busy). The worker sets a shared flag once its modules are loaded (worker.ts), and one
// ended before it has is ended once it has. Imports nothing, so that the early start loads nothing more.
import type { Worker } from 'node:worker_threads';

/** How long to wait for a worker to finish loading before ending it anyway. */
const LOAD_WAIT_MS = 10_000;

/** A flag to pass as workerData.loaded: 1 once the worker's modules are loaded. */
export function loadedFlag(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(4));
}

/** Called by the analysis worker once its modules are loaded (its workerData: where the flag is, if given). */
export function markLoaded(data: unknown): void {
  const loaded = (data as { loaded?: unknown } | null)?.loaded;
  if (loaded instanceof Int32Array) {
    Atomics.store(loaded, 0, 1);
    Atomics.notify(loaded, 0);
  }
}

/** Ends the worker once it has loaded (or exited, or LOAD_WAIT_MS passed). */
export async function endOnceLoaded(worker: Worker, loaded: Int32Array): Promise<void> {
  worker.ref(); // a pending Atomics.waitAsync does not keep the process up: the worker must, until it is ended
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  const w = Atomics.waitAsync(loaded, 0, 0, LOAD_WAIT_MS);
  if (w.async) await Promise.race([w.value, exited]);
  await worker.terminate();
}

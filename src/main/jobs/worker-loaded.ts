// When a job worker may be ended: one ended while ONNX Runtime's native module loads aborts the
// whole process ("terminate called after throwing an instance of 'Napi::Error'", exit 134; a worker
// importing onnxruntime-node ended 60 ms after its start: 4 of 20 runs with the other core busy) —
// in the app, the Electron main process. Every worker newWorker starts gets a shared flag that its
// entry sets once its modules are loaded (markLoaded), and endWorker ends one no sooner.
import type { Worker } from 'node:worker_threads';

/** How long to wait for a worker to finish loading before ending it anyway. */
const LOAD_WAIT_MS = 10_000;

const flags = new WeakMap<Worker, Int32Array>();

/** A flag for a worker about to start (its workerData.loaded), remembered once the worker exists (track). */
export function loadedFlag(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(4));
}

export function track(worker: Worker, loaded: Int32Array): void {
  flags.set(worker, loaded);
}

/** Called by a worker entry once its modules are loaded (its workerData: where the flag is). */
export function markLoaded(data: unknown): void {
  const loaded = (data as { loaded?: unknown } | null)?.loaded;
  if (loaded instanceof Int32Array) {
    Atomics.store(loaded, 0, 1);
    Atomics.notify(loaded, 0);
  }
}

/** Whether the worker has said its modules are loaded (false for one newWorker did not start). */
export function isLoaded(worker: Worker): boolean {
  const f = flags.get(worker);
  return f ? Atomics.load(f, 0) === 1 : false;
}

/** Ends the worker once it has loaded (or exited, or LOAD_WAIT_MS passed); at once for one newWorker did not start. */
export async function endWorker(worker: Worker): Promise<void> {
  const loaded = flags.get(worker);
  // (threadId -1: it has exited already, e.g. failed while loading; its 'exit' will not come again)
  if (loaded && Atomics.load(loaded, 0) === 0 && worker.threadId !== -1) {
    worker.ref(); // a pending Atomics.waitAsync does not keep the process up: the worker must, until it is ended
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    const w = Atomics.waitAsync(loaded, 0, 0, LOAD_WAIT_MS);
    if (w.async) await Promise.race([w.value, exited]);
  }
  await worker.terminate();
}

// Where a job worker's code is, and the worker started on it.
import '../inference/no-telemetry'; // before any worker can start ONNX Runtime
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { loadedFlag, track } from './worker-loaded';

/**
 * A new worker for `worker.ts` beside the module at `callerUrl` (its import.meta.url) from the
 * sources, or for the bundle entry `bundled` (e.g. 'analysis-worker.js'); null when the bundle
 * holds no such entry. Its workerData holds the flag its entry sets once loaded (worker-loaded.ts). Paths are built at run time, not with `new URL('./x', import.meta.url)`,
 * which bundlers rewrite.
 */
export function newWorker(callerUrl: string, bundled: string): Worker | null {
  const here = fileURLToPath(callerUrl);
  const dir = dirname(here);
  // set by the worker once loaded: end it with endWorker (worker-loaded.ts), not terminate()
  const loaded = loadedFlag();
  let worker: Worker | null = null;
  if (here.endsWith('.ts')) {
    const boot = join(dirname(fileURLToPath(import.meta.url)), 'worker-boot.mjs');
    worker = new Worker(boot, { workerData: { loaded, entry: pathToFileURL(join(dir, 'worker.ts')).href } });
  } else {
    // Bundled: beside out/main/index.js, or one level up if this code landed in out/main/chunks/.
    const file = [join(dir, bundled), join(dir, '..', bundled)].find((f) => existsSync(f));
    if (file) worker = new Worker(file, { workerData: { loaded } });
  }
  if (worker) track(worker, loaded);
  return worker;
}

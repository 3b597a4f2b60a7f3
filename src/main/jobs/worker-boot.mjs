// Worker bootstrap when running from TypeScript sources (CLI, tests, benches): registers tsx in
// this worker thread, then loads the TypeScript worker named by workerData.entry. The Electron
// build and the CLI bundle build each worker as its own entry and do not use this file.
import { register } from 'tsx/esm/api';
import { workerData } from 'node:worker_threads';

register();
await import(workerData.entry);

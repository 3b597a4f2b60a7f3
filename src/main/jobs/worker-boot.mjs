// Worker bootstrap when running from TypeScript sources (CLI, tests, benches): registers tsx in
// this worker thread, then loads the TypeScript worker. The Electron build bundles worker.ts
// as its own entry (out/main/analysis-worker.js) and does not use this file.
import { register } from 'tsx/esm/api';
import { workerData } from 'node:worker_threads';

register();
await import(workerData.entry);

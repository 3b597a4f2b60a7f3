// A job run in a worker (src/main/jobs/worker.ts runInWorker): a cancel that the worker does not
// answer within its grace ends the run as cancelled, and frees its slot, even when the worker cannot
// end (a thread blocked in a file read, its 'exit' never coming).
import { EventEmitter } from 'node:events';
import type { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { runInWorker } from '../../src/main/jobs/worker';

/** A worker that takes the request and never answers, and whose terminate() never finishes. */
function stuckWorker(): Worker & { terminated: number } {
  const w = new EventEmitter() as EventEmitter & { terminated: number; postMessage: () => void; terminate: () => Promise<number>; threadId: number };
  w.terminated = 0;
  w.threadId = 7;
  w.postMessage = () => undefined;
  w.terminate = () => {
    w.terminated++;
    return new Promise<number>(() => undefined);
  };
  return w as unknown as Worker & { terminated: number };
}

describe('runInWorker', () => {
  it('a cancel the worker does not answer ends the run, cancelled, after the grace', async () => {
    const worker = stuckWorker();
    const settled: boolean[] = [];
    const run = runInWorker(worker, { type: 'run' }, { what: 'analysis', graceMs: 30, onSettled: (reusable) => settled.push(reusable) });
    const t0 = performance.now();
    run.cancel();
    await expect(run.promise).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(performance.now() - t0).toBeLessThan(2_000);
    expect(settled).toEqual([false]);
    expect(worker.terminated).toBeGreaterThanOrEqual(1);
  }, 10_000);
});

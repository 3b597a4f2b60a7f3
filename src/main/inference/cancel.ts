// Cancellation as a plain flag (an AbortSignal satisfies it, so does a SharedArrayBuffer-backed
// flag a worker can read while busy).
import { setImmediate as turn } from 'node:timers/promises';
import { HeartbeatError } from '../../shared/errors';

export interface CancelToken {
  readonly aborted: boolean;
}

export class CancelledError extends HeartbeatError {
  override name = 'CancelledError';
  constructor(message = 'analysis cancelled') {
    super('CANCELLED', message);
  }
}

export function throwIfCancelled(c: CancelToken | undefined): void {
  if (c?.aborted) throw new CancelledError();
}

/**
 * throwIfCancelled after a turn of the event loop: an analysis on the thread that sets its flag (the
 * CLI's, on Ctrl-C: an AbortSignal) sees it only once that thread's handlers have run. Called between
 * stages and beat groups, not in inner loops (a turn costs microseconds).
 */
export async function checkpoint(c: CancelToken | undefined): Promise<void> {
  await turn();
  throwIfCancelled(c);
}

/** A flag in shared memory: set by one thread, read synchronously by another. */
export class SharedCancel implements CancelToken {
  readonly flag: Int32Array;
  constructor(buffer: SharedArrayBuffer = new SharedArrayBuffer(4)) {
    this.flag = new Int32Array(buffer, 0, 1);
  }
  get buffer(): SharedArrayBuffer {
    return this.flag.buffer as SharedArrayBuffer;
  }
  get aborted(): boolean {
    return Atomics.load(this.flag, 0) !== 0;
  }
  cancel(): void {
    Atomics.store(this.flag, 0, 1);
  }
}

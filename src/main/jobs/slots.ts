// At most N heavy jobs (analyses, fine-tunes) at once: each holds a worker thread, ONNX Runtime
// sessions and the record's signals (20 parallel analyses took the bridge from 255 MB to 2.4 GB).
// Jobs beyond N wait in order and report a "queued" state; a queued job cancelled never starts.
import { availableParallelism } from 'node:os';
import { CancelledError } from '../inference/cancel';

/** Something started: its outcome and how to stop it. */
export interface Startable<T> {
  promise: Promise<T>;
  cancel(): void;
}

/**
 * Half the cores (each job's worker uses ONNX Runtime threads and a helper worker too), 2 to 4:
 * at least 2 so a fine-tune never waits behind a long analysis on a small machine.
 */
export function defaultSlots(cores = availableParallelism()): number {
  return Math.max(2, Math.min(4, Math.floor(cores / 2)));
}

/** HEARTBEAT_MAX_JOBS when it is a positive integer, else defaultSlots(). */
export function slotsFromEnv(value = process.env.HEARTBEAT_MAX_JOBS): number {
  const n = Number(value);
  return Number.isInteger(n) && n >= 1 ? n : defaultSlots();
}

export class JobSlots {
  private running = 0;
  private readonly waiting: { go: () => void; drop: () => void }[] = [];

  constructor(readonly limit = defaultSlots()) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`job slots: limit must be a positive integer, not ${limit}`);
  }

  get active(): number {
    return this.running;
  }

  get queued(): number {
    return this.waiting.length;
  }

  /**
   * Starts `start()` now if a slot is free, else when one frees up; `onQueued(position)` is called
   * (1 = next) on the next turn if it still waits. Cancelling a queued job rejects it with
   * CancelledError unstarted.
   */
  run<T>(start: () => Startable<T>, onQueued?: (position: number) => void): Startable<T> {
    let inner: Startable<T> | null = null;
    let cancelled = false;
    let settle!: { ok: (v: T) => void; fail: (e: unknown) => void };
    const promise = new Promise<T>((ok, fail) => (settle = { ok, fail }));
    const go = () => {
      this.running++;
      try {
        inner = start();
      } catch (e) {
        this.release();
        settle.fail(e);
        return;
      }
      // the slot is free before anyone awaiting the job hears of its end
      inner.promise.then(
        (v) => {
          this.release();
          settle.ok(v);
        },
        (e: unknown) => {
          this.release();
          settle.fail(e);
        }
      );
    };
    const entry = {
      go,
      drop: () => settle.fail(new CancelledError('cancelled while queued')),
    };
    if (this.running < this.limit) go();
    else {
      this.waiting.push(entry);
      // not inside run(): its caller has not handed out the job's id yet, and a listener drops
      // progress of an id it does not know
      if (onQueued)
        setImmediate(() => {
          const at = this.waiting.indexOf(entry);
          if (at >= 0) onQueued(at + 1);
        });
    }
    return {
      promise,
      cancel: () => {
        if (cancelled) return;
        cancelled = true;
        if (inner) return inner.cancel();
        const i = this.waiting.indexOf(entry);
        if (i >= 0) {
          this.waiting.splice(i, 1);
          entry.drop();
        }
      },
    };
  }

  private release(): void {
    this.running--;
    const next = this.waiting.shift();
    next?.go();
  }
}

// The review's store writes, batched: an edit is on screen at once and goes to the store once the
// edits pause for WRITE_QUIET_MS, and at the latest WRITE_MAX_MS after the first edit waiting, so
// a burst of key presses is one IndexedDB transaction rather than one per key (each costs ~2 ms of
// the renderer and the browser's IndexedDB work, which held back the next key's frame while keys
// came quickly). Batches are written in order, one at a time; flush() writes what is waiting at
// once (the page hidden or closing, a record opened, the audit trail read). One write at a time,
// each taking everything waiting when it starts.

/** Pause in the edits after which what waits is written. */
export const WRITE_QUIET_MS = 100;
/** Longest time an edit waits for its write while edits keep coming (a key held down). */
export const WRITE_MAX_MS = 1000;

interface Waiting<T> {
  item: T;
  resolve: () => void;
  reject: (e: unknown) => void;
}

export interface WriteBehind<T> {
  /** Queues an item; resolves once it is written (rejects when its batch's write fails). */
  push(item: T): Promise<void>;
  /** Writes what is waiting now; resolves once everything pushed before the call is written (or has failed). */
  flush(): Promise<void>;
  /** The items not yet known to be written (waiting, or in a write not yet finished), in order. */
  unwritten(): T[];
}

/**
 * `write` gets each batch's items in the order they were pushed. A failed batch rejects its items'
 * promises (the UI says the action is not stored) and goes back to the head of the queue, to be
 * written with the next batch, before anything newer: the store never gets a later state before an
 * earlier one. `changed` is called whenever the unwritten items change (the journal follows them).
 */
export function writeBehind<T>(
  write: (items: T[]) => Promise<void>,
  quietMs = WRITE_QUIET_MS,
  maxMs = WRITE_MAX_MS,
  changed: (unwritten: T[]) => void = () => undefined
): WriteBehind<T> {
  let waiting: Waiting<T>[] = [];
  const inFlight = new Set<Waiting<T>[]>();
  let timer: ReturnType<typeof setTimeout> | null = null;
  let firstAt = 0; // when the oldest waiting item was pushed
  let current: Promise<void> | null = null; // the write in flight
  let next: Promise<void> | null = null; // the write after it
  const unwritten = () => [...[...inFlight].flat(), ...waiting].map((w) => w.item);

  function arm(delay: number): void {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void flush(), Math.max(0, delay));
  }

  /** The write of everything waiting now (nothing when nothing waits). */
  function writeWaiting(): Promise<void> {
    const batch = waiting;
    waiting = [];
    if (!batch.length) return Promise.resolve();
    inFlight.add(batch);
    return write(batch.map((w) => w.item)).then(
      () => {
        inFlight.delete(batch);
        batch.forEach((w) => w.resolve());
        changed(unwritten());
      },
      (e: unknown) => {
        inFlight.delete(batch);
        batch.forEach((w) => w.reject(e));
        // kept, ahead of what came since, and tried again (its promises are settled: no-ops now)
        const noop = () => undefined;
        waiting = [...batch.map((w) => ({ item: w.item, resolve: noop, reject: noop })), ...waiting];
        firstAt = Date.now();
        arm(maxMs);
        changed(unwritten());
      }
    );
  }

  // A batch is taken when its write starts, after the write before it has settled: a batch taken at
  // the flush while an earlier write was still in flight would be written before that write's retry
  // (a failed write goes back to the head of the queue) and then be overwritten by it.
  function startWrite(): Promise<void> {
    const p: Promise<void> = writeWaiting().finally(() => {
      if (current === p) current = null;
    });
    current = p;
    return p;
  }

  function flush(): Promise<void> {
    if (timer) clearTimeout(timer);
    timer = null;
    if (!current) return startWrite();
    const run = () => {
      next = null;
      return startWrite();
    };
    next ??= current.then(run, run);
    return next;
  }

  return {
    push(item) {
      const now = Date.now();
      if (!waiting.length) firstAt = now;
      const done = new Promise<void>((resolve, reject) => waiting.push({ item, resolve, reject }));
      arm(Math.min(quietMs, firstAt + maxMs - now));
      changed(unwritten());
      return done;
    },
    flush,
    unwritten,
  };
}

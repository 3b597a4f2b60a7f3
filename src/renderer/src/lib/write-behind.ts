// The review's store writes, batched: an edit is on screen at once and goes to the store once the
// edits pause for WRITE_QUIET_MS, and at the latest WRITE_MAX_MS after the first edit waiting, so
// a burst of key presses is one IndexedDB transaction rather than one per key (each costs ~2 ms of
// the renderer and the browser's IndexedDB work, which held back the next key's frame while keys
// came quickly). Batches are written in order, one at a time; flush() writes what is waiting at
// once (the page hidden or closing, a record opened, the audit trail read).

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

/** `write` gets each batch's items in the order they were pushed; a failed batch holds back none after it. */
export function writeBehind<T>(write: (items: T[]) => Promise<void>, quietMs = WRITE_QUIET_MS, maxMs = WRITE_MAX_MS): WriteBehind<T> {
  let waiting: Waiting<T>[] = [];
  const inFlight = new Set<Waiting<T>[]>();
  let timer: ReturnType<typeof setTimeout> | null = null;
  let firstAt = 0; // when the oldest waiting item was pushed
  let last: Promise<void> = Promise.resolve();

  function flush(): Promise<void> {
    if (timer) clearTimeout(timer);
    timer = null;
    const batch = waiting;
    waiting = [];
    if (batch.length) {
      inFlight.add(batch);
      last = last.then(() =>
        write(batch.map((w) => w.item)).then(
          () => {
            inFlight.delete(batch);
            batch.forEach((w) => w.resolve());
          },
          (e: unknown) => {
            inFlight.delete(batch);
            batch.forEach((w) => w.reject(e));
          }
        )
      );
    }
    return last;
  }

  return {
    push(item) {
      const now = Date.now();
      if (!waiting.length) firstAt = now;
      const done = new Promise<void>((resolve, reject) => waiting.push({ item, resolve, reject }));
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => void flush(), Math.max(0, Math.min(quietMs, firstAt + maxMs - now)));
      return done;
    },
    flush,
    unwritten: () => [...[...inFlight].flat(), ...waiting].map((w) => w.item),
  };
}

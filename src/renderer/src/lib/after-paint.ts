// Work a key press causes but its frame need not wait for (the review's store write): run once the
// frame that shows the key has been painted, in order, never left waiting by a hidden window.

/** Longest wait for a frame: a hidden window paints none. */
const HIDDEN_MS = 100;

/** Resolves after the next frame is painted (or after HIDDEN_MS when no frame comes). */
export function afterPaint(): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, HIDDEN_MS);
    // looked up when called: the unit tests (Node) stand one in or have none
    const frame = (globalThis as { requestAnimationFrame?: (cb: () => void) => number }).requestAnimationFrame;
    frame?.(() => {
      clearTimeout(timer);
      // a task after the frame's callbacks: the frame is painted before it runs
      setTimeout(resolve, 0);
    });
  });
}

/** Runs each task after a paint, one after another in the order given (a later task never overtakes an earlier one). */
export function paintQueue(): <T>(task: () => Promise<T>) => Promise<T> {
  let last: Promise<unknown> = Promise.resolve();
  return (task) => {
    const run = last.then(afterPaint).then(task);
    last = run.catch(() => undefined);
    return run;
  };
}

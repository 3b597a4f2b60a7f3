// Where J / K go in the flagged-beat queue: pure, so the order switch and the time-order
// resume are testable without a session.

export interface QueueCursor {
  /** Beat indices in queue order. */
  queue: Int32Array;
  /** Position of the current beat in the queue, -1 when it is not in it. */
  at: number;
  /** Sample of the current beat (-1: none). */
  current: number;
  sampleOf: (beat: number) => number;
  reviewed: (beat: number) => boolean;
  order: 'time' | 'uncertainty';
  /** Set once the order changed: the next step starts the queue over instead of moving from the cursor. */
  restart: boolean;
}

/** The queue position a step of `step` (+1 next, −1 previous) lands on; -1 past either end. */
export function queueStep(c: QueueCursor, step: number): number {
  const q = c.queue;
  if (!q.length) return -1;
  let pos: number;
  if (c.restart) {
    // The start of the new order: the first beat not yet reviewed (the most uncertain one by uncertainty), else #1.
    const first = q.findIndex((i) => !c.reviewed(i));
    return first >= 0 ? first : 0;
  }
  if (c.at >= 0) pos = c.at + step;
  else if (c.order === 'time') {
    // From wherever the cursor is: the next flagged beat after it in time.
    const after = c.current < 0 ? 0 : q.findIndex((i) => c.sampleOf(i) > c.current);
    const end = after < 0 ? q.length : after;
    pos = step > 0 ? end : end - 1;
  } else pos = step > 0 ? 0 : q.length - 1;
  return pos >= 0 && pos < q.length ? pos : -1;
}

// Lead 1's conditioning shared with the helper worker (parallel.ts): the beat stream conditions
// the record chunk by chunk, each lead in turn (src/main/beats/stream.ts); the helper conditions
// lead 1's chunks ahead of it into a ring of shared slots, while this thread conditions lead 0 and
// cuts the windows. Which thread conditions a chunk is settled by a compare-and-swap on its state,
// so a chunk is conditioned once, by the helper only if it got there first; this thread conditions
// whatever the helper has not claimed (the helper busy with its own tasks, or gone), and stops
// waiting for a claimed chunk after WAIT_LIMIT_MS (a helper that died mid-chunk), conditioning it
// itself (the helper claims chunks in order, so a late write to a slot still comes before the
// slot's next chunk is written and read). Both threads run the same conditionedSpan on the same samples: the windows do not depend
// on which one did it.
// The ring holds SLOTS chunks, the one this thread reads included: the helper writes a chunk only
// while it is fewer than SLOTS ahead of that one, so a slot is never written while it is read.
import { conditionedSpan, type BeatChunk, type ConditionedSource } from '../beats/stream';
import type { Lead } from '../dsp/lead';

/** Slots of the ring: chunks held at once, the one this thread reads included. */
export const SLOTS = 4;
/** How long this thread waits for a chunk the helper claimed before conditioning it itself. */
const WAIT_LIMIT_MS = 10_000;

/** A chunk's state: nobody's yet, the helper's (being conditioned), ready in its slot, this thread's. */
export const CHUNK = { FREE: 0, CLAIMED: 1, READY: 2, HERE: 3 } as const;
const { FREE, CLAIMED, READY, HERE } = CHUNK;
// control: [RELEASED] chunks before it are read, [STOP] non-zero: the helper stops, then a state per chunk
const RELEASED = 0;
const STOP = 1;
const STATES = 2;

/** Index in `control` of chunk c's state. */
export const stateAt = (c: number): number => STATES + c;

/** The shared memory of one analysis' lead-1 chunks (structured-cloned to the helper as views of it). */
export interface ChunkRing {
  control: Int32Array;
  /** SLOTS × slotLength conditioned samples. */
  slots: Float32Array;
  slotLength: number;
  /** [a, z) at 360 Hz per chunk (a === z: nothing to condition). */
  spans: Int32Array;
}

export function chunkRing(chunks: readonly BeatChunk[]): ChunkRing {
  let slotLength = 0;
  const spans = new Int32Array(new SharedArrayBuffer(8 * Math.max(1, chunks.length)));
  chunks.forEach((c, i) => {
    spans[2 * i] = c.a;
    spans[2 * i + 1] = c.z;
    slotLength = Math.max(slotLength, c.z - c.a);
  });
  return {
    control: new Int32Array(new SharedArrayBuffer(4 * (STATES + chunks.length))),
    slots: new Float32Array(new SharedArrayBuffer(4 * SLOTS * Math.max(1, slotLength))),
    slotLength,
    spans,
  };
}

/** This thread's side: lead `lead`'s chunks from the ring when the helper made them, else null (condition here). */
export class RingSource implements ConditionedSource {
  constructor(
    private readonly ring: ChunkRing,
    private readonly lead: number,
    private readonly waitLimitMs = WAIT_LIMIT_MS
  ) {}

  take(lead: number, chunk: number): Float32Array | null {
    if (lead !== this.lead) return null;
    const { control, slots, slotLength, spans } = this.ring;
    const at = STATES + chunk;
    if (Atomics.compareExchange(control, at, FREE, HERE) === FREE) return null;
    const t0 = performance.now();
    while (Atomics.load(control, at) === CLAIMED) {
      if (performance.now() - t0 > this.waitLimitMs) return null;
      Atomics.wait(control, at, CLAIMED, 100);
    }
    if (Atomics.load(control, at) !== READY) return null; // the helper failed on it
    const slot = (chunk % SLOTS) * slotLength;
    return slots.subarray(slot, slot + spans[2 * chunk + 1]! - spans[2 * chunk]!);
  }

  release(chunk: number): void {
    Atomics.store(this.ring.control, RELEASED, chunk + 1);
    Atomics.notify(this.ring.control, RELEASED);
  }

  /** Tells the helper to stop (the stream is done, or failed). */
  stop(): void {
    Atomics.store(this.ring.control, STOP, 1);
    Atomics.notify(this.ring.control, RELEASED);
  }
}

/**
 * The helper's side: conditions the chunks of `lead` (at fs) it claims, in order, fewer than SLOTS
 * ahead of the chunk being read, until every chunk is claimed or it is told to stop. Blocks its
 * thread (Atomics.wait) while it is ahead. Returns the number of chunks it conditioned; a chunk it
 * fails on is handed back (HERE: conditioned by the other thread, which then sees the error itself).
 */
export function conditionChunks(ring: ChunkRing, lead: Lead, fs: number): number {
  const { control, slots, slotLength, spans } = ring;
  const n = spans.length / 2;
  let made = 0;
  for (let c = 0; c < n; c++) {
    const a = spans[2 * c]!;
    const z = spans[2 * c + 1]!;
    if (a === z || Atomics.load(control, STATES + c) !== FREE) continue;
    for (let released; c >= (released = Atomics.load(control, RELEASED)) + SLOTS;) {
      if (Atomics.load(control, STOP)) return made;
      Atomics.wait(control, RELEASED, released, 100);
    }
    if (Atomics.load(control, STOP)) return made;
    if (Atomics.compareExchange(control, STATES + c, FREE, CLAIMED) !== FREE) continue;
    try {
      slots.set(conditionedSpan(lead, fs, a, z), (c % SLOTS) * slotLength);
    } catch (e) {
      Atomics.store(control, STATES + c, HERE);
      Atomics.notify(control, STATES + c);
      throw e;
    }
    Atomics.store(control, STATES + c, READY);
    Atomics.notify(control, STATES + c);
    made++;
  }
  return made;
}

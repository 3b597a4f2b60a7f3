// The beat windows' conditioning shared with the helper worker (parallel.ts): the beat stream
// conditions the record chunk by chunk, each lead in turn (src/main/beats/stream.ts); taking turns
// with its other tasks, the helper conditions leads' chunks ahead of it into a ring of shared slots (the
// last lead of a chunk first: this thread starts a chunk with lead 0), while this thread cuts the
// windows. Which thread conditions a lead's chunk is settled by a compare-and-swap on its state, so
// it is conditioned once, by the helper only if it got there first; this thread conditions whatever
// the helper has not claimed (the helper busy with its own tasks, or gone), and stops waiting for a
// claimed one after WAIT_LIMIT_MS (a helper that died mid-chunk), conditioning it itself (the
// helper claims chunks in order, so a late write to a slot still comes before the slot's next
// chunk is written and read). Both threads run the same conditionedSpan on the same samples: the
// windows do not depend on which one did it.
// The ring holds SLOTS chunks, the one this thread reads included: the helper writes a chunk only
// while it is fewer than SLOTS ahead of that one, so a slot is never written while it is read.
import { conditionedSpan, type BeatChunk, type ConditionedSource } from '../beats/stream';
import type { Lead } from '../dsp/lead';

/** Slots of the ring per lead: chunks held at once, the one this thread reads included. */
export const SLOTS = 4;
/** How long this thread waits for a chunk the helper claimed before conditioning it itself. */
const WAIT_LIMIT_MS = 10_000;

/** A lead's chunk's state: nobody's yet, the helper's (being conditioned), ready in its slot, this thread's. */
export const CHUNK = { FREE: 0, CLAIMED: 1, READY: 2, HERE: 3 } as const;
const { FREE, CLAIMED, READY, HERE } = CHUNK;
// control: [RELEASED] chunks before it are read, [STOP] non-zero: the helper stops, then a state per chunk and lead
const RELEASED = 0;
const STOP = 1;
const STATES = 2;

/** The shared memory of one analysis' conditioned chunks (structured-cloned to the helper as views of it). */
export interface ChunkRing {
  leads: number;
  control: Int32Array;
  /** SLOTS × leads slots of slotLength conditioned samples. */
  slots: Float32Array;
  slotLength: number;
  /** [a, z) at 360 Hz per chunk (a === z: nothing to condition). */
  spans: Int32Array;
}

/** Index in `control` of the state of lead l's chunk c. */
export const stateAt = (ring: ChunkRing, c: number, l: number): number => STATES + c * ring.leads + l;

const slotAt = (ring: ChunkRing, c: number, l: number): number => ((c % SLOTS) * ring.leads + l) * ring.slotLength;

export function chunkRing(chunks: readonly BeatChunk[], leads: number): ChunkRing {
  let slotLength = 0;
  const spans = new Int32Array(new SharedArrayBuffer(8 * Math.max(1, chunks.length)));
  chunks.forEach((c, i) => {
    spans[2 * i] = c.a;
    spans[2 * i + 1] = c.z;
    slotLength = Math.max(slotLength, c.z - c.a);
  });
  return {
    leads,
    control: new Int32Array(new SharedArrayBuffer(4 * (STATES + chunks.length * leads))),
    slots: new Float32Array(new SharedArrayBuffer(4 * SLOTS * leads * Math.max(1, slotLength))),
    slotLength,
    spans,
  };
}

/** This thread's side: a lead's chunk from the ring when the helper made it, else null (condition it here). */
export class RingSource implements ConditionedSource {
  constructor(
    private readonly ring: ChunkRing,
    private readonly waitLimitMs = WAIT_LIMIT_MS
  ) {}

  take(lead: number, chunk: number): Float32Array | null {
    const { ring } = this;
    if (lead >= ring.leads) return null;
    const { control, slots, spans } = ring;
    const at = stateAt(ring, chunk, lead);
    if (Atomics.compareExchange(control, at, FREE, HERE) === FREE) return null;
    const t0 = performance.now();
    while (Atomics.load(control, at) === CLAIMED) {
      if (performance.now() - t0 > this.waitLimitMs) return null;
      Atomics.wait(control, at, CLAIMED, 100);
    }
    if (Atomics.load(control, at) !== READY) return null; // the helper failed on it
    const slot = slotAt(ring, chunk, lead);
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
 * The helper's side: conditions the chunks of `leads` (at fs) it claims, in chunk order (the last
 * lead first), fewer than SLOTS ahead of the chunk being read, until every one is claimed or it is
 * told to stop. While it is ahead it waits without blocking its thread (Atomics.waitAsync), so the
 * helper's other tasks (signal quality, rhythm windows) take their turns then, as they do whenever
 * `othersDone` (their share done, helper-pace.ts) is below the share of chunks read. Resolves to the
 * number of lead chunks it conditioned; one it fails on is handed back (HERE: conditioned by the
 * other thread, which then meets the error itself).
 */
export async function conditionChunks(ring: ChunkRing, leads: readonly Lead[], fs: number, othersDone: () => number = () => 1): Promise<number> {
  const { control, slots, spans } = ring;
  const n = spans.length / 2;
  let made = 0;
  for (let c = 0; c < n; c++) {
    const a = spans[2 * c]!;
    const z = spans[2 * c + 1]!;
    if (a === z) continue;
    for (let l = ring.leads - 1; l >= 0; l--) {
      const at = stateAt(ring, c, l);
      if (Atomics.load(control, at) !== FREE) continue;
      for (let released; c >= (released = Atomics.load(control, RELEASED)) + SLOTS;) {
        if (Atomics.load(control, STOP)) return made;
        await waitWhile(control, RELEASED, released, 100);
      }
      // the thread's other tasks behind the chunks read: a turn for them (this chunk may go to the reader)
      // (a wait, not a spin, when those tasks are waiting themselves, e.g. on a file)
      while (othersDone() < Atomics.load(control, RELEASED) / n && Atomics.load(control, at) === FREE && !Atomics.load(control, STOP))
        await waitWhile(control, at, FREE, 5);
      if (Atomics.load(control, STOP)) return made;
      if (Atomics.compareExchange(control, at, FREE, CLAIMED) !== FREE) continue;
      try {
        slots.set(conditionedSpan(leads[l]!, fs, a, z), slotAt(ring, c, l));
      } catch (e) {
        Atomics.store(control, at, HERE);
        Atomics.notify(control, at);
        throw e;
      }
      Atomics.store(control, at, READY);
      Atomics.notify(control, at);
      made++;
    }
  }
  return made;
}

/** Until control[at] is no longer `value` (or timeoutMs), the thread free for other work meanwhile. */
async function waitWhile(control: Int32Array, at: number, value: number, timeoutMs: number): Promise<void> {
  const w = Atomics.waitAsync(control, at, value, timeoutMs);
  if (w.async) await w.value;
}

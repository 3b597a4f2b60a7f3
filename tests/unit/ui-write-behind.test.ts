// The review's store writes: a burst in one batch once the edits pause (or after the longest wait), in order, flush() at once,
// one write at a time, and a failed batch rejects its own items and is written again before anything newer.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { writeBehind, WRITE_MAX_MS, WRITE_QUIET_MS } from '../../src/renderer/src/lib/write-behind';

afterEach(() => vi.useRealTimers());

/** A store whose `hold`-th write (from 1) waits for release() and whose `fail`-th throws `message`; `order` is what it wrote. */
function scriptedWrites(script: { hold: number; fail: number; message: string }) {
  const order: string[] = [];
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  let call = 0;
  const write = async (items: string[]) => {
    call++;
    if (call === script.hold) await held;
    if (call === script.fail) throw new Error(script.message);
    order.push(...items);
  };
  return { order, release, write };
}

describe('writeBehind', () => {
  it('writes a burst of items as one batch once the edits pause, and at the latest the longest wait after the first', async () => {
    vi.useFakeTimers();
    const batches: number[][] = [];
    const w = writeBehind<number>(async (items) => void batches.push(items));
    const done = [1, 2, 3].map((k) => w.push(k));
    await vi.advanceTimersByTimeAsync(WRITE_QUIET_MS - 1);
    expect(batches).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(batches).toEqual([[1, 2, 3]]);
    await Promise.all(done);
    // a key held down: an edit every 30 ms never pauses, yet waits no longer than the longest wait
    let k = 4;
    for (let t = 0; t < WRITE_MAX_MS; t += 30) {
      void w.push(k++);
      await vi.advanceTimersByTimeAsync(30);
    }
    expect(batches.length).toBe(2);
    expect(batches[1]![0]).toBe(4);
    expect(batches[1]!.length).toBeGreaterThan(30);
  });

  it('flush writes what waits at once and resolves after it is written', async () => {
    vi.useFakeTimers();
    const written: string[] = [];
    const w = writeBehind<string>(async (items) => void written.push(...items));
    void w.push('a');
    void w.push('b');
    await w.flush();
    expect(written).toEqual(['a', 'b']);
    await vi.advanceTimersByTimeAsync(WRITE_MAX_MS * 2);
    expect(written).toEqual(['a', 'b']); // the timer wrote nothing twice
  });

  it('writes one batch at a time, each taking what waits when it starts; a failed batch rejects its items and is written again first', async () => {
    const seen: string[][] = [];
    const { order, release, write } = scriptedWrites({ hold: 1, fail: 2, message: 'quota' });
    const w = writeBehind<string>(write, 1, 10_000, (unwritten) => seen.push(unwritten));
    const a = w.push('a');
    const f1 = w.flush();
    const bad = w.push('b');
    const f2 = w.flush();
    const c = w.push('c'); // waiting when the second write starts: in its batch
    release();
    await a;
    await expect(bad).rejects.toThrow('quota');
    await expect(c).rejects.toThrow('quota');
    expect(w.unwritten()).toEqual(['b', 'c']); // kept, ahead of what comes after
    const d = w.push('d');
    await w.flush();
    await d;
    await Promise.allSettled([f1, f2]);
    expect(order).toEqual(['a', 'b', 'c', 'd']);
    expect(w.unwritten()).toEqual([]);
    expect(seen.at(-1)).toEqual([]); // the journal hook heard the last write
  });

  it('never writes a newer batch before the retry of an older one that failed while it waited', async () => {
    // beat 500 relabelled V, its write slow and then failing; relabelled N meanwhile and flushed:
    // the store must end on N (the older write was retried after the newer before)
    const { order, release, write } = scriptedWrites({ hold: 1, fail: 1, message: 'transient' });
    const w = writeBehind<string>(write, 1, 10_000);
    const a = w.push('500=V');
    void w.flush();
    const b = w.push('500=N');
    void w.flush();
    release();
    await expect(a).rejects.toThrow('transient');
    await b;
    await w.flush();
    expect(order).toEqual(['500=V', '500=N']);
    expect(w.unwritten()).toEqual([]);
  });
});

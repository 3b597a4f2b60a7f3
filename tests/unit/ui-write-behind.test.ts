// The review's store writes: a burst in one batch once the edits pause (or after the longest wait), in order, flush() at once,
// and a failed batch rejects its own items without holding back the next.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { writeBehind, WRITE_MAX_MS, WRITE_QUIET_MS } from '../../src/renderer/src/lib/write-behind';

afterEach(() => vi.useRealTimers());

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

  it('keeps batches in order behind a slow write; a failed batch rejects its items and is written again first, before newer ones', async () => {
    const order: string[] = [];
    const seen: string[][] = [];
    let release!: () => void;
    const slow = new Promise<void>((r) => (release = r));
    let call = 0;
    const w = writeBehind<string>(
      async (items) => {
        call++;
        if (call === 1) await slow;
        if (call === 2) throw new Error('quota');
        order.push(...items);
      },
      1,
      10_000,
      (unwritten) => seen.push(unwritten)
    );
    const a = w.push('a');
    const f1 = w.flush();
    const bad = w.push('b');
    const f2 = w.flush();
    const c = w.push('c');
    release();
    await a;
    await expect(bad).rejects.toThrow('quota');
    expect(w.unwritten()).toEqual(['b', 'c']); // kept, ahead of what came after it
    await w.flush();
    await c;
    await Promise.allSettled([f1, f2]);
    expect(order).toEqual(['a', 'b', 'c']);
    expect(w.unwritten()).toEqual([]);
    expect(seen.at(-1)).toEqual([]); // the journal hook heard the last write
  });
});

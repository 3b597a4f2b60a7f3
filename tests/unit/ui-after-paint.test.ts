// The review's store writes wait for the key's frame to be painted, run in the order they were
// made, and are not held back by a window that paints no frames (hidden).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { paintQueue } from '../../src/renderer/src/lib/after-paint';

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('paintQueue', () => {
  it('runs each task after the next frame, in order, a failed one holding back none after it', async () => {
    vi.useFakeTimers();
    const frames: (() => void)[] = [];
    vi.stubGlobal('requestAnimationFrame', (cb: () => void) => frames.push(cb));
    const run = paintQueue();
    const done: string[] = [];
    const a = run(async () => void done.push('a'));
    const b = run(async () => {
      done.push('b');
      throw new Error('store closed');
    });
    const c = run(async () => void done.push('c'));
    const paint = async () => {
      for (const f of frames.splice(0)) f();
      await vi.advanceTimersByTimeAsync(1);
    };
    await vi.advanceTimersByTimeAsync(5);
    expect(done).toEqual([]); // no frame painted yet
    await paint();
    expect(done).toEqual(['a']);
    await paint();
    expect(done).toEqual(['a', 'b']);
    await paint();
    expect(done).toEqual(['a', 'b', 'c']);
    await a;
    await expect(b).rejects.toThrow('store closed');
    await c;
  });

  it('a window that paints no frame still writes, in order, after a short wait', async () => {
    vi.useFakeTimers();
    vi.stubGlobal('requestAnimationFrame', () => 0);
    const run = paintQueue();
    const done: number[] = [];
    for (let k = 0; k < 3; k++) void run(async () => void done.push(k));
    await vi.advanceTimersByTimeAsync(99);
    expect(done).toEqual([]);
    await vi.advanceTimersByTimeAsync(250);
    expect(done).toEqual([0, 1, 2]);
  });
});

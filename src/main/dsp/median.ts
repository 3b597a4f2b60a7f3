// Running median over an odd window, O(log w) per sample: the window's values live in two
// binary heaps sharing one root, the median (a max-heap of the lower half at negative positions,
// a min-heap of the upper half at positive positions, the median at position 0). Each new sample
// overwrites the oldest one in place and is sifted to its place; no allocation per sample.
// Ends: the signal is extended by holding its first/last sample, so the output has x's length.
import { DspError } from './errors';

/** Median of x over a centred window of `width` samples (odd; an even width is rounded up). */
export function runningMedian(x: Float32Array, width: number): Float32Array {
  if (!Number.isInteger(width) || width < 1) throw new DspError(`median window must be a positive integer, got ${width}`);
  const n = x.length;
  const y = new Float32Array(n);
  if (n === 0) return y;
  const half = Math.floor(width / 2);
  const w = 2 * half + 1;
  if (w === 1) {
    y.set(x);
    return y;
  }
  const val = new Float64Array(w); // value per slot
  const pos = new Int32Array(w); // slot -> heap position (-half..half)
  const heap = new Int32Array(w); // heap position + half -> slot
  const at = (i: number): number => x[i < 0 ? 0 : i >= n ? n - 1 : i]!;

  // Initial window x[-half .. half], sorted, so both heaps hold valid heaps from the start.
  const init: number[] = [];
  for (let s = 0; s < w; s++) init.push(s);
  for (let s = 0; s < w; s++) val[s] = at(s - half);
  init.sort((a, b) => val[a]! - val[b]!);
  // sorted ascending: ranks 0..half-1 -> max-heap, rank half -> median, rest -> min-heap.
  // A sorted array placed breadth-first is a valid heap: lower half descending into -1, -2, ...
  for (let r = 0; r < w; r++) {
    const slot = init[r]!;
    const p = r < half ? -(half - r) : r - half;
    heap[p + half] = slot;
    pos[slot] = p;
  }

  const v = (p: number): number => val[heap[p + half]!]!;
  const swap = (p: number, q: number): void => {
    const a = heap[p + half]!, b = heap[q + half]!;
    heap[p + half] = b;
    heap[q + half] = a;
    pos[b] = p;
    pos[a] = q;
  };
  // min-heap (positive positions): parent of p is p >> 1 (1 -> 0, the median)
  const minDown = (p: number): void => {
    for (;;) {
      let c = 2 * p;
      if (c > half) return;
      if (c + 1 <= half && v(c + 1) < v(c)) c++;
      if (v(c) >= v(p)) return;
      swap(c, p);
      p = c;
    }
  };
  const maxDown = (p: number): void => {
    // p negative; children -2|p|, -(2|p|+1)
    for (;;) {
      let c = 2 * p;
      if (-c > half) return;
      if (-(c - 1) <= half && v(c - 1) > v(c)) c--;
      if (v(c) <= v(p)) return;
      swap(c, p);
      p = c;
    }
  };
  /** Restore both heaps after the value at position p changed. */
  const fix = (p: number): void => {
    if (p > 0) {
      let moved = false;
      while (p > 0) {
        const q = p >> 1;
        if (v(p) >= v(q)) break;
        swap(p, q);
        p = q;
        moved = true;
      }
      if (p === 0) {
        if (v(0) < v(-1)) {
          swap(0, -1);
          maxDown(-1);
        }
      } else if (!moved) minDown(p);
    } else if (p < 0) {
      let moved = false;
      while (p < 0) {
        const q = -(-p >> 1);
        if (v(p) <= v(q)) break;
        swap(p, q);
        p = q;
        moved = true;
      }
      if (p === 0) {
        if (v(0) > v(1)) {
          swap(0, 1);
          minDown(1);
        }
      } else if (!moved) maxDown(p);
    } else if (v(0) > v(1)) {
      swap(0, 1);
      minDown(1);
    } else if (v(0) < v(-1)) {
      swap(0, -1);
      maxDown(-1);
    }
  };

  y[0] = v(0);
  for (let i = 1; i < n; i++) {
    // window of output i is x[i-half .. i+half]; the slot leaving holds x[i-1-half]
    const slot = (i - 1) % w;
    val[slot] = at(i + half);
    fix(pos[slot]!);
    y[i] = v(0);
  }
  return y;
}

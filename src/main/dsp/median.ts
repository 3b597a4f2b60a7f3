// Running median over an odd window in O(log w) per sample. The window's values sit in two
// binary heaps that share one root, the median: a max-heap of the lower half at negative
// positions (-1 its top, children of -p at -2p and -2p-1) and a min-heap of the upper half at
// positive positions (1 its top, children of p at 2p and 2p+1), the median at position 0.
// Each new sample takes the slot of the oldest one and is sifted from that slot's position,
// by moving a hole (one write per level, no allocation per sample).
// Ends: the signal is extended by holding its first/last sample, so the output has x's length.
import { DspError } from './errors';

/** Heap state; arrays are indexed by heap position + half. */
interface Heaps {
  half: number;
  /** value at each position */
  hv: Float32Array;
  /** window slot at each position */
  hs: Int32Array;
  /** slot -> position + half */
  pos: Int32Array;
}

/** Moves the entry at position `from` into position `to` (the hole). */
function move(H: Heaps, from: number, to: number): void {
  const s = H.hs[from + H.half]!;
  H.hv[to + H.half] = H.hv[from + H.half]!;
  H.hs[to + H.half] = s;
  H.pos[s] = to + H.half;
}

/** Sifts value v down the min-heap from hole p >= 1; returns the final hole. */
function minDown(H: Heaps, p: number, v: number): number {
  const { half, hv } = H;
  for (;;) {
    let c = 2 * p;
    if (c > half) return p;
    if (c < half && hv[c + 1 + half]! < hv[c + half]!) c++;
    if (hv[c + half]! >= v) return p;
    move(H, c, p);
    p = c;
  }
}

/** Sifts value v down the max-heap from hole p <= -1; returns the final hole. */
function maxDown(H: Heaps, p: number, v: number): number {
  const { half, hv } = H;
  for (;;) {
    let c = 2 * p;
    if (-c > half) return p;
    if (-c < half && hv[c - 1 + half]! > hv[c + half]!) c--;
    if (hv[c + half]! <= v) return p;
    move(H, c, p);
    p = c;
  }
}

/** Where value v ends up when written into hole p; heaps restored except for the final write. */
function sift(H: Heaps, p: number, v: number): number {
  const { half, hv } = H;
  if (p > 0) {
    if (v >= hv[(p >> 1) + half]!) return minDown(H, p, v);
    do {
      move(H, p >> 1, p);
      p >>= 1;
    } while (p > 0 && v < hv[(p >> 1) + half]!);
    if (p === 0 && v < hv[half - 1]!) {
      move(H, -1, 0);
      return maxDown(H, -1, v);
    }
    return p;
  }
  if (p < 0) {
    if (v <= hv[-(-p >> 1) + half]!) return maxDown(H, p, v);
    do {
      move(H, -(-p >> 1), p);
      p = -(-p >> 1);
    } while (p < 0 && v > hv[-(-p >> 1) + half]!);
    if (p === 0 && v > hv[half + 1]!) {
      move(H, 1, 0);
      return minDown(H, 1, v);
    }
    return p;
  }
  if (v > hv[half + 1]!) {
    move(H, 1, 0);
    return minDown(H, 1, v);
  }
  if (v < hv[half - 1]!) {
    move(H, -1, 0);
    return maxDown(H, -1, v);
  }
  return 0;
}

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
  const last = n - 1;
  const H: Heaps = { half, hv: new Float32Array(w), hs: new Int32Array(w), pos: new Int32Array(w) };
  // Initial window x[-half .. half] (slot s holds x[s - half]) sorted: rank r goes to position
  // r - half, which is a valid pair of heaps (values grow away from the median on both sides).
  const init = new Float32Array(w);
  for (let s = 0; s < w; s++) init[s] = x[Math.min(last, Math.max(0, s - half))]!;
  const order = Array.from({ length: w }, (_, s) => s).sort((a, b) => init[a]! - init[b]!);
  for (let r = 0; r < w; r++) {
    const s = order[r]!;
    H.hv[r] = init[s]!;
    H.hs[r] = s;
    H.pos[s] = r;
  }
  y[0] = H.hv[half]!;
  for (let i = 1; i < n; i++) {
    // output i covers x[i-half .. i+half]: x[i+half] replaces x[i-1-half] in slot (i-1) mod w
    const slot = (i - 1) % w;
    const k = i + half;
    const v = x[k > last ? last : k]!;
    const p = sift(H, H.pos[slot]! - half, v);
    H.hv[p + half] = v;
    H.hs[p + half] = slot;
    H.pos[slot] = p + half;
    y[i] = H.hv[half]!;
  }
  return y;
}

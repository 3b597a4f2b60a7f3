// Running median over an odd window in O(log w) per sample. The window's values sit in two
// binary heaps that share one root, the median: a max-heap of the lower half at negative
// positions (-1 its top, children of -p at -2p and -2p-1) and a min-heap of the upper half at
// positive positions (1 its top, children of p at 2p and 2p+1), the median at position 0.
// Each new sample takes the slot of the oldest one and is sifted from that slot's position,
// by moving a hole (one write per level, no allocation per sample).
// Ends: the signal is extended by holding its first/last sample, so the output has x's length.
//
// Quantised input (physical = (ADC - baseline) / gain: a few thousand distinct values) takes an
// exact O(1)-amortised path instead: each sample is replaced by the rank of its value among the
// signal's distinct values, the median runs over a histogram of ranks (Huang et al. 1979), and
// the ranks are mapped back. A median commutes with a monotone map and only ever picks one of the
// window's values, so the result is bit-identical to the heap path. Signals with many distinct
// values (e.g. after resampling) take the same idea with ranks from a radix sort and an occupancy
// bitmap (median-dense.ts); the heaps stay the reference and the fallback (NaN, infinities, -0,
// very wide windows). A cascade of medians (baseline()) stays in ranks between stages.
import { cascadedMedianDense } from './median-dense';
import { DspError } from './errors';
import { intoOrNew, scratchUint16 } from './scratch';

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

/** runningMedian by the two-heap method, whatever the input (the reference and the fallback). */
export function runningMedianHeap(x: Float32Array, width: number): Float32Array {
  checkWidth(width);
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

function checkWidth(width: number): void {
  if (!Number.isInteger(width) || width < 1) throw new DspError(`median window must be a positive integer, got ${width}`);
}

/** Most distinct values the rank path takes (its histogram and tables stay small). */
export const MAX_LEVELS = 1 << 14;

/** Each value's rank among the distinct values (codes) and those values in order (levels). */
export interface Ranked {
  codes: Uint16Array;
  levels: Float32Array;
}
const HASH_BITS = 16; // table of 2^16 slots for at most 2^14 keys: load <= 1/4

interface HashTables {
  keys: Uint32Array;
  /** Each slot's value id, -1 when empty: every slot is empty between calls. */
  ids: Int32Array;
  /** The slot of each id, to empty the used slots after a call. */
  slots: Int32Array;
  firstVal: Float32Array;
}
let tables: HashTables | null = null;

/** quantise's hash tables, made once per thread (a chunk of a long record is one call; fresh tables were 0.6 MB of garbage each). */
function hashTables(): HashTables {
  return (tables ??= {
    keys: new Uint32Array(1 << HASH_BITS),
    ids: new Int32Array(1 << HASH_BITS).fill(-1),
    slots: new Int32Array(MAX_LEVELS),
    firstVal: new Float32Array(MAX_LEVELS),
  });
}

/** With `probing`, quantise gives up when more than 3/4 of the first PROBE samples are distinct. */
const PROBE = 4096;

/**
 * Ranks of x's values among its distinct values, or null when x has too many, a NaN, or a -0.
 * `probing`: also null when more than 3/4 of the first PROBE samples are distinct (a resampled lead,
 * nearly every sample its own value), rather than hashing on to MAX_LEVELS; for a caller whose other
 * path gives the same result (cascadedMedian: the dense ranks), so that it decides the time only.
 */
export function quantise(x: Float32Array, probing = false): Ranked | null {
  const n = x.length;
  const bits = new Uint32Array(x.buffer, x.byteOffset, n);
  const mask = (1 << HASH_BITS) - 1;
  const { keys, ids, slots, firstVal } = hashTables();
  const codes = new Uint16Array(n);
  let u = 0;
  try {
    for (let i = 0; i < n; i++) {
      const b = bits[i]!;
      let h = Math.imul(b, 0x9e3779b1) >>> (32 - HASH_BITS);
      for (;;) {
        const id = ids[h]!;
        if (id < 0) {
          // a new value: NaN (exponent all ones, mantissa not 0) and -0 go to the heap path
          if ((b & 0x7f800000) === 0x7f800000 || b === 0x80000000 || u === MAX_LEVELS || (probing && u === (PROBE * 3) / 4 && i < PROBE)) return null;
          keys[h] = b;
          ids[h] = u;
          slots[u] = h;
          firstVal[u] = x[i]!;
          codes[i] = u++;
          break;
        }
        if (keys[h] === b) {
          codes[i] = id;
          break;
        }
        h = (h + 1) & mask;
      }
    }
  } finally {
    for (let k = 0; k < u; k++) ids[slots[k]!] = -1; // the tables empty again for the next call
  }
  // ids in order of first appearance -> ranks in value order
  const order = new Uint16Array(u);
  for (let k = 0; k < u; k++) order[k] = k;
  order.sort((a, b) => firstVal[a]! - firstVal[b]!);
  const rankOf = new Uint16Array(u);
  const levels = new Float32Array(u);
  for (let r = 0; r < u; r++) {
    rankOf[order[r]!] = r;
    levels[r] = firstVal[order[r]!]!;
  }
  for (let i = 0; i < n; i++) codes[i] = rankOf[codes[i]!]!;
  return { codes, levels };
}

/**
 * Running median of integer codes in [0, nLevels) over a centred window (ends held), histogram
 * method. A second, coarse histogram (blocks of 64 levels) lets the median skip empty blocks, so a
 * jump across a wide gap of absent levels costs at most 64 + nLevels/64 steps, not nLevels.
 */
export function runningMedianCodes(c: Uint16Array, width: number, nLevels: number, y: Uint16Array = new Uint16Array(c.length)): Uint16Array {
  checkWidth(width);
  const n = c.length;
  if (y.length !== n || y.buffer === c.buffer) throw new DspError('runningMedianCodes: the output must be a separate array of the input length');
  if (n === 0) return y;
  const B = 6;
  const MASK = (1 << B) - 1;
  const half = Math.floor(width / 2);
  const last = n - 1;
  const hist = new Int32Array(nLevels);
  const coarse = new Int32Array((nLevels >> B) + 1);
  for (let s = -half; s <= half; s++) {
    const v = c[s < 0 ? 0 : s > last ? last : s]!;
    hist[v]!++;
    coarse[v >> B]!++;
  }
  // m: the median's level; below: window entries at levels < m; invariant below <= half < below + hist[m]
  let m = 0;
  let below = 0;
  while (below + hist[m]! <= half) below += hist[m++]!;
  y[0] = m;
  for (let i = 1; i < n; i++) {
    const ko = i - 1 - half;
    const ki = i + half;
    const o = c[ko < 0 ? 0 : ko]!;
    const v = c[ki > last ? last : ki]!;
    hist[o]!--;
    coarse[o >> B]!--;
    if (o < m) below--;
    hist[v]!++;
    coarse[v >> B]!++;
    if (v < m) below++;
    while (below > half) {
      m--;
      if ((m & MASK) === MASK) while (coarse[m >> B] === 0) m -= MASK + 1; // entered a block from above: skip empty ones
      below -= hist[m]!;
    }
    while (below + hist[m]! <= half) {
      below += hist[m++]!;
      if ((m & MASK) === 0) while (coarse[m >> B] === 0) m += MASK + 1; // entered a block from below
    }
    y[i] = m;
  }
  return y;
}

function fromCodes(c: Uint16Array, levels: Float32Array, into?: Float32Array): Float32Array {
  const y = intoOrNew(into, c.length);
  for (let i = 0; i < c.length; i++) y[i] = levels[c[i]!]!;
  return y;
}

/** Median of x over a centred window of `width` samples (odd; an even width is rounded up). */
export function runningMedian(x: Float32Array, width: number): Float32Array {
  return cascadedMedian(x, [width]);
}

/**
 * runningMedian applied with each width in turn (bit-identical to nesting runningMedian calls).
 * `into` (at least x's length, not x's memory): where the result goes, unless the heaps take x
 * (a NaN, an infinity or a -0 among many distinct values; a window wider than ~16,000 samples): the
 * result is then a new array. `ranks`: quantise(x) as a reader that
 * knows x's stored integers gives it more cheaply (stored-lead.ts); the same result either way.
 */
export function cascadedMedian(x: Float32Array, widths: readonly number[], into?: Float32Array, ranks?: Ranked | null): Float32Array {
  for (const w of widths) checkWidth(w);
  const ranked = widths.some((w) => w > 1) && x.length > 64;
  const q = ranked ? (ranks ?? quantise(x, true)) : null;
  if (q) {
    // each pass into one of two reused arrays, never the one it reads
    let codes: Uint16Array = q.codes;
    let slot: 0 | 1 = 0;
    for (const w of widths) {
      if (w <= 1) continue;
      codes = runningMedianCodes(codes, w | 1, q.levels.length, scratchUint16(slot, codes.length));
      slot = slot === 0 ? 1 : 0;
    }
    return fromCodes(codes, q.levels, into);
  }
  return (ranked ? cascadedMedianDense(x, widths, { into }) : null) ?? widths.reduce((y, w) => runningMedianHeap(y, w), x);
}

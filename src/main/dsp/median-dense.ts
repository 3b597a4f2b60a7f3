// Running medians of a signal with many distinct values (a resampled lead: nearly every sample its
// own value), exact, O(1) amortised per sample after one radix sort: the values are replaced by their
// ranks, and the window's ranks are kept as counts with a two-level occupancy bitmap, so the median
// steps to the next occupied rank in a few word operations however far apart the window's ranks lie.
// The results equal the two-heap path's (median.ts) and a sort of each window: a median only ever
// picks one of the window's values and commutes with a monotone map. The histogram over ADC codes
// (median.ts) stays the path for quantised input.
//
// Two engines, one algorithm: median-dense.wat does each block step for step as cascadeOfRanks does
// here (the same ranks, the same medians) wherever WebAssembly loads; this JavaScript runs where it
// does not. The cascade of the beat conditioning (73 then 217 samples at 360 Hz) on a 24-hour lead
// resampled from 128 Hz, in the app's 300-s chunks: JavaScript 76-84 ns a sample of CPU,
// WebAssembly 36-40 (docs/experiments/2026-12-08-median-speed.md). The time is half the ranking
// (radix sort: 31 ns in JavaScript, 9 in WebAssembly, as in C) and half the two medians (31 and 21
// ns), which are bound by their data-dependent branches (C: 25 ns). Measured and not kept, in
// JavaScript: Suomela's sorted blocks with linked lists (2014), 112 ns (each block's sort ~31 ns a
// stage, the lists ~25), and a sorted window with binary search and shifts, 320-350 ns.
//
// Blocks: a long signal is taken BLOCK outputs at a time, each with the cascade's reach of input
// either side (the same outputs: no window sees past that reach), so the sort, the counts and the
// bitmaps stay in cache (JavaScript, both stages in one block of 224,000 samples: 86 ns a sample, of
// 32,768: 67 ns) and the workspace stays under 1.5 MB per thread (module state and the module's
// memory, reused; the result goes into the caller's array when it gives one).
import { MEDIAN_DENSE_WASM } from './median-dense-bytes';
import { growTo, instantiateWasm, type WasmMemory } from './wasm';
import { intoOrNew } from './scratch';

const BLOCK = 1 << 15;

let space = new Uint32Array(0);
let tally = new Int32Array(0);
let blocksDone = 0;
let wasmBlocks = 0;

/** Blocks this thread has taken through the ranks so far (tests check the path is taken). */
export function denseBlockCount(): number {
  return blocksDone;
}

/** Of those, the blocks WebAssembly computed. */
export function denseWasmBlockCount(): number {
  return wasmBlocks;
}

/** Order-preserving unsigned key of a float32's bits: negatives flipped whole, positives above them. */
function keyOf(b: number): number {
  return (b & 0x80000000 ? ~b : b | 0x80000000) >>> 0;
}

/** median-dense.wat's exports (byte addresses in its memory). */
interface Module {
  memory: WasmMemory;
  rank: (x: number, n: number, ka: number, ia: number, kb: number, ib: number, cnt: number) => number;
  median: (c: number, y: number, n: number, width: number, nLevels: number, t: number) => void;
  gather: (codes: number, levels: number, out: number, count: number) => void;
}

let loaded: Module | null | undefined;

function load(): Module | null {
  if (loaded !== undefined) return loaded;
  const exports = instantiateWasm(MEDIAN_DENSE_WASM);
  // no WebAssembly here: the JavaScript path
  loaded = exports && {
    memory: exports.memory as WasmMemory,
    rank: exports.rank as Module['rank'],
    median: exports.median as Module['median'],
    gather: exports.gather as Module['gather'],
  };
  return loaded;
}

/** Whether this thread computes the dense medians on WebAssembly. */
export function denseWasmAvailable(): boolean {
  return load() !== null;
}

export interface DenseOptions {
  /** where the result goes when it holds x's length and is not x's memory (else a new array) */
  into?: Float32Array;
  /** false: the JavaScript path even where WebAssembly is available (tests compare the two) */
  wasm?: boolean;
}

/**
 * The medians of x over each width in turn (a cascade, as nested running medians; a width is
 * rounded up to odd), ends held; null when x holds a NaN, an infinity or a -0 (whose order against
 * +0 the heap path decides), or when the windows reach further than a quarter block (each block
 * would recompute more context than outputs: the heaps are faster there).
 */
export function cascadedMedianDense(x: Float32Array, widths: readonly number[], opts: DenseOptions = {}): Float32Array | null {
  const n = x.length;
  const reach = widths.reduce((sum, w) => sum + (w > 1 ? w >> 1 : 0), 0);
  if (reach > BLOCK / 4) return null;
  const step = n <= BLOCK + 2 * reach ? n : BLOCK; // a short signal in one block
  const y = opts.into && opts.into.buffer !== x.buffer ? intoOrNew(opts.into, n) : new Float32Array(n);
  const m = opts.wasm === false ? null : load();
  for (let a = 0; a < n; a += step) {
    const z = Math.min(n, a + step);
    const from = Math.max(0, a - reach);
    const block = x.subarray(from, Math.min(n, z + reach));
    const out = y.subarray(a, z);
    const done = m ? cascadeInWasm(m, block, widths, out, a - from) : null;
    if (done === null ? !cascadeOfRanks(block, widths, out, a - from) : !done) return null;
    if (done) wasmBlocks++;
    blocksDone++;
  }
  return y;
}

/**
 * cascadeOfRanks on WebAssembly (median-dense.wat, the same steps): false on a NaN, an infinity or
 * a -0; null when the module's memory cannot grow to the block (the JavaScript path then runs).
 */
function cascadeInWasm(m: Module, x: Float32Array, widths: readonly number[], out: Float32Array, skip: number): boolean | null {
  const n = x.length;
  // byte addresses: x (later the outputs), four regions of n words, the radix counts, the tally
  const ka = 4 * n,
    ia = 8 * n,
    kb = 12 * n,
    ib = 16 * n,
    cnt = 20 * n,
    t = cnt + 4 * 6144;
  const bytes = t + 4 * (n + (n >> 5) + (n >> 10) + 3);
  if (!growTo(m.memory, bytes)) return null;
  new Float32Array(m.memory.buffer, 0, n).set(x);
  const nLevels = m.rank(0, n, ka, ia, kb, ib, cnt); // codes at ka, levels at ia
  if (nLevels < 0) return false;
  let codes = ka,
    free = kb,
    free2 = ib;
  for (const w of widths) {
    if (w <= 1) continue;
    m.median(codes, free, n, w | 1, nLevels, t);
    [codes, free, free2] = [free, free2, codes];
  }
  if (out.length > 0) m.gather(codes + 4 * skip, ia, 0, out.length);
  out.set(new Float32Array(m.memory.buffer, 0, out.length));
  return true;
}

/** cascadedMedianDense of one block, ranked among its own values: out[i] = the output at x's index skip + i. False on a NaN, an infinity or a -0. */
function cascadeOfRanks(x: Float32Array, widths: readonly number[], out: Float32Array, skip: number): boolean {
  const n = x.length;
  if (space.length < 4 * n) space = new Uint32Array(4 * n);
  const ws = space;
  // four regions of n words: the sort ping-pongs between the first two pairs, then the regions
  // freed hold the codes, the levels and the stages' outputs
  const region = (k: number): Uint32Array => ws.subarray(k * n, (k + 1) * n);
  let keys = region(0),
    idx = region(1),
    keys2 = region(2),
    idx2 = region(3);
  const bits = new Uint32Array(x.buffer, x.byteOffset, n);
  for (let i = 0; i < n; i++) {
    const b = bits[i]!;
    if ((b & 0x7f800000) === 0x7f800000 || b === 0x80000000) return false;
    keys[i] = keyOf(b);
    idx[i] = i;
  }
  // LSD radix sort of (key, index) by 11, 11 and 10 bits (three passes: the sorted pair ends in keys2, idx2)
  const count = new Uint32Array(2048);
  for (const shift of [0, 11, 22]) {
    count.fill(0);
    for (let i = 0; i < n; i++) count[(keys[i]! >>> shift) & 2047]!++;
    let sum = 0;
    for (let d = 0; d < 2048; d++) {
      const c = count[d]!;
      count[d] = sum;
      sum += c;
    }
    for (let i = 0; i < n; i++) {
      const k = keys[i]!;
      const p = count[(k >>> shift) & 2047]!++;
      keys2[p] = k;
      idx2[p] = idx[i]!;
    }
    [keys, keys2] = [keys2, keys];
    [idx, idx2] = [idx2, idx];
  }
  // ranks: codes into one free region, the value of each rank into the other
  let codes = keys2;
  const levels = new Float32Array(idx2.buffer, idx2.byteOffset, n);
  let r = -1;
  let prev = -1;
  for (let p = 0; p < n; p++) {
    const k = keys[p]!;
    if (k !== prev) {
      prev = k;
      levels[++r] = x[idx[p]!]!;
    }
    codes[idx[p]!] = r;
  }
  const nLevels = r + 1;
  let free = keys; // sorted keys and indices are no longer needed
  let free2 = idx;
  for (const w of widths) {
    if (w <= 1) continue;
    runningMedianRanks(codes, w | 1, nLevels, free);
    [codes, free, free2] = [free, free2, codes];
  }
  for (let i = 0; i < out.length; i++) out[i] = levels[codes[skip + i]!]!;
  return true;
}

const ctz = (w: number): number => 31 - Math.clz32(w & -w);
const top = (w: number): number => 31 - Math.clz32(w);

/** The lowest occupied rank above m (one exists): occ has a bit per rank, tops a bit per word of occ. */
function above(occ: Int32Array, tops: Int32Array, m: number): number {
  const v = m + 1;
  let w = v >> 5;
  const here = occ[w]! & (-1 << (v & 31));
  if (here !== 0) return (w << 5) + ctz(here);
  let s = (w + 1) >> 5;
  let t = tops[s]! & (-1 << ((w + 1) & 31));
  while (t === 0) t = tops[++s]!;
  w = (s << 5) + ctz(t);
  return (w << 5) + ctz(occ[w]!);
}

/** The highest occupied rank below m (one exists). */
function below(occ: Int32Array, tops: Int32Array, m: number): number {
  const v = m - 1;
  let w = v >> 5;
  const here = occ[w]! & (-1 >>> (31 - (v & 31)));
  if (here !== 0) return (w << 5) + top(here);
  let s = (w - 1) >> 5;
  let t = tops[s]! & (-1 >>> (31 - ((w - 1) & 31)));
  while (t === 0) t = tops[--s]!;
  w = (s << 5) + top(t);
  return (w << 5) + top(occ[w]!);
}

/**
 * Running median of ranks c in [0, nLevels) over a centred window of `width` (odd) samples, ends
 * held, into y. The window's ranks are counted (cnt) with a bitmap of the occupied ranks (occ) and a
 * bitmap of that bitmap's non-empty words (tops); the median m moves to the next occupied rank.
 */
export function runningMedianRanks(c: Uint32Array, width: number, nLevels: number, y: Uint32Array): void {
  const n = c.length;
  if (n === 0) return;
  const half = width >> 1;
  const last = n - 1;
  const nWords = (nLevels >> 5) + 1;
  const nTops = (nWords >> 5) + 1;
  if (tally.length < nLevels + nWords + nTops) tally = new Int32Array(nLevels + nWords + nTops);
  const t = tally;
  const cnt = t.subarray(0, nLevels);
  const occ = t.subarray(nLevels, nLevels + nWords);
  const tops = t.subarray(nLevels + nWords, nLevels + nWords + nTops);
  cnt.fill(0);
  occ.fill(0);
  tops.fill(0);
  for (let s = -half; s <= half; s++) {
    const v = c[s < 0 ? 0 : s > last ? last : s]!;
    if (cnt[v]!++ === 0) {
      occ[v >> 5]! |= 1 << (v & 31);
      tops[v >> 10]! |= 1 << ((v >> 5) & 31);
    }
  }
  // m: the median's rank; under: window entries at ranks below m; invariant under <= half < under + cnt[m]
  let m = c[0]!;
  let under = 0;
  for (let s = -half; s <= half; s++) if (c[s < 0 ? 0 : s > last ? last : s]! < m) under++;
  for (let i = 0; i < n; i++) {
    if (i > 0) {
      const ko = i - 1 - half;
      const ki = i + half;
      const o = c[ko < 0 ? 0 : ko]!;
      const v = c[ki > last ? last : ki]!;
      if (o === v) {
        y[i] = m;
        continue;
      }
      if (--cnt[o]! === 0) {
        const w = o >> 5;
        if ((occ[w]! &= ~(1 << (o & 31))) === 0) tops[w >> 5]! &= ~(1 << (w & 31));
      }
      if (o < m) under--;
      if (cnt[v]!++ === 0) {
        occ[v >> 5]! |= 1 << (v & 31);
        tops[v >> 10]! |= 1 << ((v >> 5) & 31);
      }
      if (v < m) under++;
    }
    while (under > half) under -= cnt[(m = below(occ, tops, m))]!;
    while (under + cnt[m]! <= half) {
      under += cnt[m]!;
      m = above(occ, tops, m);
    }
    y[i] = m;
  }
}

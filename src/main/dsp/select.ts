// Order statistics on small scratch buffers: k-th smallest in O(n) on average (Hoare's selection),
// in place, no allocation per call. Used by the QRS detector, the beat and rhythm windows and their
// templates, the rules and the signal quality (medianInRange: the caller holds its work). Float64Array
// only: one array type keeps V8's element access monomorphic (a Float32Array caller slowed every
// selection in its thread, docs/experiments/2026-12-07-speed.md); copy float32 values into a
// Float64Array scratch.

/** The k-th smallest (0-based) of v[from..from+len); reorders that range of v. */
export function selectKth(v: Float64Array, len: number, k: number, from = 0): number {
  let lo = from,
    hi = from + len - 1;
  k += from;
  while (hi > lo) {
    const pivot = v[(lo + hi) >> 1]!;
    let i = lo,
      j = hi;
    while (i <= j) {
      while (v[i]! < pivot) i++;
      while (v[j]! > pivot) j--;
      if (i <= j) {
        const t = v[i]!;
        v[i] = v[j]!;
        v[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return v[k]!;
  }
  return v[k]!;
}

/** Median (upper median for even lengths) of v[from..from+len); reorders that range. 0 for len 0. */
export function medianOf(v: Float64Array, len: number, from = 0): number {
  return len === 0 ? 0 : selectKth(v, len, len >> 1, from);
}

/**
 * Median of v[0..n) (no NaN): the middle value, the mean of the two middle values for even n; NaN
 * for n = 0. By selection, reordering that range: no sort, no allocation.
 */
export function medianInPlace(v: Float64Array, n: number): number {
  if (n <= 0) return NaN;
  const upper = selectKth(v, n, n >> 1); // leaves the smaller values before n >> 1
  if (n % 2) return upper;
  let lower = -Infinity;
  for (let i = 0; i < n >> 1; i++) if (v[i]! > lower) lower = v[i]!;
  return 0.5 * (lower + upper);
}

/** Buckets of medianInRange: fine enough that the middle one holds a few of a second's samples. */
const RANGE_BUCKETS = 256;

/** Working memory of medianInRange for up to n values. */
export interface RangeMedianWork {
  counts: Int32Array;
  bucketOf: Uint8Array;
  bucket: Float64Array;
}

export function rangeMedianWork(n: number): RangeMedianWork {
  return { counts: new Int32Array(RANGE_BUCKETS), bucketOf: new Uint8Array(n), bucket: new Float64Array(n) };
}

/**
 * medianInPlace(v, n) (the same value; a zero's sign aside) when the values' lowest and highest
 * (lo, hi) are known, without reordering v: the values are counted into equal buckets of [lo, hi]
 * (a monotone map, so bucket order is value order) and only the bucket holding the middle is
 * selected in. On a second of ECG 2–4× faster than selecting among all of its samples.
 */
export function medianInRange(v: Float64Array, n: number, lo: number, hi: number, work: RangeMedianWork): number {
  if (n <= 0) return NaN;
  if (!(hi > lo)) return n % 2 ? lo : 0.5 * (lo + lo);
  const { counts, bucketOf, bucket } = work;
  const last = counts.length - 1;
  const scale = counts.length / (hi - lo);
  if (!(scale < Infinity)) {
    bucket.set(v.subarray(0, n)); // a range too narrow to divide into buckets
    return medianInPlace(bucket, n);
  }
  counts.fill(0);
  for (let i = 0; i < n; i++) {
    const q = Math.min(last, ((v[i]! - lo) * scale) | 0);
    bucketOf[i] = q;
    counts[q]!++;
  }
  const k = n >> 1;
  let j = 0;
  let below = 0;
  while (below + counts[j]! <= k) below += counts[j++]!;
  let c = 0;
  for (let i = 0; i < n; i++) if (bucketOf[i] === j) bucket[c++] = v[i]!;
  const r = k - below;
  const upper = selectKth(bucket, c, r);
  if (n % 2) return upper;
  // the value just below the middle: in the same bucket (selection left it among the first r), or the highest of the buckets below
  let lower = -Infinity;
  if (r > 0) {
    for (let i = 0; i < r; i++) if (bucket[i]! > lower) lower = bucket[i]!;
  } else {
    for (let i = 0; i < n; i++) if (bucketOf[i]! < j && v[i]! > lower) lower = v[i]!;
  }
  return 0.5 * (lower + upper);
}

// Order statistics on small scratch buffers: k-th smallest in O(n) on average (Hoare's selection),
// in place, no allocation per call. Used by the QRS detector and the beat windows. Float64Array
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

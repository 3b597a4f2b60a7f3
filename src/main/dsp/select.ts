// Order statistics on small scratch buffers: k-th smallest in O(n) on average (Hoare's selection),
// in place, no allocation per call. Used by the QRS detector and the beat windows.

/** The k-th smallest (0-based) of v[from..from+len); reorders that range of v. */
export function selectKth(v: Float32Array | Float64Array, len: number, k: number, from = 0): number {
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
export function medianOf(v: Float32Array | Float64Array, len: number, from = 0): number {
  return len === 0 ? 0 : selectKth(v, len, len >> 1, from);
}

// Min/max decimation of signal runs: the envelope that keeps every QRS peak visible however far
// the view is zoomed out. Pure functions on typed arrays.

/** Min and max of `src` over consecutive buckets of `bucket` values (NaN ignored; an all-NaN bucket gives NaN). */
export function minMaxBuckets(src: Float32Array, bucket: number, outMin: Float32Array, outMax: Float32Array): number {
  const n = src.length;
  const points = Math.ceil(n / bucket);
  for (let p = 0; p < points; p++) {
    let lo = Infinity;
    let hi = -Infinity;
    const end = Math.min(n, (p + 1) * bucket);
    for (let i = p * bucket; i < end; i++) {
      const v = src[i]!;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    outMin[p] = lo === Infinity ? NaN : lo;
    outMax[p] = hi === -Infinity ? NaN : hi;
  }
  return points;
}

/** Merges runs of `factor` consecutive (min, max) pairs into one: a coarser level of the pyramid. */
export function mergeMinMax(
  min: Float32Array,
  max: Float32Array,
  from: number,
  to: number,
  factor: number,
  outMin: Float32Array,
  outMax: Float32Array
): number {
  const points = Math.ceil((to - from) / factor);
  for (let p = 0; p < points; p++) {
    let lo = Infinity;
    let hi = -Infinity;
    const end = Math.min(to, from + (p + 1) * factor);
    for (let i = from + p * factor; i < end; i++) {
      const a = min[i]!;
      const b = max[i]!;
      if (a < lo) lo = a;
      if (b > hi) hi = b;
    }
    outMin[p] = lo === Infinity ? NaN : lo;
    outMax[p] = hi === -Infinity ? NaN : hi;
  }
  return points;
}

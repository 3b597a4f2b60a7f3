// RR-interval helpers shared by the rules: intervals from beat positions and a small in-place median.

/** RR intervals in seconds: rr[k] = (sample[k] − sample[k−1]) / fs; rr[0] = NaN. */
export function rrSeconds(sample: Int32Array, fs: number): Float64Array {
  const rr = new Float64Array(sample.length);
  if (sample.length > 0) rr[0] = NaN;
  for (let k = 1; k < sample.length; k++) rr[k] = (sample[k]! - sample[k - 1]!) / fs;
  return rr;
}

/** Median of the first n values of buf (reorders buf). NaN when n = 0. */
export function medianInPlace(buf: Float64Array, n: number): number {
  if (n <= 0) return NaN;
  const a = buf.subarray(0, n).sort();
  return n % 2 ? a[(n - 1) >> 1]! : 0.5 * (a[n / 2 - 1]! + a[n / 2]!);
}

// RR intervals from beat positions, shared by the rules.

/** RR intervals in seconds: rr[k] = (sample[k] − sample[k−1]) / fs; rr[0] = NaN. */
export function rrSeconds(sample: Int32Array, fs: number): Float64Array {
  const rr = new Float64Array(sample.length);
  if (sample.length > 0) rr[0] = NaN;
  for (let k = 1; k < sample.length; k++) rr[k] = (sample[k]! - sample[k - 1]!) / fs;
  return rr;
}

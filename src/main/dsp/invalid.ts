// Invalid samples (WFDB's "no data" value, read as NaN) must not poison the filters: they are
// replaced by a straight line between the neighbouring valid samples (held flat at the ends).

/** True when x holds at least one NaN or infinite sample. */
export function hasInvalid(x: Float32Array): boolean {
  // v - v is 0 for every finite v and NaN for NaN and ±Infinity; summing per block keeps the
  // loop free of a branch per sample (a NaN in the block makes the sum NaN)
  const n = x.length;
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const s =
      x[i]! -
      x[i]! +
      (x[i + 1]! - x[i + 1]!) +
      (x[i + 2]! - x[i + 2]!) +
      (x[i + 3]! - x[i + 3]!) +
      (x[i + 4]! - x[i + 4]!) +
      (x[i + 5]! - x[i + 5]!) +
      (x[i + 6]! - x[i + 6]!) +
      (x[i + 7]! - x[i + 7]!);
    if (s !== 0) return true;
  }
  for (; i < n; i++) if (x[i]! - x[i]! !== 0) return true;
  return false;
}

/**
 * Returns x with every run of non-finite samples replaced by linear interpolation between the
 * valid samples on either side (or the nearest valid sample at the ends; zeros when none is valid).
 * Returns x itself (no copy) when it has no invalid sample.
 */
export function fillInvalid(x: Float32Array): Float32Array {
  if (!hasInvalid(x)) return x;
  const y = new Float32Array(x);
  const n = y.length;
  let last = -1; // index of the last valid sample
  for (let i = 0; i <= n; i++) {
    if (i < n && !Number.isFinite(y[i])) continue;
    if (i - last > 1) {
      // fill (last, i)
      const a = last >= 0 ? y[last] : i < n ? y[i] : 0;
      const b = i < n ? y[i] : a;
      const span = i - last;
      for (let k = last + 1; k < i; k++) y[k] = last >= 0 && i < n ? a + ((b - a) * (k - last)) / span : last >= 0 ? a : b;
    }
    last = i;
  }
  return y;
}

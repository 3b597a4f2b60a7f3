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
    if (i - last > 1) fillGap(y, 0, last + 1, i, last, i, n, (j) => y[j]!);
    last = i;
  }
  return y;
}

/**
 * Fills a run of invalid samples (last, end) of a lead of n samples, between its valid samples
 * `last` and `end` (−1 / n where the lead ends first), as fillInvalid does: a straight line between
 * them, held flat at the lead's ends, zeros when no sample is valid. Writes the run's samples in
 * [from, to) into out[k − shift]; valueAt(i) is valid sample i's value. One rule for the whole lead
 * and for a span of it read on its own (wfdb/stored-lead.ts), so both give the same bits.
 */
export function fillGap(
  out: Float32Array,
  shift: number,
  from: number,
  to: number,
  last: number,
  end: number,
  n: number,
  valueAt: (i: number) => number
): void {
  const a = last >= 0 ? valueAt(last) : end < n ? valueAt(end) : 0;
  const b = end < n ? valueAt(end) : a;
  const span = end - last;
  for (let k = Math.max(from, last + 1); k < Math.min(to, end); k++)
    out[k - shift] = last >= 0 && end < n ? a + ((b - a) * (k - last)) / span : last >= 0 ? a : b;
}

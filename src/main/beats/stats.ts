// Running medians over per-beat values (medians of windows use src/main/dsp/select).
import { medianOf } from '../dsp/select';

/**
 * Centred running median of v over `width` values (odd; the whole array when it is shorter),
 * windows shrinking at the ends to stay inside v. O(n · width) worst case via a sorted window
 * updated by binary search; width is a few hundred beats, so this stays in milliseconds.
 */
export function runningMedianOf(v: Float32Array, width: number): Float32Array {
  const n = v.length;
  const out = new Float32Array(n);
  if (n === 0) return out;
  if (n <= width) {
    const tmp = Float64Array.from(v);
    out.fill(medianOf(tmp, n));
    return out;
  }
  const half = width >> 1;
  const sorted = new Float64Array(width);
  let size = 0;
  const insert = (x: number) => {
    let lo = 0;
    let hi = size;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    sorted.copyWithin(lo + 1, lo, size);
    sorted[lo] = x;
    size++;
  };
  const remove = (x: number) => {
    let lo = 0;
    let hi = size;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    sorted.copyWithin(lo, lo + 1, size);
    size--;
  };
  // window of beat i: [max(0, i-half), min(n-1, i+half)]
  for (let i = 0; i <= Math.min(half, n - 1); i++) insert(v[i]!);
  for (let i = 0; i < n; i++) {
    out[i] = sorted[size >> 1]!;
    const add = i + half + 1;
    const drop = i - half;
    if (add < n) insert(v[add]!);
    if (drop >= 0) remove(v[drop]!);
  }
  return out;
}

// Running medians over per-beat values (medians of windows use src/main/dsp/select).
import { medianOf } from '../dsp/select';

/**
 * Centred running median of v over `width` values (odd; the whole array when it is shorter),
 * windows shrinking at the ends to stay inside v. O(n · width) worst case via a sorted window
 * updated by binary search; width is a few hundred beats, so this stays in milliseconds.
 */
export function runningMedianOf(v: Float32Array, width: number): Float32Array {
  const out = new Float32Array(v.length);
  new RunningMedianOf(v, width, out).advance(v.length);
  return out;
}

/**
 * runningMedianOf computed as v fills in: `advance(known)` (v[0..known) final) writes every output
 * whose window lies inside what is known and returns how many outputs are written so far, so a
 * beat's value is known 129 beats after it (width 257) without waiting for the whole record.
 *
 * Each step inserts the next value before removing the oldest into `width` slots, so a full
 * window briefly holds width + 1 values and its largest falls off the end. The beat models were
 * trained on amplitude scales made this way; the steps stay exactly as they are until the models
 * are retrained on a corrected median.
 *
 * That step never lets in a value larger than all the window holds: once a lead has been flat for
 * a window's length (an electrode off for ~4 minutes), its window holds only flat beats' amplitudes
 * and would keep them for the rest of the record (MIT-BIH 119 with MLII off for 10 minutes: its
 * scale stayed at the floor and 218 of the 247 PVCs after the stretch were missed). While the
 * window's median is below `exactBelow` (a flat line's amplitude, never a live lead's median), each
 * step is an exact slide instead: the oldest value out, then the next one in.
 */
export class RunningMedianOf {
  private readonly half: number;
  private readonly sorted: Float64Array;
  private size = 0;
  /** Outputs written. */
  private done = 0;
  /** Whether the window holds its first values. */
  private started = false;
  /** Whether the insert and removal after output done - 1 are still to come. */
  private stepPending = false;

  constructor(
    private readonly v: Float32Array,
    private readonly width: number,
    private readonly out: Float32Array,
    private readonly exactBelow = -Infinity
  ) {
    this.half = width >> 1;
    this.sorted = new Float64Array(width);
  }

  advance(known: number): number {
    const { v, out, half } = this;
    const n = v.length;
    if (n === 0) return 0;
    if (n <= this.width) {
      // the whole array's median: known only once all of v is
      if (known >= n && this.done < n) {
        out.fill(medianOf(Float64Array.from(v), n));
        this.done = n;
      }
      return this.done;
    }
    if (!this.started) {
      if (known < Math.min(n, half + 1)) return 0;
      for (let i = 0; i <= Math.min(half, n - 1); i++) this.insert(v[i]!);
      this.started = true;
    }
    for (;;) {
      if (this.stepPending) {
        const i = this.done - 1;
        const add = i + half + 1;
        if (add < n && known <= add) break;
        const exact = this.sorted[this.size >> 1]! < this.exactBelow;
        if (exact && i - half >= 0) this.remove(v[i - half]!);
        if (add < n) this.insert(v[add]!);
        if (!exact && i - half >= 0) this.remove(v[i - half]!);
        this.stepPending = false;
      }
      if (this.done === n) break;
      out[this.done++] = this.sorted[this.size >> 1]!;
      this.stepPending = true;
    }
    return this.done;
  }

  private find(x: number): number {
    let lo = 0;
    let hi = this.size;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.sorted[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private insert(x: number): void {
    const lo = this.find(x);
    this.sorted.copyWithin(lo + 1, lo, this.size);
    this.sorted[lo] = x;
    this.size++;
  }

  private remove(x: number): void {
    const lo = this.find(x);
    this.sorted.copyWithin(lo, lo + 1, this.size);
    this.size--;
  }
}

// A lead held as the record stores it: its integer samples (Int16Array where the format fits,
// else Int32Array; half the memory of Float32 physical values for 16-bit formats) with the gain
// and baseline, converted to physical values span by span with readPhysical's arithmetic, so
// every value is the same to the bit. Read part by part into arrays the caller holds (in shared
// memory for a helper thread, which rebuilds the lead from the same arrays).
import type { Lead } from '../dsp/lead';
import { fillGap } from '../dsp/invalid';
import { INVALID } from './formats';
import { physicalByTable, physicalInto, physicalTable, type RawSignal } from './samples';

/** What a StoredLead is made of; plain data a worker can be sent. */
export interface StoredSamples {
  samples: RawSignal;
  adcGain: number;
  baseline: number;
}

export class StoredLead implements Lead {
  private readonly table: Float32Array | null;
  /** Runs [start, end) of invalid samples, flattened; found on the first filled span. */
  private invalidRuns: Int32Array | null = null;

  constructor(readonly stored: StoredSamples) {
    this.table = stored.samples instanceof Int16Array ? physicalTable(stored) : null;
  }

  get length(): number {
    return this.stored.samples.length;
  }

  span(a: number, b: number, into?: Float32Array): Float32Array {
    const raw = this.stored.samples.subarray(a, b);
    const out = into && into.length >= raw.length ? into.subarray(0, raw.length) : new Float32Array(raw.length);
    if (this.table) physicalByTable(raw as Int16Array, this.table, out, 0);
    else physicalInto(raw, this.stored, out, 0);
    return out;
  }

  /**
   * The span with each run of invalid samples filled as fillInvalid fills it over the whole lead:
   * the run's ends are the nearest valid samples of the lead, inside the span or not.
   */
  filledSpan(a: number, b: number, into?: Float32Array): Float32Array {
    const out = this.span(a, b, into);
    const runs = (this.invalidRuns ??= invalidRuns(this.stored.samples));
    const n = this.length;
    for (let r = firstRunEndingAfter(runs, a); r < runs.length && runs[r]! < b; r += 2)
      fillGap(out, a, a, b, runs[r]! - 1, runs[r + 1]!, n, (i) => this.value(i));
    return out;
  }

  /** Sample i's physical value (as stored in a Float32Array). */
  private value(i: number): number {
    return this.span(i, i + 1)[0]!;
  }
}

/** Index into `runs` (flattened [start, end) pairs) of the first run ending after `a`. */
function firstRunEndingAfter(runs: Int32Array, a: number): number {
  let lo = 0;
  let hi = runs.length >> 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (runs[2 * mid + 1]! > a) hi = mid;
    else lo = mid + 1;
  }
  return 2 * lo;
}

/** The runs of invalid samples; TypedArray indexOf (native) finds each run's start ~2–3× faster than a loop here. */
function invalidRuns(x: RawSignal): Int32Array {
  const out: number[] = [];
  for (let i = x.indexOf(INVALID); i >= 0;) {
    let end = i + 1;
    while (end < x.length && x[end] === INVALID) end++;
    out.push(i, end);
    i = end < x.length ? x.indexOf(INVALID, end) : -1;
  }
  return Int32Array.from(out);
}

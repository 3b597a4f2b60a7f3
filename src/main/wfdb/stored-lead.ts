// A lead held as the record stores it: its integer samples (Int16Array where the format fits,
// else Int32Array; half the memory of Float32 physical values for 16-bit formats) with the gain
// and baseline, converted to physical values span by span with readPhysical's arithmetic, so
// every value is the same to the bit. Read part by part into arrays the caller holds (in shared
// memory for a helper thread, which rebuilds the lead from the same arrays).
import type { Lead } from '../dsp/lead';
import { MAX_LEVELS, type Ranked } from '../dsp/median';
import { fillGap } from '../dsp/invalid';
import { intoOrNew } from '../dsp/scratch';
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

  /** The table rises strictly through finite values (not -0): a value's rank is then its integer's (rankedSpan). */
  private readonly rising: boolean;

  constructor(readonly stored: StoredSamples) {
    this.table = stored.samples instanceof Int16Array ? physicalTable(stored) : null;
    this.rising = this.table !== null && strictlyRising(this.table);
  }

  get length(): number {
    return this.stored.samples.length;
  }

  span(a: number, b: number, into?: Float32Array): Float32Array {
    const raw = this.stored.samples.subarray(a, b);
    const out = intoOrNew(into, raw.length);
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

  rankedSpan(a: number, b: number, into?: Float32Array): { values: Float32Array; ranks: Ranked } | null {
    if (!this.table || !this.rising) return null;
    const raw = this.stored.samples.subarray(a, b) as Int16Array;
    const values = intoOrNew(into, raw.length);
    const ranks = rankAndConvert(raw, this.table, values);
    return ranks && { values, ranks };
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

/**
 * Whether the table's valid entries (all but the invalid code's, index 0) rise strictly through
 * finite values and hold no -0: false for a negative gain, and for a gain or baseline so extreme
 * that values overflow, underflow to ±0 or share a float32 (the header allows them).
 */
function strictlyRising(table: Float32Array): boolean {
  let prev = -Infinity;
  for (let k = 1; k < table.length; k++) {
    const v = table[k]!;
    if (!(v > prev) || !Number.isFinite(v) || Object.is(v, -0)) return false;
    prev = v;
  }
  return true;
}

/** Per stored value (index value + 32768): 1 + its rank in a span while rankAndConvert runs, else 0. */
let rankPlusOne: Uint16Array | null = null;

/**
 * Converts 16-bit samples through a rising table into `out` (as physicalByTable) and gives the
 * values' ranks as quantise (median.ts) would: the rank of a value is the rank of its stored
 * integer, found by marking the integers present, in the same pass (no hashing, no sort). Null for
 * an invalid sample or more than MAX_LEVELS distinct values, as quantise.
 */
function rankAndConvert(raw: Int16Array, table: Float32Array, out: Float32Array): Ranked | null {
  const mark = (rankPlusOne ??= new Uint16Array(65536));
  const n = raw.length;
  let lo = 65536;
  let hi = -1;
  for (let i = 0; i < n; i++) {
    const k = raw[i]! + 32768;
    out[i] = table[k]!;
    mark[k] = 1;
    lo = Math.min(lo, k);
    hi = Math.max(hi, k);
  }
  const ranks = n === 0 || mark[INVALID + 32768] !== 0 ? null : ranksOfMarked(raw, table, mark, lo, hi);
  if (hi >= lo) mark.fill(0, lo, hi + 1); // empty again for the next call (nothing above can throw)
  return ranks;
}

function ranksOfMarked(raw: Int16Array, table: Float32Array, mark: Uint16Array, lo: number, hi: number): Ranked | null {
  let u = 0;
  for (let k = lo; k <= hi; k++) if (mark[k] !== 0) mark[k] = ++u; // past MAX_LEVELS the marks are not read
  if (u > MAX_LEVELS) return null;
  const levels = new Float32Array(u);
  for (let k = lo; k <= hi; k++) if (mark[k] !== 0) levels[mark[k]! - 1] = table[k]!;
  const codes = new Uint16Array(raw.length);
  for (let i = 0; i < raw.length; i++) codes[i] = mark[raw[i]! + 32768]! - 1;
  return { codes, levels };
}

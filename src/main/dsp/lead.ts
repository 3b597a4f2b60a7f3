// A lead read span by span: the readers of a long record (QRS chunks, signal quality, beat and
// rhythm windows) take physical values a span at a time, so the whole lead need never be held as
// Float32 values (the analysis holds the record's stored integer samples: wfdb/stored-lead.ts).
import { fillInvalid } from './invalid';
import type { Ranked } from './median';

export interface Lead {
  /** Samples in the lead. */
  readonly length: number;
  /**
   * Samples [a, b) in physical units, NaN where invalid; may be a view of the caller's memory: read
   * only. `into` (at least b − a long): memory to convert them into where the lead stores other
   * values (a StoredLead), so a reader going span by span reuses one array.
   */
  span(a: number, b: number, into?: Float32Array): Float32Array;
  /** Samples [a, b) with invalid samples interpolated as fillInvalid over the whole lead gives them; read only; `into` as for span. */
  filledSpan(a: number, b: number, into?: Float32Array): Float32Array;
  /**
   * span(a, b, into) with its values ranked as quantise ranks them (median.ts), or null where the
   * lead cannot rank them more cheaply than quantise (an invalid sample in the span, values not
   * stored as 16-bit integers, a gain or baseline whose values do not rise strictly with the stored
   * integers, too many distinct values).
   */
  rankedSpan?(a: number, b: number, into?: Float32Array): { values: Float32Array; ranks: Ranked } | null;
}

/** A whole lead already in physical units, or a Lead. */
export type LeadInput = Float32Array | Lead;

/** A Float32Array lead: its spans are views; the filled lead is made once, on the first filled span (fillInvalid: no copy without NaN). */
export class ArrayLead implements Lead {
  private filled: Float32Array | null = null;
  constructor(readonly values: Float32Array) {}
  get length(): number {
    return this.values.length;
  }
  span(a: number, b: number): Float32Array {
    return this.values.subarray(a, b);
  }
  filledSpan(a: number, b: number): Float32Array {
    this.filled ??= fillInvalid(this.values);
    return this.filled.subarray(a, b);
  }
}

export function asLead(x: LeadInput): Lead {
  return x instanceof Float32Array ? new ArrayLead(x) : x;
}

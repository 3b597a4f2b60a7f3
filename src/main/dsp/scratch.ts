// Working arrays that a thread's synchronous signal functions reuse between calls. Filtering a
// 24-hour Holter chunk by chunk otherwise allocates gigabytes of short-lived arrays, and V8 runs a
// full garbage collection for every 64 MB of array memory allocated (its external-memory limit).
// A caller takes one, fills it and is done with it before it returns: nothing it calls may take the
// same one.

let f64 = new Float64Array(0);

/** A Float64Array of n elements, not cleared: the same memory on the next call. */
export function scratchFloat64(n: number): Float64Array {
  if (f64.length < n) f64 = new Float64Array(Math.max(n, Math.ceil(1.25 * f64.length)));
  return f64.subarray(0, n);
}

const u16: Uint16Array[] = [new Uint16Array(0), new Uint16Array(0)];

/** A Uint16Array of n elements from slot 0 or 1 (two, so one can be read while the other is written), not cleared. */
export function scratchUint16(slot: 0 | 1, n: number): Uint16Array {
  if (u16[slot]!.length < n) u16[slot] = new Uint16Array(Math.max(n, Math.ceil(1.25 * u16[slot]!.length)));
  return u16[slot]!.subarray(0, n);
}

/** `into`'s first n elements when it holds n, else a new array: where a function given memory writes its result. */
export function intoOrNew(into: Float32Array | undefined, n: number): Float32Array {
  return into && into.length >= n ? into.subarray(0, n) : new Float32Array(n);
}

const f32 = { span: new Float32Array(0), median: new Float32Array(0), square: new Float32Array(0) };

/**
 * A Float32Array of n elements, not cleared: 'span' holds a lead's span while it is resampled or
 * conditioned, 'median' the baseline conditionForBeats subtracts from it, 'square' the QRS
 * detector's squared derivative.
 */
export function scratchFloat32(use: keyof typeof f32, n: number): Float32Array {
  if (f32[use].length < n) f32[use] = new Float32Array(Math.max(n, Math.ceil(1.25 * f32[use].length)));
  return f32[use].subarray(0, n);
}

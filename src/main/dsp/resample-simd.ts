// resampleBlock's interior on WebAssembly SIMD (resample-simd.wat): the same products added in the
// same order as resample.ts's JavaScript loop, so the same bits, 3.5-4.5x faster. Where WebAssembly
// SIMD is missing (an engine or policy without it) or its memory cannot grow, `simdOutputs` declines
// and the JavaScript loop runs. One module instance per thread (module state); each call into it
// takes at most BLOCK outputs and MAX_INPUT input samples, so its memory stays a few MB.
import type { PolyphaseKernel } from './resample';
import { RESAMPLE_SIMD_WASM } from './resample-simd-bytes';
import { growTo, instantiateWasm, type WasmMemory } from './wasm';

/** Most outputs per call into the module. A multiple of 8. */
const BLOCK = 1 << 16;
/** Most input samples per call (2 MB as float64): a large down-sampling ratio takes fewer outputs a call. */
const MAX_INPUT = 1 << 18;
/** Larger phase-pair tables (odd ratios of many phases) are left to the JavaScript loop. */
const MAX_PAIR_BYTES = 32 << 20;

let written = 0;

/** Outputs this thread has computed on WebAssembly SIMD so far (tests check the path is taken). */
export function simdOutputCount(): number {
  return written;
}

type Run8 = (xOff: number, pairOff: number, yOff: number, j0: bigint, count: number, up: bigint, down: bigint, taps: number, first: bigint) => void;

interface Module {
  memory: WasmMemory;
  run8: Run8;
  /** the kernel whose phase pairs the memory holds */
  pairsOf: PolyphaseKernel | null;
}

let loaded: Module | null | undefined;

function load(): Module | null {
  if (loaded !== undefined) return loaded;
  const exports = instantiateWasm(RESAMPLE_SIMD_WASM);
  // no WebAssembly, or no SIMD in it (the module does not validate): the JavaScript loop
  loaded = exports && { memory: exports.memory as WasmMemory, run8: exports.run8 as Run8, pairsOf: null };
  return loaded;
}

/** Whether this thread runs resampleBlock's interior on WebAssembly SIMD. */
export function simdAvailable(): boolean {
  return load() !== null;
}

/** Phase p's row: (coef[p][t], coef[(p + down) mod up][t]) for each tap t, the coefficients of outputs j and j + 1. */
function writePairs(m: Module, k: PolyphaseKernel): void {
  const { up, down, taps, coef } = k;
  const pairs = new Float64Array(m.memory.buffer, 0, up * taps * 2);
  for (let p = 0; p < up; p++) {
    const q = (p + down) % up;
    for (let t = 0; t < taps; t++) {
      pairs[2 * (p * taps + t)] = coef[p * taps + t]!;
      pairs[2 * (p * taps + t) + 1] = coef[q * taps + t]!;
    }
  }
  m.pairsOf = k;
}

/**
 * y[yAt + i] = output j0 + i of kernel k for i < count (a multiple of 8), each output's taps inside
 * x, which holds input samples [xStart, xStart + x.length). False when the module is not available
 * here, the kernel's phase table is too large for it or its memory cannot grow: the caller then
 * computes all `count` outputs itself.
 */
export function simdOutputs(k: PolyphaseKernel, x: Float32Array, xStart: number, j0: number, count: number, y: Float32Array, yAt: number): boolean {
  const m = load();
  const pairBytes = k.up * k.taps * 16;
  if (m === null || pairBytes > MAX_PAIR_BYTES || count % 8 !== 0) return false;
  const { up, down, taps, lead } = k;
  const block = Math.max(8, Math.min(BLOCK, Math.floor((MAX_INPUT * up) / down / 8) * 8));
  for (let done = 0; done < count; done += block) {
    const n = Math.min(block, count - done);
    const j = j0 + done;
    const first = Math.floor((j * down) / up) - lead; // tap 0 of output j
    const end = Math.floor(((j + n - 1) * down) / up) - lead + taps; // past the last output's last tap
    const xOff = pairBytes;
    const yOff = xOff + (end - first) * 8;
    if (!growTo(m.memory, yOff + n * 8)) return false; // the outputs written so far are recomputed by the loop
    if (m.pairsOf !== k) writePairs(m, k);
    new Float64Array(m.memory.buffer, xOff, end - first).set(x.subarray(first - xStart, end - xStart));
    m.run8(xOff, 0, yOff, BigInt(j), n, BigInt(up), BigInt(down), taps, BigInt(first + lead));
    y.set(new Float64Array(m.memory.buffer, yOff, n), yAt + done); // rounded to float32 as the JavaScript loop's stores are
    written += n;
  }
  return true;
}

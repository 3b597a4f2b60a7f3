// resampleBlock's interior on WebAssembly SIMD (resample-simd.wat): the same products added in the
// same order as resample.ts's JavaScript loop, so the same bits, ~3x faster. Where WebAssembly SIMD is
// missing (an engine or policy without it) `simdOutputs` declines and the JavaScript loop runs.
// One module instance per thread (module state), its memory bounded by BLOCK outputs per call.
import type { PolyphaseKernel } from './resample';
import { RESAMPLE_SIMD_WASM } from './resample-simd-bytes';

/** Outputs per call into the module: bounds its memory (~2 MB at 360 -> 125 Hz). A multiple of 8. */
const BLOCK = 1 << 16;
/** Larger phase-pair tables (odd ratios of many phases) are left to the JavaScript loop. */
const MAX_PAIR_BYTES = 32 << 20;

// The few WebAssembly calls used, typed here: the project's Node typings do not declare the
// WebAssembly global, and an engine without it must fall back rather than throw at import.
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
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
  const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  try {
    if (!wasm) throw new Error('no WebAssembly');
    const bytes = Uint8Array.from(atob(RESAMPLE_SIMD_WASM), (c) => c.charCodeAt(0));
    const { exports } = new wasm.Instance(new wasm.Module(bytes), {});
    loaded = { memory: exports.memory as WasmMemory, run8: exports.run8 as Run8, pairsOf: null };
  } catch {
    // no WebAssembly, or no SIMD in it (the module does not validate): the JavaScript loop
    loaded = null;
  }
  return loaded;
}

/** Whether this thread runs resampleBlock's interior on WebAssembly SIMD. */
export function simdAvailable(): boolean {
  return load() !== null;
}

function ensureBytes(m: Module, bytes: number): void {
  const have = m.memory.buffer.byteLength;
  if (have < bytes) m.memory.grow(Math.ceil((bytes - have) / 65536));
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
 * x, which holds input samples [xStart, xStart + x.length). False (nothing written) when the module
 * is not available here or the kernel's phase table is too large for it.
 */
export function simdOutputs(k: PolyphaseKernel, x: Float32Array, xStart: number, j0: number, count: number, y: Float32Array, yAt: number): boolean {
  const m = load();
  const pairBytes = k.up * k.taps * 16;
  if (m === null || pairBytes > MAX_PAIR_BYTES || count % 8 !== 0) return false;
  const { up, down, taps, lead } = k;
  for (let done = 0; done < count; done += BLOCK) {
    const n = Math.min(BLOCK, count - done);
    const j = j0 + done;
    const first = Math.floor((j * down) / up) - lead; // tap 0 of output j
    const end = Math.floor(((j + n - 1) * down) / up) - lead + taps; // past the last output's last tap
    const xOff = pairBytes;
    const yOff = xOff + (end - first) * 8;
    ensureBytes(m, yOff + n * 8);
    if (m.pairsOf !== k) writePairs(m, k);
    new Float64Array(m.memory.buffer, xOff, end - first).set(x.subarray(first - xStart, end - xStart));
    m.run8(xOff, 0, yOff, BigInt(j), n, BigInt(up), BigInt(down), taps, BigInt(first + lead));
    y.set(new Float64Array(m.memory.buffer, yOff, n), yAt + done); // rounded to float32 as the JavaScript loop's stores are
  }
  return true;
}

// The few WebAssembly calls the dsp modules use (resample-simd.ts, median-dense.ts), typed here: the
// project's Node typings do not declare the WebAssembly global, and an engine without it must fall
// back rather than throw at import.
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}

/** The exports of the module whose bytes `base64` holds, or null where WebAssembly is absent or refuses it. */
export function instantiateWasm(base64: string): Record<string, unknown> | null {
  const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  if (!wasm) return null;
  try {
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    return new wasm.Instance(new wasm.Module(bytes), {}).exports;
  } catch {
    return null;
  }
}

/** Grows `memory` to hold at least `bytes`; false when it cannot (the caller falls back to its JavaScript path). */
export function growTo(memory: WasmMemory, bytes: number): boolean {
  const have = memory.buffer.byteLength;
  if (have >= bytes) return true;
  try {
    memory.grow(Math.ceil((bytes - have) / 65536));
    return true;
  } catch {
    return false;
  }
}

import { readFile } from 'node:fs/promises';
import { describe, expect, it, vi } from 'vitest';
import { resampleBlock, resampleInputSpan, resampledLength, simdAvailable } from '../../src/main/dsp';
import { simdOutputCount } from '../../src/main/dsp/resample-simd';
// @ts-expect-error: a plain JavaScript build script without typings
import { bytesModule, BYTES_TS, WAT } from '../../scripts/build-wasm.mjs';

/** A record-like test signal: slow waves, sharp spikes, quantisation steps and noise, from a seed. */
function signal(n: number, seed: number): Float32Array {
  const x = new Float32Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (s * 16807) % 2147483647;
    x[i] = Math.round((Math.sin(i * 0.013) + (i % 311 < 4 ? 3 : 0) + (s / 2147483647 - 0.5) * 0.4) * 200) / 200;
  }
  for (let i = 1000; i < n; i += 7919) x[i] = i % 2 ? 1e-40 : -3e-41; // subnormal float32 values now and then
  return x;
}

const bits = (y: Float32Array): Uint32Array => new Uint32Array(y.buffer, y.byteOffset, y.length);

describe('resampleBlock on WebAssembly SIMD', () => {
  it('runs here (Node has WebAssembly SIMD), so the tests below compare the two paths', () => {
    expect(simdAvailable()).toBe(true);
  });

  it('gives the JavaScript loop’s bits at every rate the app meets, in one call and in chunks', () => {
    for (const [from, to] of [
      [360, 125],
      [128, 360],
      [128, 125],
      [250, 360],
      [257, 360],
      [1000, 360],
      [300, 125],
      [128.5, 360],
      [360, 360.5],
    ] as const) {
      // more outputs than one module call takes (65,536), and chunk edges that are not multiples of 8
      const n = Math.ceil((80_000 * from) / to);
      const x = signal(n, 7 + from);
      const m = resampledLength(n, from, to);
      const scalar = resampleBlock(x, 0, n, from, to, 0, m, { simd: false });
      const before = simdOutputCount();
      expect(bits(resampleBlock(x, 0, n, from, to, 0, m)), `${from} -> ${to} Hz`).toEqual(bits(scalar));
      expect(simdOutputCount() - before, `${from} -> ${to} Hz: outputs on SIMD`).toBeGreaterThan(m * 0.99);
      for (const [a, z] of [
        [0, 13],
        [5, 70_001],
        [m - 1003, m],
      ]) {
        const span = resampleInputSpan(a, z, from, to, n);
        const part = resampleBlock(x.slice(span.start, span.end), span.start, n, from, to, a, z);
        expect(bits(part), `${from} -> ${to} Hz, outputs [${a}, ${z})`).toEqual(bits(scalar.subarray(a, z)));
      }
    }
  });

  it('falls back to the JavaScript loop, with the same bits, where there is no WebAssembly', async () => {
    vi.resetModules();
    vi.stubGlobal('WebAssembly', undefined);
    try {
      const dsp = await import('../../src/main/dsp');
      const simd = await import('../../src/main/dsp/resample-simd');
      expect(dsp.simdAvailable()).toBe(false);
      const x = signal(20_000, 3);
      const m = resampledLength(x.length, 360, 125);
      expect(bits(dsp.resampleBlock(x, 0, x.length, 360, 125, 0, m))).toEqual(bits(resampleBlock(x, 0, x.length, 360, 125, 0, m)));
      expect(simd.simdOutputCount()).toBe(0);
    } finally {
      vi.unstubAllGlobals();
      vi.resetModules();
    }
  });

  it('is built from the committed WebAssembly text (npm run build:wasm)', async () => {
    expect(await readFile(BYTES_TS, 'utf8')).toBe(await bytesModule(await readFile(WAT, 'utf8')));
  });
});

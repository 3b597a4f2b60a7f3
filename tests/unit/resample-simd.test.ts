import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { resampleBlock, resampleInputSpan, resampledLength, simdAvailable } from '../../src/main/dsp';
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
      expect(bits(resampleBlock(x, 0, n, from, to, 0, m)), `${from} -> ${to} Hz`).toEqual(bits(scalar));
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

  it('is built from the committed WebAssembly text (npm run build:wasm)', async () => {
    expect(await readFile(BYTES_TS, 'utf8')).toBe(await bytesModule(await readFile(WAT, 'utf8')));
  });
});

// The dense-rank running medians (median-dense.ts: a resampled lead's baseline, every value its own)
// against the plainest possible reference: each window's values sorted, the middle one taken.
// Random and adversarial signals: ties, long equal runs, spikes of 1e30, subnormals, ramps, signals
// shorter than a window, and lengths across the path's block boundaries (32,768 outputs a block).
// Both engines: WebAssembly (median-dense.wat, the path taken where it loads) and the JavaScript.
import { readFile } from 'node:fs/promises';
import { describe, expect, it, vi } from 'vitest';
import { cascadedMedian, resample } from '../../src/main/dsp';
import { cascadedMedianDense, denseBlockCount, denseWasmAvailable, denseWasmBlockCount } from '../../src/main/dsp/median-dense';
// @ts-expect-error: a plain JavaScript build script without typings
import { bytesModule, MODULES } from '../../scripts/build-wasm.mjs';

const BLOCK = 32_768;

/** Median of each centred window of `width` (odd) samples, ends held, by sorting the window. */
function naiveMedian(x: Float32Array, width: number): Float32Array {
  const n = x.length;
  const half = width >> 1;
  const y = new Float32Array(n);
  const win = new Float32Array(width);
  for (let i = 0; i < n; i++) {
    for (let s = -half; s <= half; s++) win[s + half] = x[Math.min(n - 1, Math.max(0, i + s))]!;
    win.sort();
    y[i] = win[half]!;
  }
  return y;
}

const naiveCascade = (x: Float32Array, widths: readonly number[]): Float32Array => widths.reduce((y, w) => (w > 1 ? naiveMedian(y, w | 1) : y), x);

/** Index of the first sample whose bits differ, or -1. */
function firstDifference(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  const ua = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const ub = new Uint32Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < a.length; i++) if (ua[i] !== ub[i]) return i;
  return -1;
}

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32;
}

type Maker = (n: number, rnd: () => number) => Float32Array;

/** Signals the medians must get right, every value a float32 the dense path accepts (no NaN, infinity or -0). */
const SIGNALS: Record<string, Maker> = {
  distinct: (n, rnd) => Float32Array.from({ length: n }, () => (rnd() - 0.5) * 10),
  // a few levels only: most windows hold each value many times
  ties: (n, rnd) => Float32Array.from({ length: n }, () => Math.floor(rnd() * 5) - 2),
  // long equal runs (the median sits on one value while others come and go) between random stretches
  runs: (n, rnd) => {
    const x = new Float32Array(n);
    let v = 0;
    for (let i = 0; i < n; i++) {
      if (i % 257 === 0) v = rnd() < 0.5 ? 0.25 : Math.fround(rnd());
      x[i] = (i >> 8) % 3 === 1 ? v : Math.fround(rnd() - 0.5);
    }
    return x;
  },
  // a wandering baseline with QRS-like spikes, huge outliers, zeros, subnormals and magnitudes far apart
  spikes: (n, rnd) =>
    Float32Array.from({ length: n }, (_, i) => {
      if (i % 97 === 3) return (rnd() - 0.5) * 2e30;
      if (i % 301 < 6) return 3 + rnd();
      if (i % 53 === 7) return 0;
      if (i % 89 === 11) return (rnd() - 0.5) * 1e-40; // subnormal float32
      return Math.sin(i * 0.01) * (1 + 0.1 * rnd()) * (i % 2 ? 1e-20 : 1);
    }),
  rampUp: (n) => Float32Array.from({ length: n }, (_, i) => i * 0.5 - 7),
  rampDown: (n) => Float32Array.from({ length: n }, (_, i) => 1000 - i * 0.25),
  // each value repeated in a saw, and the same value at both ends of long windows
  saw: (n) => Float32Array.from({ length: n }, (_, i) => (i % 150) - 75),
};

/** The dense path's result on each engine, checked to have run there. */
function bothEngines(x: Float32Array, widths: readonly number[]): { wasm: Float32Array | null; js: Float32Array | null } {
  const before = denseWasmBlockCount();
  const wasm = cascadedMedianDense(x, widths);
  if (wasm) expect(denseWasmBlockCount() - before, 'blocks on WebAssembly').toBeGreaterThan(0);
  const between = denseWasmBlockCount();
  const js = cascadedMedianDense(x, widths, { wasm: false });
  expect(denseWasmBlockCount(), 'no block on WebAssembly').toBe(between);
  return { wasm, js };
}

describe('dense-rank running medians against sorted windows', () => {
  it('run on WebAssembly here (Node has it), so both engines are compared below', () => {
    expect(denseWasmAvailable()).toBe(true);
  });

  it('equal a sort of each window on random and adversarial signals, widths 1, 3, 73, 217 and cascades', () => {
    const widthSets: number[][] = [[1], [3], [73], [217], [73, 217], [3, 73], [73, 1, 217], [74]];
    let k = 0;
    for (const [name, make] of Object.entries(SIGNALS)) {
      // shorter than any window, about one window, several windows
      for (const n of [1, 2, 3, 36, 72, 73, 74, 216, 217, 218, 300, 1_500]) {
        const x = make(n, rng(++k));
        for (const widths of widthSets) {
          const want = naiveCascade(x, widths);
          for (const [engine, y] of Object.entries(bothEngines(x, widths))) {
            expect(y, `${engine}: ${name} n ${n} widths ${widths}`).not.toBeNull();
            expect(firstDifference(y!, want), `${engine}: ${name} n ${n} widths ${widths}`).toBe(-1);
          }
        }
      }
    }
  });

  it('equal a sort of each window across block boundaries (one block, one block plus one sample, several)', () => {
    const widths = [73, 217];
    const reach = 36 + 108;
    const blocks = denseBlockCount();
    let expectedBlocks = 0;
    for (const [name, n] of [
      ['spikes', BLOCK + 2 * reach], // the longest signal taken as one block
      ['distinct', BLOCK + 2 * reach + 1], // the shortest taken as two
      ['runs', 2 * BLOCK + 5],
      ['ties', 3 * BLOCK - 1],
    ] as const) {
      const x = SIGNALS[name]!(n, rng(n));
      const want = naiveCascade(x, widths);
      expectedBlocks += 2 * (n <= BLOCK + 2 * reach ? 1 : Math.ceil(n / BLOCK));
      for (const [engine, y] of Object.entries(bothEngines(x, widths))) expect(firstDifference(y!, want), `${engine}: ${name} n ${n}`).toBe(-1);
    }
    expect(denseBlockCount() - blocks).toBe(expectedBlocks);
  });

  it('equal a sort of each window on a lead resampled as a 128-Hz Holter’s (through cascadedMedian)', () => {
    const rnd = rng(5);
    const at128 = Float32Array.from(
      { length: 26_000 },
      (_, i) => Math.round((Math.sin(i * 0.004) * 0.4 + (i % 110 < 4 ? 1.6 : 0) + (rnd() - 0.5) * 0.05) * 200) / 200
    );
    const x = resample(at128, 128, 360);
    const blocks = denseWasmBlockCount();
    const into = new Float32Array(x.length + 10);
    const y = cascadedMedian(x, [73, 217], into);
    expect(denseWasmBlockCount() - blocks).toBe(Math.ceil(x.length / BLOCK)); // the dense path, not the ADC-code histogram
    expect(y.buffer).toBe(into.buffer); // written where the caller asked
    expect(firstDifference(y, naiveCascade(x, [73, 217]))).toBe(-1);
    // never into x's own memory: the blocks after the first read x around their outputs
    const shared = new Float32Array(2 * x.length);
    shared.set(x);
    const own = cascadedMedianDense(shared.subarray(0, x.length), [73, 217], { into: shared.subarray(x.length) })!;
    expect(own.buffer).not.toBe(shared.buffer);
    expect(firstDifference(own, y)).toBe(-1);
  });

  it('refuses NaN, infinities and -0 anywhere in the signal (the heaps decide those)', () => {
    for (const bad of [NaN, Infinity, -Infinity, -0]) {
      for (const at of [0, 500, 70_000 - 1]) {
        const x = SIGNALS.distinct!(70_000, rng(at + 1));
        x[at] = bad;
        const { wasm, js } = bothEngines(x, [73, 217]);
        expect(wasm, `WebAssembly: ${bad} at ${at}`).toBeNull();
        expect(js, `JavaScript: ${bad} at ${at}`).toBeNull();
      }
    }
  });

  it('take the JavaScript path, with the same results, where there is no WebAssembly', async () => {
    vi.resetModules();
    vi.stubGlobal('WebAssembly', undefined);
    try {
      const dense = await import('../../src/main/dsp/median-dense');
      expect(dense.denseWasmAvailable()).toBe(false);
      const x = SIGNALS.spikes!(40_000, rng(9));
      expect(firstDifference(dense.cascadedMedianDense(x, [73, 217])!, naiveCascade(x, [73, 217]))).toBe(-1);
      expect(dense.denseBlockCount()).toBe(2);
      expect(dense.denseWasmBlockCount()).toBe(0);
    } finally {
      vi.unstubAllGlobals();
      vi.resetModules();
    }
  });

  it('run the module built from the committed WebAssembly text (npm run build:wasm)', async () => {
    const { wat, bytesTs } = MODULES['median-dense'];
    expect(await readFile(bytesTs, 'utf8')).toBe(await bytesModule(await readFile(wat, 'utf8'), 'median-dense'));
  });
});

// The shipped ONNX models were trained on the output of extractBeatWindows and rhythmWindows as
// they were at commit 5c42c73. Speed work on src/main/dsp and src/main/beats must leave those
// outputs bit-identical, or the models need retraining. This file pins them two ways:
//  - sha256 digests of the model inputs on real records and on the synthetic Holter, computed
//    with the code of 5c42c73 (before the histogram median, the fused filtfilt and the unrolled
//    resampler);
//  - the fast paths against their reference (two-heap median, one pass per biquad) on real ECG.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  butterHighpass,
  butterLowpass,
  cascadedMedian,
  filtfilt,
  filtfilt32,
  filtfilt32Many,
  hasInvalid,
  quantise,
  resample,
  runningMedian,
  runningMedianHeap,
  type Biquad,
  type Sos,
} from '../../src/main/dsp';
import { cascadedMedianDense, denseBlockCount } from '../../src/main/dsp/median-dense';
import { BEAT_FLAG, extractBeatWindows } from '../../src/main/beats';
import { aamiClassOf } from '../../src/main/evaluation';
import { rhythmWindows, RHYTHM_WINDOW_SEC } from '../../src/main/rhythm/windows';
import { synthesize } from '../../src/main/synth';
import { INVALID, StoredLead, openRecord, readAnnotations, toPhysical } from '../../src/main/wfdb';
import { runningMedianCodes } from '../../src/main/dsp/median';
import { dataPath, needData } from '../helpers/data';

const hex = (...a: ArrayBufferView[]): string => {
  const h = createHash('sha256');
  for (const v of a) h.update(new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
  return h.digest('hex').slice(0, 16);
};

function bitsEqual(a: Float32Array, b: Float32Array): boolean {
  if (a.length !== b.length) return false;
  const x = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const y = new Uint32Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

async function load(db: string, name: string): Promise<{ signals: Float32Array[]; fs: number; beats: Int32Array }> {
  const path = dataPath(db, name);
  const rec = await openRecord(path);
  const signals = (await rec.readPhysical(0, rec.nFrames)).slice(0, 2);
  await rec.close();
  const beats = Int32Array.from((await readAnnotations(path, 'atr')).filter((a) => aamiClassOf(a.code) !== null).map((a) => a.sample));
  return { signals, fs: rec.fs, beats };
}

function digests(signals: Float32Array[], fs: number, beats: Int32Array): Record<string, string> {
  const bw = extractBeatWindows(signals, fs, beats);
  const rw = rhythmWindows(signals[0]!, fs, RHYTHM_WINDOW_SEC);
  return {
    windows: hex(bw.windows),
    scale: hex(bw.scale),
    // LEAD0_OFF came later: it chooses a beat's input (single-lead on lead 1), not its window
    rest: hex(
      bw.rr,
      bw.valid,
      bw.flags.map((f) => f & ~BEAT_FLAG.LEAD0_OFF),
      bw.r360
    ),
    rhythm: hex(rw.x),
    rhythmIdx: hex(rw.startSample, rw.start125, rw.nReal),
  };
}

// Computed at 5c42c73 (bench/preproc-digest.ts RECORD gives the same fields).
const REAL: Record<string, Record<string, string>> = {
  'mitdb/100': { windows: '17d62018f1ba9752', scale: 'edd8c69390df153e', rest: 'fc4b3c092cf601b2', rhythm: 'fd8791d193e32fd5', rhythmIdx: 'c6cbe3eaf2d07ac4' },
  'mitdb/208': { windows: '4eed595c3e80c59d', scale: '5ebda9011ad27304', rest: '8cef235e39db75ea', rhythm: '9b7161dcbaf059e5', rhythmIdx: 'c6cbe3eaf2d07ac4' },
  'mitdb/232': { windows: '48dc2cecfd96e2dd', scale: 'ef84545e92fb2661', rest: 'ddd792ce7434dfae', rhythm: 'd96ff61c99f8c9d2', rhythmIdx: 'c6cbe3eaf2d07ac4' },
  'mitdb/203': { windows: '16bc7b12c6977519', scale: 'bab6f6b656d632ce', rest: 'fab9baa1cd53598b', rhythm: '131b326d99657a8d', rhythmIdx: 'c6cbe3eaf2d07ac4' },
  // 250 Hz: the resampling paths (250 -> 360 for beats, 250 -> 125 for rhythm)
  'cudb/cu01': { windows: '6a0e0f5fd6a79610', scale: 'da4f2e233c50ebe2', rest: '9a45a5e392db0df2', rhythm: 'f5c928e8c1854cc9', rhythmIdx: 'a5a66cee7487d122' },
};

// synthesize({ scenario: 'holter', minutes: 30, seed: 1, fs }), leads in mV, N/V/F beats; computed
// with 5c42c73's beat and rhythm windows on the signal of today's synth (its AF f-waves stop before
// the next sinus P wave since 77381fa, which changed the signal, not the windowing).
const SYNTH: Record<number, Record<string, string>> = {
  360: { windows: 'f1524f1d9d5a96d3', scale: 'a5f712902090b467', rhythm: '8ff6200c17c215e7' },
  250: { windows: '66a4c3b467cff372', scale: 'bac68e77cbd4fb35', rhythm: 'bb31d868a4f34e0a' },
};

describe('model inputs are unchanged since the models were trained', () => {
  for (const [rec, want] of Object.entries(REAL)) {
    const [db, name] = rec.split('/') as [string, string];
    it.runIf(needData(`${rec}.hea`))(`${rec}: beat and rhythm windows bit-identical`, async () => {
      const { signals, fs, beats } = await load(db, name);
      expect(digests(signals, fs, beats)).toEqual(want);
    });
  }

  for (const fs of [360, 250]) {
    it(`synthetic 30-min Holter at ${fs} Hz: bit-identical`, () => {
      const r = synthesize({ scenario: 'holter', minutes: 30, seed: 1, fs });
      const signals = r.signals.map((s) => Float32Array.from(s, (v) => v / r.gain));
      const beats = Int32Array.from(r.annotations.filter((a) => a.code === 1 || a.code === 5 || a.code === 8).map((a) => a.sample));
      const d = digests(signals, fs, beats);
      expect({ windows: d.windows, scale: d.scale, rhythm: d.rhythm }).toEqual(SYNTH[fs]);
    });
  }
});

/** filtfilt as at 5c42c73: one pass over the buffer per section and direction. */
function filtfiltReference(sos: Sos, x: Float32Array, pad: number): Float32Array {
  const run = (s: Biquad, y: Float64Array, forward: boolean): void => {
    const { b0, b1, b2, a1, a2 } = s;
    const n = y.length;
    const u = forward ? y[0]! : y[n - 1]!;
    const g = (b0 + b1 + b2) / (1 + a1 + a2);
    let z2 = (b2 - a2 * g) * u;
    let z1 = (b1 - a1 * g) * u + z2;
    for (let c = 0, i = forward ? 0 : n - 1; c < n; c++, i += forward ? 1 : -1) {
      const xi = y[i]!;
      const yi = b0 * xi + z1;
      z1 = b1 * xi - a1 * yi + z2;
      z2 = b2 * xi - a2 * yi;
      y[i] = yi;
    }
  };
  const n = x.length;
  const p = Math.min(n - 1, pad);
  const y = new Float64Array(n + 2 * p);
  for (let i = 0; i < p; i++) y[i] = 2 * x[0]! - x[p - i]!;
  for (let i = 0; i < n; i++) y[p + i] = x[i]!;
  for (let i = 0; i < p; i++) y[p + n + i] = 2 * x[n - 1]! - x[n - 2 - i]!;
  for (const s of sos) run(s, y, true);
  for (const s of sos) run(s, y, false);
  return Float32Array.from(y.subarray(p, p + n));
}

describe('fast paths against their references', () => {
  it.runIf(needData('mitdb/208.hea'))('histogram median = two-heap median on real ECG (both stages, several widths)', async () => {
    const { signals } = await load('mitdb', '208');
    for (const x of signals) {
      const part = x.subarray(0, 120_000);
      expect(quantise(part)).not.toBeNull(); // the rank path is the one under test
      for (const w of [3, 73, 74, 217]) expect(bitsEqual(runningMedian(part, w), runningMedianHeap(part, w))).toBe(true);
      expect(bitsEqual(cascadedMedian(part, [73, 217]), runningMedianHeap(runningMedianHeap(part, 73), 217))).toBe(true);
    }
  });

  it('histogram median = two-heap median on random quantised data, window longer than the signal, ties', () => {
    let s = 7;
    const rnd = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32;
    for (const n of [65, 100, 1000, 5000]) {
      const x = Float32Array.from({ length: n }, () => (Math.floor(rnd() * 40) - 20) / 200);
      for (const w of [1, 5, 73, 2 * n + 1]) expect(bitsEqual(runningMedian(x, w), runningMedianHeap(x, w))).toBe(true);
    }
    // thousands of levels, most absent from any one window: the median jumps across empty blocks
    const y = Float32Array.from({ length: 20_000 }, (_, i) => (i < 5000 ? i : (i % 7 < 3 ? 100 : 4900) + (i % 5)) / 200);
    expect(quantise(y)!.levels.length).toBeGreaterThan(4000);
    // its first 5000 values all distinct, probing quantise gives up and the medians take the dense ranks: the same bits
    expect(quantise(y, true)).toBeNull();
    const blocks = denseBlockCount();
    for (const w of [7, 73, 217]) expect(bitsEqual(runningMedian(y, w), runningMedianHeap(y, w))).toBe(true);
    expect(denseBlockCount() - blocks).toBe(3);
    expect(quantise(y.subarray(4000), true)).not.toBeNull(); // a few hundred values repeated
    // the limit: a 3,073rd distinct value among the first 4,096 samples gives up, the 3,072nd or a later one does not
    const distinct = (k: number, at = 4095) => Float32Array.from({ length: 5000 }, (_, i) => (i < k - 1 ? i + 1 : i === at ? k : 1));
    expect(quantise(distinct(3072), true)).not.toBeNull();
    expect(quantise(distinct(3073), true)).toBeNull();
    expect(quantise(distinct(3073, 4096), true)).not.toBeNull();
  });

  it('ranks many distinct values (a resampled lead) by radix sort: the dense path = two-heap median; NaN and -0 go to the heaps', () => {
    const x = Float32Array.from({ length: 70_000 }, (_, i) => Math.sin(i * 0.001) + i * 1e-7);
    expect(quantise(x)).toBeNull(); // 70 000 distinct values
    expect(cascadedMedianDense(x, [73])).not.toBeNull();
    expect(bitsEqual(runningMedian(x, 73), runningMedianHeap(x, 73))).toBe(true);
    const z = Float32Array.from({ length: 100 }, (_, i) => (i % 3 === 0 ? -0 : i % 5));
    expect(quantise(z)).toBeNull();
    expect(cascadedMedianDense(z, [7])).toBeNull();
    expect(bitsEqual(runningMedian(z, 7), runningMedianHeap(z, 7))).toBe(true);
    const withNaN = Float32Array.from(x.subarray(0, 1000));
    withNaN[500] = NaN;
    expect(cascadedMedianDense(withNaN, [7])).toBeNull();
  });

  it('dense path = nested two-heap medians on random signals: negatives, zeros, ties, ranks far apart, windows longer than the signal, several blocks', () => {
    let s = 11;
    const rnd = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32;
    const heaps = (x: Float32Array, widths: number[]) => widths.reduce((y, w) => runningMedianHeap(y, w), x);
    for (const n of [1, 2, 7, 100, 1000, 30_000, 100_000]) {
      // a wandering baseline with spikes, every tenth value repeated, a run of zeros, magnitudes from 1e-30 to 1e30
      const x = Float32Array.from({ length: n }, (_, i) =>
        i % 10 === 9 ? 0.25 : i > n / 2 && i < n / 2 + 50 ? 0 : i % 97 === 0 ? (rnd() - 0.5) * 1e30 : Math.sin(i * 0.01) * (1 + rnd()) * (i % 2 ? 1e-30 : 1)
      );
      for (const widths of [[1], [3], [73], [74], [73, 217], [2 * n + 1], [5, 1, 301]]) {
        const dense = cascadedMedianDense(x, widths);
        const reach = widths.reduce((sum, w) => sum + (w >> 1), 0);
        if (reach > 8192) expect(dense, `n ${n}, widths ${widths}: heaps for a wide reach`).toBeNull();
        else expect(bitsEqual(dense!, heaps(x, widths)), `n ${n}, widths ${widths}`).toBe(true);
      }
    }
    // on real ECG resampled as a 128-Hz Holter's leads are: the conditioning's two stages
    const y = Float32Array.from({ length: 50_000 }, (_, i) => Math.round(Math.sin(i * 0.002) * 400 + (i % 300 < 10 ? 900 : 0)) / 200);
    const up = resample(y, 128, 360);
    expect(quantise(up)).toBeNull();
    const blocks = denseBlockCount();
    expect(bitsEqual(cascadedMedian(up, [73, 217]), heaps(up, [73, 217]))).toBe(true);
    expect(denseBlockCount() - blocks).toBe(Math.ceil(up.length / 32768)); // cascadedMedian took the dense path
    // windows reaching past a quarter block go to the heaps
    expect(cascadedMedianDense(up, [20_001])).toBeNull();
    expect(bitsEqual(cascadedMedian(up, [20_001]), runningMedianHeap(up, 20_001))).toBe(true);
  });

  it.runIf(needData('mitdb/100.hea'))('fused filtfilt = one pass per section (low-pass and band-pass sections)', async () => {
    const { signals } = await load('mitdb', '100');
    const x = signals[0]!;
    const sos = butterLowpass(360, 35);
    expect(bitsEqual(filtfilt(sos, x, 360), filtfiltReference(sos, x, 360))).toBe(true);
    const three = [...sos, sos[0]!]; // odd count: the last section alone
    expect(bitsEqual(filtfilt(three, x.subarray(0, 50_000), 360), filtfiltReference(three, x.subarray(0, 50_000), 360))).toBe(true);
  });

  it.runIf(needData('mitdb/100.hea'))('two signals through filtfilt32 in one loop = each on its own (even and odd section counts)', async () => {
    const { signals } = await load('mitdb', '100');
    const [a, b] = [signals[0]!.subarray(0, 200_000), signals[1]!.subarray(0, 200_000)];
    const band = [...butterHighpass(180, 8, 2), ...butterLowpass(180, 20, 2)];
    for (const sos of [band, [...band, band[0]!]]) {
      const [ya, yb, yc] = filtfilt32Many(sos, [a, b, a], 180);
      expect(bitsEqual(ya!, filtfilt32(sos, a, 180))).toBe(true);
      expect(bitsEqual(yb!, filtfilt32(sos, b, 180))).toBe(true);
      expect(bitsEqual(yc!, ya!)).toBe(true);
    }
    expect(() => filtfilt32Many(band, [a, b.subarray(1)])).toThrow(/differ in length/);
  });

  it.runIf(needData('mitdb/100.hea'))('physical units by table = by division, invalid samples NaN', async () => {
    const rec = await openRecord(dataPath('mitdb', '100'));
    const [raw] = await rec.readRaw(0, rec.nFrames);
    await rec.close();
    const r = raw as Int16Array;
    r[10] = -32768;
    r[11] = 32767;
    r[12] = -32767;
    for (const spec of [
      { adcGain: 200, baseline: 1024 },
      { adcGain: 0, baseline: 0 },
      { adcGain: 37.3, baseline: -7 },
    ]) {
      const gain = spec.adcGain === 0 ? 200 : spec.adcGain;
      const direct = Float32Array.from(r, (v) => (v === -32768 ? NaN : (v - spec.baseline) / gain));
      const viaTable = toPhysical(r, spec);
      const shared = toPhysical(r, spec, { shared: true });
      expect(shared.buffer).toBeInstanceOf(SharedArrayBuffer);
      expect(Number.isNaN(viaTable[10])).toBe(true);
      viaTable[10] = direct[10] = shared[10] = 0;
      expect(bitsEqual(viaTable, direct)).toBe(true);
      expect(bitsEqual(shared, direct)).toBe(true);
    }
  });

  it('hasInvalid finds NaN and ±Infinity anywhere (block sums and the tail)', () => {
    for (const n of [0, 1, 7, 8, 9, 17, 1000]) {
      const x = Float32Array.from({ length: n }, (_, i) => Math.sin(i));
      expect(hasInvalid(x)).toBe(false);
      for (const bad of [NaN, Infinity, -Infinity])
        for (const at of n ? [0, n >> 1, n - 1] : []) {
          const y = Float32Array.from(x);
          y[at] = bad;
          expect(hasInvalid(y)).toBe(true);
        }
    }
  });

  it('reused working memory leaves no trace between calls: quantise after one that gave up, medians one after another, a stored span into a reused array', () => {
    const levels = (x: Float32Array) => quantise(x)!.levels.length;
    const small = Float32Array.from({ length: 5000 }, (_, i) => (i * 37) % 101);
    const fresh = quantise(small)!;
    expect(quantise(Float32Array.from({ length: 70_000 }, (_, i) => i / 3))).toBeNull(); // gave up with its tables full
    const again = quantise(small)!;
    expect(Array.from(again.codes)).toEqual(Array.from(fresh.codes));
    expect(levels(small)).toBe(101);
    // cascades of one, two and three passes, each against nested heaps, the reused arrays shared by all
    const y = Float32Array.from({ length: 3000 }, (_, i) => 100 + Math.round(50 * Math.sin(i / 9) + ((i * 13) % 7))); // no -0: the rank path
    for (const ws of [[73], [73, 217], [5, 9, 31], [217]]) {
      const heaps = ws.reduce<Float32Array>((z, w) => runningMedianHeap(z, w), y);
      expect(bitsEqual(cascadedMedian(y, ws), heaps)).toBe(true);
    }
    const medianInto = new Float32Array(4000).fill(NaN);
    const m = cascadedMedian(y, [73, 217], medianInto);
    expect(m.buffer).toBe(medianInto.buffer); // the result in the caller's memory
    expect(bitsEqual(m, cascadedMedian(y, [73, 217]))).toBe(true);
    const c = Uint16Array.from({ length: 10 }, (_, i) => i);
    expect(() => runningMedianCodes(c, 3, 10, c)).toThrow(/separate array/);
    const raw = Int16Array.from({ length: 1000 }, (_, i) => (i % 50 === 0 ? INVALID : i - 500));
    const lead = new StoredLead({ samples: raw, adcGain: 200, baseline: 3 });
    const spanInto = new Float32Array(600).fill(7);
    for (const [a, b] of [
      [0, 600],
      [400, 1000],
      [10, 20],
    ] as const) {
      expect(bitsEqual(lead.span(a, b, spanInto), lead.span(a, b))).toBe(true);
      expect(bitsEqual(lead.filledSpan(a, b, spanInto), lead.filledSpan(a, b))).toBe(true);
    }
    expect(lead.span(0, 1000, spanInto)).toHaveLength(1000); // too short to reuse: a new array
  });
});

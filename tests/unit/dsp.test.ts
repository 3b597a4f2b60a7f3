import { describe, expect, it } from 'vitest';
import {
  conditionForBeats,
  conditionInChunks,
  DspError,
  fillInvalid,
  lowpass,
  bandpass,
  mapIndex,
  mapPosition,
  removeBaseline,
  resample,
  resampleBlock,
  resampleInputSpan,
  resampledLength,
  resampleRatio,
  runningMedian,
} from '../../src/main/dsp';

function sine(n: number, fs: number, f: number, amp = 1, phase = 0): Float32Array {
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = amp * Math.sin((2 * Math.PI * f * i) / fs + phase);
  return x;
}

/** Least-squares amplitude of a sinusoid of frequency f in x[a..b). */
function toneAmplitude(x: Float32Array, fs: number, f: number, a: number, b: number): number {
  let c = 0,
    s = 0;
  for (let i = a; i < b; i++) {
    c += x[i]! * Math.cos((2 * Math.PI * f * i) / fs);
    s += x[i]! * Math.sin((2 * Math.PI * f * i) / fs);
  }
  return (2 * Math.hypot(c, s)) / (b - a);
}

function rms(x: Float32Array, a: number, b: number): number {
  let s = 0;
  for (let i = a; i < b; i++) s += x[i]! * x[i]!;
  return Math.sqrt(s / (b - a));
}

describe('resampleRatio / mapIndex', () => {
  it('reduces rates to lowest terms', () => {
    expect(resampleRatio(250, 360)).toEqual({ up: 36, down: 25 });
    expect(resampleRatio(257, 360)).toEqual({ up: 360, down: 257 });
    expect(resampleRatio(1000, 360)).toEqual({ up: 9, down: 25 });
    expect(resampleRatio(128, 360)).toEqual({ up: 45, down: 16 });
    expect(resampleRatio(128.5, 360)).toEqual({ up: 720, down: 257 });
  });
  it('maps indices both ways', () => {
    expect(mapPosition(250, 250, 360)).toBe(360);
    expect(mapIndex(25, 250, 360)).toBe(36);
    for (const i of [0, 1, 7, 1234, 449999]) expect(mapIndex(mapIndex(i, 250, 360), 360, 250)).toBe(i);
    expect(mapIndex(360, 360, 125)).toBe(125);
  });
  it('rejects bad rates', () => {
    expect(() => resample(new Float32Array(10), 0, 360)).toThrow(DspError);
    expect(() => resample(new Float32Array(10), 250, Number.NaN)).toThrow(DspError);
  });
});

describe('resample', () => {
  const cases: [number, number, number][] = [
    [250, 360, 17],
    [257, 360, 23],
    [128, 360, 9],
    [300, 360, 31],
    [500, 360, 41],
    [1000, 360, 12],
    [360, 125, 20],
  ];
  for (const [from, to, f] of cases) {
    it(`${from} -> ${to} Hz keeps a ${f} Hz sine's frequency and amplitude`, () => {
      const n = from * 10;
      const y = resample(sine(n, from, f, 1.5, 0.3), from, to);
      expect(y.length).toBe(resampledLength(n, from, to));
      expect(Math.abs(y.length - (n * to) / from)).toBeLessThanOrEqual(1);
      // compare with the ideal sine sampled at `to`, away from the ends
      const a = to,
        b = y.length - to;
      let err = 0;
      for (let j = a; j < b; j++) err = Math.max(err, Math.abs(y[j]! - 1.5 * Math.sin((2 * Math.PI * f * j) / to + 0.3)));
      expect(err).toBeLessThan(2e-3);
      expect(toneAmplitude(y, to, f, a, b)).toBeCloseTo(1.5, 2);
    });
  }
  it('attenuates a tone above the new Nyquist by at least 40 dB (360 -> 125 Hz, 100 Hz tone)', () => {
    const y = resample(sine(3600, 360, 100), 360, 125);
    const att = 20 * Math.log10(rms(y, 125, y.length - 125) / Math.SQRT1_2);
    expect(att).toBeLessThan(-40);
  });
  it('attenuates an alias-prone tone by at least 40 dB (1000 -> 360 Hz, 230 Hz tone)', () => {
    const y = resample(sine(10000, 1000, 230), 1000, 360);
    expect(20 * Math.log10(rms(y, 360, y.length - 360) / Math.SQRT1_2)).toBeLessThan(-40);
  });
  it('has no group delay: a pulse at sample k lands at k * to / from', () => {
    const from = 250,
      to = 360,
      k = 1000;
    const x = new Float32Array(2000);
    for (let i = 0; i < x.length; i++) x[i] = Math.exp(-(((i - k) / 6) ** 2));
    const y = resample(x, from, to);
    let m = 0;
    for (let j = 1; j < y.length; j++) if (y[j]! > y[m]!) m = j;
    const p = m + (0.5 * (y[m - 1]! - y[m + 1]!)) / (y[m - 1]! - 2 * y[m]! + y[m + 1]!);
    expect(Math.abs(p - (k * to) / from)).toBeLessThan(0.02);
  });
  it('gives the same output in chunks as in one call', () => {
    const from = 257,
      to = 360,
      n = 5000;
    const x = new Float32Array(n);
    for (let i = 0; i < n; i++) x[i] = Math.sin(i * 0.05) + 0.3 * Math.sin(i * 0.71) + (i % 97 === 0 ? 2 : 0);
    const whole = resample(x, from, to);
    const parts: number[] = [];
    for (let o = 0; o < whole.length; o += 1111) {
      const e = Math.min(whole.length, o + 1111);
      const span = resampleInputSpan(o, e, from, to, n);
      parts.push(...resampleBlock(x.slice(span.start, span.end), span.start, n, from, to, o, e));
    }
    expect(Float32Array.from(parts)).toEqual(whole);
  });
  it('gives each of the four outputs summed at a time its own phase and input, as one at a time (ends included)', () => {
    for (const [from, to] of [
      [128, 360],
      [360, 125],
      [250, 360],
      [1000, 360],
      [257, 360],
    ] as const) {
      const n = 3 * from + 7;
      const x = new Float32Array(n);
      for (let i = 0; i < n; i++) x[i] = Math.sin(i * 0.37) + 0.01 * (i % 13);
      const whole = resample(x, from, to);
      const single = Float32Array.from(whole, (_, j) => resampleBlock(x, 0, n, from, to, j, j + 1)[0]!);
      expect(new Uint32Array(whole.buffer)).toEqual(new Uint32Array(single.buffer));
    }
  });
  it('interpolates invalid samples instead of spreading NaN', () => {
    const x = sine(2500, 250, 5);
    for (let i = 1000; i < 1010; i++) x[i] = Number.NaN;
    const y = resample(x, 250, 360);
    expect(y.every((v) => Number.isFinite(v))).toBe(true);
  });
});

describe('runningMedian', () => {
  it('matches a brute-force median with edge hold', () => {
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (const w of [1, 3, 5, 8, 73, 217]) {
      const n = 1500;
      const x = new Float32Array(n);
      for (let i = 0; i < n; i++) x[i] = Math.round(rnd() * 20); // many ties
      const y = runningMedian(x, w);
      const h = Math.floor(w / 2);
      for (let i = 0; i < n; i += 1) {
        const win: number[] = [];
        for (let k = i - h; k <= i + h; k++) win.push(x[Math.min(n - 1, Math.max(0, k))]!);
        win.sort((a, b) => a - b);
        expect(y[i]).toBe(win[h]);
      }
    }
  });
  it('rejects a non-integer window', () => {
    expect(() => runningMedian(new Float32Array(5), 2.5)).toThrow(DspError);
  });
});

/** Synthetic "ECG": narrow Gaussian QRS of height 1 every second plus a T wave. */
function spikes(n: number, fs: number): Float32Array {
  const x = new Float32Array(n);
  for (let c = Math.round(fs / 2); c < n; c += fs) {
    for (let i = Math.max(0, c - fs / 5); i < Math.min(n, c + fs / 2); i++) {
      x[i] += Math.exp(-(((i - c) / (0.012 * fs)) ** 2)) + 0.25 * Math.exp(-(((i - c - 0.3 * fs) / (0.05 * fs)) ** 2));
    }
  }
  return x;
}

describe('removeBaseline', () => {
  it('removes a 0.3 Hz wander and keeps the QRS amplitude', () => {
    const fs = 360,
      n = fs * 20;
    const clean = spikes(n, fs);
    const wander = sine(n, fs, 0.3, 0.5);
    const x = new Float32Array(n);
    for (let i = 0; i < n; i++) x[i] = clean[i]! + wander[i]!;
    const y = removeBaseline(x, fs);
    // between beats (flat parts of `clean`) the output is near 0
    let worst = 0;
    for (let c = fs * 2; c < n - fs * 2; c += fs) worst = Math.max(worst, Math.abs(y[c + Math.round(0.45 * fs)]!));
    expect(worst).toBeLessThan(0.05);
    // QRS peaks keep their height within 5 %
    for (let c = fs * 2 + fs / 2; c < n - fs * 2; c += fs) expect(Math.abs(y[c]! - 1)).toBeLessThan(0.05);
    // and the wander's own component is gone: residual at 0.3 Hz below 2 % of its input
    expect(toneAmplitude(y, fs, 0.3, fs * 2, n - fs * 2) / 0.5).toBeLessThan(0.02);
  });
});

describe('zero-phase filters', () => {
  it('lowpass keeps 5 Hz in phase and kills 60 Hz', () => {
    const fs = 360,
      n = fs * 10;
    const x = new Float32Array(n);
    const a = sine(n, fs, 5),
      b = sine(n, fs, 60);
    for (let i = 0; i < n; i++) x[i] = a[i]! + b[i]!;
    const y = lowpass(x, fs, 35);
    let err = 0;
    for (let i = fs; i < n - fs; i++) err = Math.max(err, Math.abs(y[i]! - a[i]!));
    expect(err).toBeLessThan(0.02);
    expect(toneAmplitude(y, fs, 60, fs, n - fs)).toBeLessThan(0.02);
  });
  it('bandpass 5-15 Hz passes 10 Hz and rejects 0.5 and 50 Hz', () => {
    const fs = 250,
      n = fs * 20;
    const x = new Float32Array(n);
    const s = [sine(n, fs, 0.5), sine(n, fs, 10), sine(n, fs, 50)];
    for (let i = 0; i < n; i++) x[i] = s[0]![i]! + s[1]![i]! + s[2]![i]!;
    const y = bandpass(x, fs, 5, 15);
    // Butterworth magnitude squared twice (zero phase): 1/(1+(5/10)^4) * 1/(1+(10/15)^4) = 0.785
    expect(toneAmplitude(y, fs, 10, fs * 4, n - fs * 4)).toBeCloseTo(0.785, 1);
    expect(toneAmplitude(y, fs, 0.5, fs * 4, n - fs * 4)).toBeLessThan(0.02);
    expect(toneAmplitude(y, fs, 50, fs * 4, n - fs * 4)).toBeLessThan(0.02);
  });
  it('rejects a cutoff above Nyquist', () => {
    expect(() => lowpass(new Float32Array(100), 100, 60)).toThrow(DspError);
  });
});

describe('conditionForBeats', () => {
  it('survives NaN runs and gives the whole-record result in chunks', async () => {
    const fs = 360,
      n = fs * 60;
    const x = spikes(n, fs);
    const w = sine(n, fs, 0.2, 0.5);
    for (let i = 0; i < n; i++) x[i] += w[i]!;
    for (let i = 5000; i < 5100; i++) x[i] = Number.NaN;
    const whole = conditionForBeats(x, fs);
    expect(whole.every((v) => Number.isFinite(v))).toBe(true);
    const out = new Float32Array(n);
    const filled = fillInvalid(x);
    await conditionInChunks(
      (a, b) => filled.slice(a, b),
      n,
      fs,
      (from, y) => out.set(y, from),
      7
    );
    let err = 0;
    for (let i = 0; i < n; i++) err = Math.max(err, Math.abs(out[i]! - whole[i]!));
    expect(err).toBeLessThan(1e-4);
  });
});

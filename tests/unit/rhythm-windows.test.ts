import { describe, expect, it } from 'vitest';
import {
  RHYTHM_AF,
  RHYTHM_NOISE,
  RHYTHM_OTHER,
  RHYTHM_SKIP,
  RHYTHM_VT,
  labelWindows,
  rhythmClassOfAux,
  rhythmClassOfCinc,
  rhythmIntervals,
} from '../../src/main/rhythm/labels';
import { RHYTHM_CLIP, RHYTHM_FS, RHYTHM_WINDOW, rhythmSignal, rhythmWindows, windowStarts } from '../../src/main/rhythm/windows';

function ecgLike(n: number, fs: number, hz = 1.2, amp = 1): Float32Array {
  const x = new Float32Array(n);
  const period = fs / hz;
  for (let i = 0; i < n; i++) {
    const ph = (i % period) - period / 2;
    x[i] = amp * Math.exp(-0.5 * (ph / (0.012 * fs)) ** 2) + 0.05 * Math.sin(i * 0.37) + 0.5 * Math.sin((2 * Math.PI * 0.1 * i) / fs);
  }
  return x;
}

describe('rhythmWindows', () => {
  it('cuts 10 s windows at 125 Hz with the given stride and covers the end', () => {
    const fs = 360;
    const x = ecgLike(fs * 32, fs);
    const w = rhythmWindows(x, fs, 5);
    // 32 s at 125 Hz = 4000 samples: starts 0, 625, 1250, 1875, 2500, then 2750 ending at the record's end
    expect(Array.from(w.start125)).toEqual([0, 625, 1250, 1875, 2500, 2750]);
    expect(Array.from(w.startSample)).toEqual([0, 1800, 3600, 5400, 7200, 7920]);
    expect(w.x.length).toBe(6 * RHYTHM_WINDOW);
    expect(RHYTHM_FS * 10).toBe(RHYTHM_WINDOW);
  });

  it('normalises each window to median 0 and unit MAD, clipped', () => {
    const fs = 250;
    const x = ecgLike(fs * 20, fs, 1.2, 5);
    const w = rhythmWindows(x, fs, 10);
    const win = Float32Array.from(w.x.subarray(0, RHYTHM_WINDOW)).sort();
    expect(Math.abs(win[RHYTHM_WINDOW >> 1]!)).toBeLessThan(1e-5);
    const dev = Float32Array.from(w.x.subarray(0, RHYTHM_WINDOW), (v) => Math.abs(v)).sort();
    expect(dev[RHYTHM_WINDOW >> 1]! * 1.4826).toBeGreaterThan(0.97);
    expect(dev[RHYTHM_WINDOW >> 1]! * 1.4826).toBeLessThan(1.03);
    expect(Math.max(...w.x)).toBeLessThanOrEqual(RHYTHM_CLIP);
    // gain does not matter
    const w2 = rhythmWindows(
      x.map((v) => v / 5),
      fs,
      10
    );
    let worst = 0;
    for (let i = 0; i < w.x.length; i++) worst = Math.max(worst, Math.abs(w.x[i]! - w2.x[i]!));
    expect(worst).toBeLessThan(1e-3);
  });

  it('removes baseline wander and keeps the heart-rate fundamental (0.5-40 Hz band)', () => {
    const fs = 300;
    const n = fs * 10;
    const slow = Float32Array.from({ length: n }, (_, i) => Math.sin((2 * Math.PI * 0.05 * i) / fs));
    const w = rhythmWindows(slow, fs, 5);
    // a 0.05 Hz wave is almost gone before normalisation: the MAD floor then keeps it small
    expect(Math.max(...w.x.map(Math.abs))).toBeLessThan(RHYTHM_CLIP);
    const beat = rhythmWindows(ecgLike(n, fs), fs, 5);
    expect(Math.max(...beat.x)).toBeGreaterThan(5);
  });

  it('filters in chunks exactly as in one piece', () => {
    const fs = 360;
    const x = ecgLike(fs * 90, fs);
    const whole = rhythmSignal(x, fs, 600);
    const chunked = rhythmSignal(x, fs, 7);
    expect(chunked.length).toBe(90 * RHYTHM_FS);
    let worst = 0;
    for (let i = 0; i < whole.length; i++) worst = Math.max(worst, Math.abs(whole[i]! - chunked[i]!));
    expect(worst).toBeLessThan(1e-4);
    const w1 = rhythmWindows(x, fs, 5, 600);
    const w2 = rhythmWindows(x, fs, 5, 12);
    expect(Array.from(w2.start125)).toEqual(Array.from(w1.start125));
    let worstW = 0;
    for (let i = 0; i < w1.x.length; i++) worstW = Math.max(worstW, Math.abs(w1.x[i]! - w2.x[i]!));
    expect(worstW).toBeLessThan(1e-3);
  });

  it('zero-pads a record shorter than 10 s into one window', () => {
    const fs = 300;
    const w = rhythmWindows(ecgLike(fs * 9, fs), fs, 5);
    expect(w.start125.length).toBe(1);
    expect(w.nReal[0]).toBe(1125);
    expect(w.x.subarray(1125).every((v) => v === 0)).toBe(true);
    expect(w.x.subarray(0, 1125).some((v) => v !== 0)).toBe(true);
    expect(Array.from(windowStarts(1250, 625))).toEqual([0]);
    expect(Array.from(windowStarts(1251, 625))).toEqual([0, 1]);
  });
});

describe('rhythm labels', () => {
  it('maps annotations and CinC labels to the four classes', () => {
    expect(rhythmClassOfAux('(AFIB')).toBe(RHYTHM_AF);
    expect(rhythmClassOfAux('(AFL')).toBe(RHYTHM_OTHER);
    expect(rhythmClassOfAux('(N\0')).toBe(RHYTHM_OTHER);
    for (const a of ['(VT', '(VFL', '(VF', '(VFIB']) expect(rhythmClassOfAux(a)).toBe(RHYTHM_VT);
    expect(rhythmClassOfAux('(NOISE')).toBe(RHYTHM_NOISE);
    expect(['N', 'A', 'O', '~'].map(rhythmClassOfCinc)).toEqual([RHYTHM_OTHER, RHYTHM_AF, RHYTHM_OTHER, RHYTHM_NOISE]);
    expect(() => rhythmClassOfCinc('X')).toThrow(/unknown/);
  });

  it('builds intervals from rhythm changes and VF episode markers', () => {
    const iv = rhythmIntervals([
      { sample: 10, mnemonic: '+', aux: '(N' },
      { sample: 50, mnemonic: 'N', aux: '' },
      { sample: 1000, mnemonic: '+', aux: '(AFIB' },
      { sample: 2000, mnemonic: '[', aux: '' },
      { sample: 2500, mnemonic: ']', aux: '' },
      { sample: 3000, mnemonic: '+', aux: '(N' },
    ]);
    expect(Array.from(iv.start)).toEqual([0, 1000, 2000, 2500, 3000]);
    expect(Array.from(iv.cls)).toEqual([RHYTHM_OTHER, RHYTHM_AF, RHYTHM_VT, RHYTHM_AF, RHYTHM_OTHER]);
    const cu = rhythmIntervals([{ sample: 0, mnemonic: '[', aux: '' }]);
    expect(Array.from(cu.start)).toEqual([0]);
    expect(Array.from(cu.cls)).toEqual([RHYTHM_VT]);
  });

  it('labels a window by the class covering at least half of it, else skips it', () => {
    const iv = { start: Int32Array.of(0, 1000, 1600, 2000), cls: Uint8Array.of(RHYTHM_OTHER, RHYTHM_AF, RHYTHM_VT, RHYTHM_NOISE) };
    const starts = Int32Array.of(0, 500, 600, 1000, 1300, 1500, 2000);
    // [0,1000) other; [500,1500) 500 other + 500 AF: tie -> AF; [600,1600) 400/600 -> AF;
    // [1000,2000) AF 600 -> AF; [1300,2300) AF 300 VT 400 noise 300 -> skip; [1500,2500) noise 500 -> noise;
    // [2000,3000) noise
    expect(Array.from(labelWindows(iv, starts, 1000))).toEqual([RHYTHM_OTHER, RHYTHM_AF, RHYTHM_AF, RHYTHM_AF, RHYTHM_SKIP, RHYTHM_NOISE, RHYTHM_NOISE]);
  });
});

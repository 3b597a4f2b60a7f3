import { describe, expect, it } from 'vitest';
import {
  BEAT_FLAG,
  BEAT_WINDOW,
  N_RR,
  R_INDEX,
  RR_FEATURES,
  extractBeatWindows,
  intervalsOverLeadOff,
  LEAD_OFF_RUN_SEC,
  matchNearest,
  rrFeatures,
} from '../../src/main/beats';
import { runningMedianOf } from '../../src/main/beats/stats';
import { medianInPlace, medianInRange, rangeMedianWork, selectKth } from '../../src/main/dsp/select';
import { asLead } from '../../src/main/dsp';

const ROW = 2 * BEAT_WINDOW;

/** A QRS-like Gaussian pulse (sigma 10 ms) of height `amp` mV at each peak, plus a slow baseline. */
function pulses(n: number, fs: number, peaks: number[], amp = 1, baselineMv = 0.3): Float32Array {
  const x = new Float32Array(n);
  const sigma = 0.01 * fs;
  for (let i = 0; i < n; i++) x[i] = baselineMv * Math.sin((2 * Math.PI * 0.3 * i) / fs);
  for (const p of peaks) {
    for (let k = Math.max(0, Math.floor(p - 6 * sigma)); k < Math.min(n, p + 6 * sigma); k++) x[k]! += amp * Math.exp(-0.5 * ((k - p) / sigma) ** 2);
  }
  return x;
}

function argmax(a: Float32Array, from: number, len: number): number {
  let best = from;
  for (let i = from; i < from + len; i++) if (a[i]! > a[best]!) best = i;
  return best - from;
}

describe('extractBeatWindows', () => {
  const fs = 250;
  const peaks = [1000, 1200, 1400, 1600, 1850, 2050];
  const n = 3000;
  const lead0 = pulses(n, fs, peaks, 1.2);
  const lead1 = pulses(n, fs, peaks, -0.5);
  const r = Int32Array.from(peaks);

  it('puts the R peak of a 250 Hz record at index 90 of the 360 Hz window', () => {
    const b = extractBeatWindows([lead0, lead1], fs, r);
    expect(b.windows.length).toBe(peaks.length * ROW);
    expect(b.r360[0]).toBe(1440);
    for (let i = 0; i < peaks.length; i++) {
      expect(argmax(b.windows, i * ROW, BEAT_WINDOW)).toBe(R_INDEX);
      // lead 1 is inverted: its minimum is at R
      const neg = b.windows.subarray(i * ROW + BEAT_WINDOW, (i + 1) * ROW).map((v) => -v);
      expect(argmax(neg, 0, BEAT_WINDOW)).toBe(R_INDEX);
      expect(b.valid[i]).toBe(1);
      expect(b.flags[i]).toBe(0);
    }
    expect(b.singleLead).toBe(false);
  });

  it('normalises amplitude: median 0, the dominant QRS about 1, and invariant to the record gain', () => {
    const b = extractBeatWindows([lead0, lead1], fs, r);
    const b3 = extractBeatWindows([lead0.map((v) => 3 * v), lead1.map((v) => 3 * v)], fs, r);
    const w = b.windows.subarray(0, BEAT_WINDOW);
    const sorted = Float32Array.from(w).sort();
    expect(Math.abs(sorted[BEAT_WINDOW >> 1]!)).toBeLessThan(1e-6);
    expect(w[R_INDEX]).toBeGreaterThan(0.8);
    expect(w[R_INDEX]).toBeLessThan(1.05);
    for (let i = 0; i < b.windows.length; i++) expect(Math.abs(b3.windows[i]! - b.windows[i]!)).toBeLessThan(1e-4);
    expect(b3.scale[0]! / b.scale[0]!).toBeCloseTo(3, 3);
    expect(b.scale[1]).toBeGreaterThan(0.3); // lead 1: 0.5 mV pulses, low-passed
  });

  it('keeps a beat twice as tall as its neighbours twice as tall', () => {
    const many = Array.from({ length: 40 }, (_, i) => 500 + i * 200);
    const x = pulses(9000, fs, many, 1);
    const big = pulses(9000, fs, [many[20]!], 1); // beat 20 gets 2 mV
    for (let i = 0; i < x.length; i++) x[i]! += big[i]! - 0.3 * Math.sin((2 * Math.PI * 0.3 * i) / fs);
    const b = extractBeatWindows([x, x], fs, Int32Array.from(many));
    const ratio = b.windows[20 * ROW + R_INDEX]! / b.windows[19 * ROW + R_INDEX]!;
    expect(ratio).toBeGreaterThan(1.9);
    expect(ratio).toBeLessThan(2.1);
  });

  it('gives the same windows whatever the chunk length', () => {
    const a = extractBeatWindows([lead0, lead1], fs, r, { chunkSec: 1.3 });
    const b = extractBeatWindows([lead0, lead1], fs, r, { chunkSec: 300 });
    let worst = 0;
    for (let i = 0; i < a.windows.length; i++) worst = Math.max(worst, Math.abs(a.windows[i]! - b.windows[i]!));
    expect(worst).toBeLessThan(1e-5);
  });

  it('pads and flags beats whose window runs off the record', () => {
    const b = extractBeatWindows([lead0, lead1], fs, Int32Array.of(10, 1000, n - 20));
    expect(Array.from(b.valid)).toEqual([0, 1, 0]);
    expect(b.flags[0]! & BEAT_FLAG.EDGE).toBe(BEAT_FLAG.EDGE);
    // left padding repeats the first conditioned sample
    const first = b.windows[0]!;
    for (let t = 0; t < R_INDEX - 15; t++) expect(b.windows[t]).toBe(first);
    expect(b.windows.every(Number.isFinite)).toBe(true);
  });

  it('copies lead 0 into lead 1 on a single-lead record and flags it', () => {
    const b = extractBeatWindows([lead0], fs, r);
    expect(b.singleLead).toBe(true);
    for (let i = 0; i < peaks.length; i++) {
      expect(b.flags[i]! & BEAT_FLAG.LEAD1_COPIED).toBe(BEAT_FLAG.LEAD1_COPIED);
      expect(Array.from(b.windows.subarray(i * ROW + BEAT_WINDOW, (i + 1) * ROW))).toEqual(Array.from(b.windows.subarray(i * ROW, i * ROW + BEAT_WINDOW)));
    }
    const two = extractBeatWindows([lead0, lead1], fs, r);
    expect(Array.from(b.windows.subarray(0, BEAT_WINDOW))).toEqual(Array.from(two.windows.subarray(0, BEAT_WINDOW)));
  });

  it('survives NaN samples and refuses unsorted peaks', () => {
    const x = Float32Array.from(lead0);
    x.fill(NaN, 1500, 1520);
    const b = extractBeatWindows([x, lead1], fs, r);
    expect(b.windows.every(Number.isFinite)).toBe(true);
    expect(() => extractBeatWindows([lead0], fs, Int32Array.of(5, 5))).toThrow(/strictly increasing/);
    expect(() => extractBeatWindows([], fs, r)).toThrow(/no signal/);
  });

  it('handles no beats', () => {
    const b = extractBeatWindows([lead0, lead1], fs, new Int32Array(0));
    expect(b.windows.length).toBe(0);
    expect(b.rr.length).toBe(0);
  });
});

describe('rrFeatures', () => {
  it('computes the features of a known sequence, in seconds', () => {
    const fs = 360;
    // RR: 1, 1, 1.5, 0.5 s
    const f = rrFeatures(Int32Array.of(0, 360, 720, 1260, 1440), fs, { localBeats: 3 });
    const row = (i: number) => Object.fromEntries(RR_FEATURES.map((k, j) => [k, f[i * N_RR + j]!]));
    expect(f.length).toBe(5 * N_RR);
    // first beat: no previous RR, so preRR = postRR
    expect(row(0).preRR).toBeCloseTo(1, 6);
    expect(row(0).postOverPre).toBeCloseTo(1, 6);
    expect(row(3).preRR).toBeCloseTo(1.5, 6);
    expect(row(3).postRR).toBeCloseTo(0.5, 6);
    expect(row(3).localRR).toBeCloseTo((1 + 1 + 1.5) / 3, 6);
    expect(row(4).localRR).toBeCloseTo((1 + 1.5 + 0.5) / 3, 6);
    expect(row(3).avgRR).toBeCloseTo(1, 6); // 4 s over 4 intervals
    expect(row(3).preOverLocal).toBeCloseTo(1.5 / (3.5 / 3), 5);
    expect(row(3).postOverPre).toBeCloseTo(0.5 / 1.5, 6);
    expect(row(4).preOverAvg).toBeCloseTo(0.5, 6);
    // last beat: no next RR, so postRR = preRR
    expect(row(4).postRR).toBeCloseTo(0.5, 6);
  });

  it('uses a centred running window for the long average', () => {
    // 100 beats at 1 s then 100 beats at 0.5 s; a 20 s window sees only the local rate far from the change
    const peaks: number[] = [];
    let t = 0;
    for (let i = 0; i < 200; i++) {
      peaks.push(t);
      t += i < 100 ? 100 : 50;
    }
    const f = rrFeatures(Int32Array.from(peaks), 100, { avgWindowSec: 20 });
    expect(f[30 * N_RR + 3]).toBeCloseTo(1, 6);
    expect(f[180 * N_RR + 3]).toBeCloseTo(0.5, 6);
  });

  it('leaves out an interval marked unknown (every lead off across it): missing as at the ends, out of the averages', () => {
    const fs = 360;
    // RR 1, 1, 8 (across a lead-off stretch), 1, 1 s
    const peaks = Int32Array.of(0, 360, 720, 3600, 3960, 4320);
    const unknown = Uint8Array.of(0, 0, 0, 1, 0, 0);
    const f = rrFeatures(peaks, fs, {}, unknown);
    const row = (i: number) => Object.fromEntries(RR_FEATURES.map((k, j) => [k, f[i * N_RR + j]!]));
    expect(row(2).postRR).toBeCloseTo(1, 6); // beat before the stretch: as a last beat
    expect(row(3).preRR).toBeCloseTo(1, 6); // beat after it: as a first beat
    expect(row(3).postOverPre).toBeCloseTo(1, 6);
    for (let i = 0; i < 6; i++) {
      expect(row(i).localRR).toBeCloseTo(1, 6);
      expect(row(i).avgRR).toBeCloseTo(1, 6);
    }
    // without the mark the 8-s interval makes the beat after it late and its neighbours premature
    const g = rrFeatures(peaks, fs);
    expect(g[3 * N_RR]).toBeCloseTo(8, 6);
    expect(g[4 * N_RR + 4]).toBeLessThan(0.5);
    // a beat with no known interval either side gets the long average
    const lone = rrFeatures(Int32Array.of(0, 360, 720, 3600, 6480, 6840), fs, {}, Uint8Array.of(0, 0, 0, 1, 1, 0));
    expect(lone[3 * N_RR]).toBeCloseTo(1, 6);
    expect(lone[3 * N_RR + 1]).toBeCloseTo(1, 6);
  });

  it('starts the local average afresh after an unknown interval, as at the start of a record', () => {
    const fs = 360;
    // ten intervals of 0.5 s, 10 s unknown, then 1 s intervals: the rate changed while the leads were off
    const peaks = Int32Array.from([...Array.from({ length: 11 }, (_, i) => i * 180), 5400, 5760, 6120, 6480]);
    const unknown = new Uint8Array(peaks.length);
    unknown[11] = 1;
    const f = rrFeatures(peaks, fs, {}, unknown);
    for (const i of [11, 12, 13]) {
      expect(f[i * N_RR + 2]).toBeCloseTo(1, 6); // localRR: the intervals after the stretch only
      expect(f[i * N_RR + 4]).toBeCloseTo(1, 6); // preOverLocal: not premature, not late
    }
  });

  it('gives the same features with no interval marked as without marks', () => {
    const peaks = Int32Array.from({ length: 500 }, (_, i) => i * 300 + Math.round(80 * Math.sin(i * 1.7)));
    expect(rrFeatures(peaks, 360, {}, new Uint8Array(500))).toEqual(rrFeatures(peaks, 360));
  });

  it('survives one beat and no beat', () => {
    expect(Array.from(rrFeatures(Int32Array.of(100), 360))).toEqual([0.8, 0.8, 0.8, 0.8, 1, 1, 1].map((v) => Math.fround(v)));
    expect(rrFeatures(new Int32Array(0), 360).length).toBe(0);
  });
});

describe('intervalsOverLeadOff', () => {
  const fs = 100;
  const ecg = (sec: number) => Float32Array.from({ length: sec * fs }, (_, i) => 0.5 * Math.sin(i / 3));
  const peaks = Int32Array.of(150, 250, 1250, 1350, 1450);
  it('marks an interval holding two whole seconds in a row flat on every lead, and no other', () => {
    expect(LEAD_OFF_RUN_SEC).toBe(2);
    const a = ecg(16);
    const b = ecg(16);
    a.fill(0.2, 300, 1200); // 9 s of a constant level: seconds 3..11 flat
    expect(Array.from(intervalsOverLeadOff([asLead(a)], fs, peaks))).toEqual([0, 0, 1, 0, 0]);
    expect(Array.from(intervalsOverLeadOff([asLead(a), asLead(b)], fs, peaks))).toEqual([0, 0, 0, 0, 0]); // lead 1 live
    b.fill(NaN, 400, 470); // lead 1 invalid over most of seconds 4 and 5
    b.fill(NaN, 500, 570);
    expect(Array.from(intervalsOverLeadOff([asLead(a), asLead(b)], fs, peaks))).toEqual([0, 0, 1, 0, 0]);
  });
  it('needs the flat seconds wholly between the two beats, and two in a row', () => {
    const a = ecg(16);
    a.fill(0, 260, 1240); // flat from 2.6 s to 12.4 s: whole seconds 3..11
    expect(intervalsOverLeadOff([asLead(a)], fs, peaks)[2]).toBe(1);
    const c = ecg(16);
    c.fill(0, 260, 490); // 2.3 s flat but one whole second of the grid only ([300, 400)): a clean pause can be that flat
    expect(intervalsOverLeadOff([asLead(c)], fs, peaks)[2]).toBe(0);
    c.fill(0, 300, 600); // ... and two whole seconds apart ([300, 400) and [500, 600)) are no run
    c.fill(1, 450, 451);
    expect(intervalsOverLeadOff([asLead(c)], fs, peaks)[2]).toBe(0);
  });
});

describe('matchNearest', () => {
  it('matches each detection to the nearest reference beat within the tolerance, one to one', () => {
    const ref = Int32Array.of(100, 400, 700, 1000);
    const det = Int32Array.of(95, 390, 405, 760, 1300);
    expect(Array.from(matchNearest(det, ref, 54))).toEqual([0, -1, 1, -1, -1]);
    expect(Array.from(matchNearest(det, ref, 100))).toEqual([0, -1, 1, 2, -1]);
  });
});

describe('order statistics', () => {
  it('selects the k-th value and a running median', () => {
    const a = Float64Array.of(5, 1, 4, 2, 3);
    expect(selectKth(Float64Array.from(a), 5, 0)).toBe(1);
    expect(selectKth(Float64Array.from(a), 5, 2)).toBe(3);
    expect(selectKth(Float64Array.from(a), 5, 4)).toBe(5);
    const v = Float32Array.of(1, 9, 2, 8, 3, 7, 4);
    expect(Array.from(runningMedianOf(v, 3))).toEqual([9, 2, 8, 3, 7, 4, 7]);
    expect(Array.from(runningMedianOf(v, 99))).toEqual(new Array(7).fill(4));
  });

  it('takes the median by selection as a sort would give it, odd and even lengths, ties included', () => {
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
    for (const n of [1, 2, 3, 8, 9, 216, 360, 1250]) {
      for (const levels of [3, 50, 1e9]) {
        const v = Float64Array.from({ length: n }, () => Math.floor(rand() * levels) / 7);
        const s = Float64Array.from(v).sort();
        const sorted = n % 2 ? s[(n - 1) >> 1]! : 0.5 * (s[n / 2 - 1]! + s[n / 2]!);
        expect(medianInPlace(Float64Array.from(v), n)).toBe(sorted);
      }
    }
    expect(medianInPlace(Float64Array.of(4, 1, 3, 2), 4)).toBe(2.5);
    expect(medianInPlace(new Float64Array(3), 0)).toBeNaN();
  });

  it('takes the median within a known range as selection does, leaving the values in place', () => {
    let seed = 11;
    const rand = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
    const work = rangeMedianWork(1250);
    let lowerFromBelow = 0;
    for (const n of [1, 2, 3, 4, 9, 128, 360, 1250]) {
      for (const shape of ['levels', 'spread', 'spike', 'equal'] as const) {
        for (let rep = 0; rep < 20; rep++) {
          // 'spike': a few far values, so most samples share the middle bucket; 'levels': ties
          const v = Float64Array.from({ length: n }, (_, i) =>
            shape === 'equal'
              ? 0.25
              : shape === 'levels'
                ? Math.floor(rand() * 6) / 4
                : shape === 'spike' && i % 50 === 0
                  ? 3 + rand()
                  : rand() * (shape === 'spike' ? 0.01 : 2) - 1
          );
          const lo = Math.min(...v);
          const hi = Math.max(...v);
          const before = Float64Array.from(v);
          const want = medianInPlace(Float64Array.from(v), n);
          expect(medianInRange(v, n, lo, hi, work)).toBe(want);
          expect(v).toEqual(before);
          // the even case whose lower middle value sits in a bucket below the upper one
          const s = Float64Array.from(v).sort();
          if (
            n % 2 === 0 &&
            s[n / 2 - 1]! < s[n / 2]! &&
            Math.floor(((s[n / 2 - 1]! - lo) * 256) / (hi - lo)) < Math.floor(((s[n / 2]! - lo) * 256) / (hi - lo))
          )
            lowerFromBelow++;
        }
      }
    }
    expect(lowerFromBelow).toBeGreaterThan(10);
    expect(medianInRange(Float64Array.of(1, 5), 2, 1, 5, work)).toBe(3);
    expect(medianInRange(new Float64Array(4), 0, 0, 0, work)).toBeNaN();
  });
});

import { describe, expect, it } from 'vitest';
import { BEAT_GROUP, BEAT_WINDOW, beatTemplates, beatWindowStream, extractBeatWindows } from '../../src/main/beats';
import { RunningMedianOf, runningMedianOf } from '../../src/main/beats/stats';
import { SHAPE_BLOCK, measureBeats, measureShapes, rrSeconds } from '../../src/main/rules';

const ROW = 2 * BEAT_WINDOW;

/** Bit-for-bit equality of two typed arrays (quicker than a deep toEqual on 10^5 floats). */
function bits(a: ArrayBufferView): string {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
}

/** A 360 Hz two-lead record of `beats` irregular beats (every 7th one taller and early), with drift. */
function record(beats: number): { signals: Float32Array[]; peaks: Int32Array } {
  const fs = 360;
  const peaks: number[] = [];
  for (let t = 200, i = 0; i < beats; i++) {
    peaks.push(t);
    t += i % 7 === 6 ? 200 : 280 + ((i * 37) % 60);
  }
  const n = peaks[peaks.length - 1]! + 300;
  const a = new Float32Array(n);
  const b = new Float32Array(n);
  for (let k = 0; k < n; k++) {
    a[k] = 0.2 * Math.sin((2 * Math.PI * 0.2 * k) / fs) + 0.01 * Math.sin(k);
    b[k] = -0.1 * Math.cos((2 * Math.PI * 0.15 * k) / fs);
  }
  peaks.forEach((p, i) => {
    const amp = (i % 7 === 6 ? 2 : 1) * (1 + 0.3 * Math.sin(i / 300));
    for (let k = Math.max(0, p - 20); k < Math.min(n, p + 20); k++) {
      const g = Math.exp(-0.5 * ((k - p) / 4) ** 2);
      a[k]! += amp * g;
      b[k]! -= 0.5 * amp * g;
    }
  });
  // quantised like ADC samples (200 units per mV), as records are
  for (const x of [a, b]) for (let k = 0; k < n; k++) x[k] = Math.round(x[k]! * 200) / 200;
  return { signals: [a, b], peaks: Int32Array.from(peaks) };
}

describe('beatWindowStream', () => {
  const { signals, peaks } = record(2 * BEAT_GROUP + 300);

  it('hands out every beat once, in order, in groups of BEAT_GROUP (the last one shorter)', () => {
    const s = beatWindowStream(signals, 360, peaks, { chunkSec: 60 });
    const groups = [...s.groups()].map((g) => [g.from, g.count, g.windows.length / ROW]);
    expect(groups).toEqual([
      [0, BEAT_GROUP, BEAT_GROUP],
      [BEAT_GROUP, BEAT_GROUP, BEAT_GROUP],
      [2 * BEAT_GROUP, 300, 300],
    ]);
  });

  it('gives each group the windows, scales and templates of the whole record at once', () => {
    const whole = extractBeatWindows(signals, 360, peaks, { chunkSec: 1e6 });
    const s = beatWindowStream(signals, 360, peaks, { chunkSec: 45 });
    for (const g of s.groups()) {
      expect(bits(g.windows)).toBe(bits(whole.windows.subarray(g.from * ROW, (g.from + g.count) * ROW)));
      // what a consumer reads of the group is final when the group comes out
      expect(bits(s.scale.subarray(2 * g.from, 2 * (g.from + g.count)))).toBe(bits(whole.scale.subarray(2 * g.from, 2 * (g.from + g.count))));
      const blocks = [Math.floor(g.from / 128), Math.ceil((g.from + g.count) / 128)];
      expect(bits(s.templates.templates.subarray(blocks[0]! * ROW, blocks[1]! * ROW))).toBe(
        bits(whole.templates.templates.subarray(blocks[0]! * ROW, blocks[1]! * ROW))
      );
    }
    expect(bits(s.valid)).toBe(bits(whole.valid));
    expect(bits(s.flags)).toBe(bits(whole.flags));
    expect(bits(beatTemplates(whole.windows, whole.rr, whole.valid, peaks.length).templates)).toBe(bits(whole.templates.templates));
  });

  it('streams a record shorter than one amplitude-scale window (all beats wait for the last)', () => {
    const few = record(100);
    const whole = extractBeatWindows(few.signals, 360, few.peaks);
    const s = beatWindowStream(few.signals, 360, few.peaks, { chunkSec: 10 });
    const groups = [...s.groups()];
    expect(groups.map((g) => [g.from, g.count])).toEqual([[0, 100]]);
    expect(bits(groups[0]!.windows)).toBe(bits(whole.windows));
  });

  it("measures each group's QRS shapes as measureBeats does over the whole record (groups are whole dominant-beat blocks)", () => {
    expect(BEAT_GROUP % SHAPE_BLOCK).toBe(0);
    const L = { leads: 2, length: BEAT_WINDOW, rIndex: 90, fs: 360 };
    const whole = extractBeatWindows(signals, 360, peaks);
    const all = measureBeats(whole.windows, whole.valid, rrSeconds(peaks, 360), L);
    const s = beatWindowStream(signals, 360, peaks);
    for (const g of s.groups()) {
      const part = measureShapes(g.windows, s.valid.subarray(g.from, g.from + g.count), L);
      expect(bits(part.qrsMs)).toBe(bits(all.qrsMs.subarray(g.from, g.from + g.count)));
      expect(bits(part.morphCorr)).toBe(bits(all.morphCorr.subarray(g.from, g.from + g.count)));
    }
  });

  it('has nothing to hand out for no beats', () => {
    expect([...beatWindowStream(signals, 360, new Int32Array(0)).groups()]).toEqual([]);
  });
});

describe('RunningMedianOf', () => {
  it('gives runningMedianOf as its input fills in, each output once its window is known', () => {
    const v = Float32Array.from({ length: 700 }, (_, i) => ((i * 7919) % 101) / 7);
    for (const width of [1, 5, 257, 999]) {
      const out = new Float32Array(v.length);
      const m = new RunningMedianOf(v, width, out);
      let known = 0;
      while (known < v.length) {
        known = Math.min(v.length, known + 13);
        const done = m.advance(known);
        // output i needs v up to i + width/2 (everything when v is shorter than the width)
        expect(done).toBe(v.length <= width ? (known === v.length ? v.length : 0) : known === v.length ? v.length : Math.max(0, known - (width >> 1)));
      }
      expect(out).toEqual(runningMedianOf(v, width));
    }
  });

  it('recovers from a window of flat beats (a lead off for minutes), and is unchanged where it has none', () => {
    // live amplitudes 0.8–1.6 mV, then 400 flat beats, then live again
    const live = (i: number) => 0.8 + 0.8 * (((i * 7919) % 101) / 101);
    const v = Float32Array.from({ length: 1200 }, (_, i) => (i >= 300 && i < 700 ? 0.002 * (i % 3) : live(i)));
    const run = (x: Float32Array, exactBelow?: number) => {
      const out = new Float32Array(x.length);
      new RunningMedianOf(x, 257, out, exactBelow).advance(x.length);
      return out;
    };
    const quirky = run(v);
    const exact = run(v, 0.05);
    // the same filled in parts, as the beat-window stream fills it
    const parts = new Float32Array(v.length);
    const m = new RunningMedianOf(v, 257, parts, 0.05);
    for (let known = 0; known < v.length;) m.advance((known = Math.min(v.length, known + 13)));
    expect(parts).toEqual(exact);
    // the trained step never lets a value larger than the whole window in: the scale stays flat for good
    expect(Math.max(...quirky.subarray(900))).toBeLessThan(0.05);
    // sliding exactly while the window's median is flat, it is live again 129 beats after the stretch
    expect(Math.min(...exact.subarray(700 + 129))).toBeGreaterThan(0.8);
    expect(Array.from(exact.subarray(0, 300 - 128))).toEqual(Array.from(quirky.subarray(0, 300 - 128)));
    // no flat window, no change: the amplitude scales the models were trained on
    const normal = Float32Array.from({ length: 1200 }, (_, i) => live(i));
    expect(run(normal, 0.05)).toEqual(run(normal));
  });
});

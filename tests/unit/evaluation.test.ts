// Hand-built cases with known answers for the bxb-equivalent beat comparison and its statistics.
import { describe, expect, it } from 'vitest';
import {
  aamiClassOf,
  bxbClassOf,
  cFixed,
  compareBeats,
  EvaluationError,
  rescore,
  sumStats,
  standardTable,
  type AnnotationLike,
} from '../../src/main/evaluation';

const N = 1,
  V = 5,
  F = 6,
  A = 8,
  e = 34,
  j = 11,
  NOISE = 14,
  VFON = 32,
  VFOFF = 33;
const beats = (code: number, ...samples: number[]): AnnotationLike[] => samples.map((sample) => ({ sample, code }));
const byTime = (...lists: AnnotationLike[][]) => lists.flat().sort((a, b) => a.sample - b.sample);
const fs = 360; // match window 0.15 s = 54 samples

describe('AAMI class mapping', () => {
  it('maps MIT beat codes to the EC57 classes and non-beats to null', () => {
    const m = (s: string) => [...s].map((c) => ({ N: 1, L: 2, R: 3, a: 4, V: 5, F: 6, J: 7, A: 8, S: 9, E: 10, j: 11, '/': 12, Q: 13, e: 34, f: 38 })[c]!);
    for (const c of m('NLRej')) expect(aamiClassOf(c)).toBe('N');
    for (const c of m('AaJS')) expect(aamiClassOf(c)).toBe('S');
    for (const c of m('VE')) expect(aamiClassOf(c)).toBe('V');
    expect(aamiClassOf(F)).toBe('F');
    for (const c of m('/fQ')) expect(aamiClassOf(c)).toBe('Q');
    for (const c of [0, NOISE, 28, VFON, VFOFF, 22]) expect(aamiClassOf(c)).toBeNull();
  });
  it("bxb's own mapping counts escape beats as S", () => {
    expect(bxbClassOf(e)).toBe('S');
    expect(bxbClassOf(j)).toBe('S');
    expect(bxbClassOf(N)).toBe('N');
  });
});

describe('compareBeats: matching', () => {
  it('counts identical lists as all true positives', () => {
    const ref = byTime(beats(N, 100, 400, 700), beats(V, 1000));
    const c = compareBeats(ref, ref, { fs });
    expect(c.stats.qrs).toEqual({ tp: 4, fn: 0, fp: 0, se: 1, ppv: 1 });
    expect(c.matrix[0]![0]).toBe(3);
    expect(c.matrix[2]![2]).toBe(1);
    expect(c.stats.V.se).toBe(1);
  });

  it('matches within the window (54 samples at 360 Hz) and not one sample beyond', () => {
    const ref = beats(N, 1000, 2000);
    const inside = compareBeats(ref, beats(N, 1054, 1946), { fs });
    expect(inside.stats.qrs).toMatchObject({ tp: 2, fn: 0, fp: 0 });
    const outside = compareBeats(ref, beats(N, 1055, 1945), { fs });
    expect(outside.stats.qrs).toMatchObject({ tp: 0, fn: 2, fp: 2 });
    expect(outside.matrix[0]![5]).toBe(2); // N missed: o column
    expect(outside.matrix[5]![0]).toBe(2); // extra n: O row
    expect(outside.stats.qrs.se).toBe(0);
  });

  it('pairs a reference beat with the closer of two test beats; the other is extra', () => {
    const c = compareBeats(beats(N, 1000, 1400), beats(N, 960, 1030, 1400), { fs, keepPairs: true });
    expect(c.stats.qrs).toMatchObject({ tp: 2, fn: 0, fp: 1 });
    expect(c.pairs!.map((p) => [p.ref, p.test, p.refLabel])).toEqual([
      [-1, 0, 'O'],
      [0, 1, 'N'],
      [1, 2, 'N'],
    ]);
  });

  it("applies bxb's 2002 rule for fast rhythms (its own example, window 37 samples)", () => {
    // ref 96, 160; test 128, 185: test1 is as close to ref1 as to ref2, but ref2 matches test2 better.
    const c = compareBeats(beats(N, 96, 160), beats(N, 128, 185), { fs: 250, matchWindowSec: 0.148 });
    expect(c.matchWindowSamples).toBe(37);
    expect(c.stats.qrs).toMatchObject({ tp: 2, fn: 0, fp: 0 });
  });

  it('tallies class confusions and the EC57 VEB statistics (F called V is not a false positive)', () => {
    const ref = byTime(beats(N, 360, 720, 1080, 1440), beats(V, 1800, 2160), beats(F, 2520));
    const test = byTime(beats(N, 362, 718, 1441, 2160), beats(V, 1080, 1802, 2522));
    const c = compareBeats(ref, test, { fs });
    const t = standardTable(c.matrix);
    expect(t[0]).toEqual([3, 1, 0, 0, 0, 0]); // N: 3 n, 1 v
    expect(t[1]).toEqual([1, 1, 0, 0, 0, 0]); // V: 1 n, 1 v
    expect(t[2]).toEqual([0, 1, 0, 0, 0, 0]); // F: 1 v
    expect(c.stats.V).toMatchObject({ tp: 1, fn: 1, fp: 1, tn: 3, se: 0.5, ppv: 0.5, fpr: 0.25 });
    expect(c.stats.N).toMatchObject({ tp: 3, fn: 1, fp: 1 });
    expect(c.stats.F).toMatchObject({ tp: 0, fn: 1, fp: 0, se: 0, ppv: null });
  });

  it('keeps S apart in the AAMI classes and folds it into N in the four-class table', () => {
    const ref = byTime(beats(N, 360, 1080), beats(A, 720, 1440));
    const test = byTime(beats(N, 360, 720), beats(A, 1080, 1440));
    const c = compareBeats(ref, test, { fs });
    expect(c.stats.S).toMatchObject({ tp: 1, fn: 1, fp: 1, se: 0.5, ppv: 0.5 });
    expect(standardTable(c.matrix)[0]![0]).toBe(4);
  });
});

describe('compareBeats: shutdown, VF, learning period, end', () => {
  it('puts extra test beats inside a reference shutdown in the X row', () => {
    const ref = byTime(beats(N, 360, 3600), [
      { sample: 1000, code: NOISE, subtype: -1 },
      { sample: 3000, code: NOISE, subtype: 3 },
    ]);
    const test = beats(N, 360, 1500, 2500, 3600);
    const c = compareBeats(ref, test, { fs });
    expect(c.matrix[6]![0]).toBe(2);
    expect(c.stats.qrs).toMatchObject({ tp: 2, fn: 0, fp: 2 });
  });

  it("measures the test file's shutdown and tallies reference beats missed in it (x column)", () => {
    const ref = beats(N, 360, 1500, 2500, 8000);
    const test = byTime(beats(N, 360, 8000), [
      { sample: 1000, code: NOISE, subtype: 0x30 },
      { sample: 1000 + 10 * 360, code: NOISE, subtype: 0 },
    ]);
    const c = compareBeats(ref, test, { fs });
    expect(c.shutdownSamples).toBe(3600);
    expect(c.shutdownSec).toBe(10);
    expect(c.matrix[0]![6]).toBe(2);
    expect(c.stats.qrs).toMatchObject({ tp: 2, fn: 2, fp: 0 });
  });

  it('a test shutdown left open counts to a real end, and only warns without one (as bxb)', () => {
    const ref = beats(N, 1000, 2000, 3000, 4000);
    const test = [...beats(N, 1000, 2000), { sample: 2500, code: NOISE, subtype: 0x30 }];
    const open = compareBeats(ref, test, { fs });
    expect(open.shutdownSamples).toBe(0);
    expect(open.warnings).toEqual(['unterminated test shutdown at sample 2500 (not included in the shutdown time)']);
    expect(compareBeats(ref, test, { fs, endSec: 5000 / fs }).shutdownSamples).toBe(2500);
  });

  it('ignores reference beats inside reference VF and does not count test beats there', () => {
    const ref = byTime(beats(N, 360, 720, 3000, 3360), [{ sample: 1000, code: VFON }, ...beats(V, 1200, 1400), { sample: 2500, code: VFOFF }]);
    const test = beats(N, 360, 720, 1300, 1500, 1700, 3000, 3360);
    const c = compareBeats(ref, test, { fs });
    expect(c.stats.qrs).toMatchObject({ tp: 4, fn: 0, fp: 0 });
  });

  it('starts after the learning period: earlier beats are ignored, a test beat just before the start may match', () => {
    const start = 300 * fs;
    const ref = beats(N, 1000, 50000, start + 10, start + 400, start + 800);
    const test = beats(N, 2000, start - 20, start + 400, start + 800, start + 1200);
    const c = compareBeats(ref, test, { fs, startSec: 300 });
    expect(c.startSample).toBe(start);
    expect(c.stats.qrs).toMatchObject({ tp: 3, fn: 0, fp: 1 });
  });

  it('skips an unmatched test beat within one window after the start', () => {
    const start = 300 * fs;
    const c = compareBeats(beats(N, start + 200, start + 600), beats(N, start + 10, start + 200, start + 600), { fs, startSec: 300 });
    expect(c.stats.qrs).toMatchObject({ tp: 2, fn: 0, fp: 0 });
  });

  it('counts test beats after the last reference beat unless told to stop at the reference end', () => {
    const ref = beats(N, 360, 720);
    const test = beats(N, 360, 720, 5000);
    expect(compareBeats(ref, test, { fs }).stats.qrs.fp).toBe(1);
    expect(compareBeats(ref, test, { fs, endSec: 'reference' }).stats.qrs.fp).toBe(0);
    expect(compareBeats(ref, test, { fs, endSec: 10 }).stats.qrs.fp).toBe(0);
  });

  it('accepts typed-array columns and gives the same counts', () => {
    const ref = beats(N, 360, 720, 1080);
    const test = beats(V, 365, 1075);
    const a = compareBeats(ref, test, { fs });
    const b = compareBeats(
      { sample: Int32Array.from([360, 720, 1080]), code: Uint8Array.from([N, N, N]) },
      { sample: Float64Array.from([365, 1075]), code: Uint8Array.from([V, V]) },
      { fs }
    );
    expect(b.matrix).toEqual(a.matrix);
    expect(a.stats.qrs).toMatchObject({ tp: 2, fn: 1, fp: 0 });
  });

  it('rejects unsorted annotations, bad rates and impossible intervals with typed errors', () => {
    expect(() => compareBeats(beats(N, 720, 360), [], { fs })).toThrow(EvaluationError);
    expect(() => compareBeats([], [], { fs: 0 })).toThrow(EvaluationError);
    expect(() => compareBeats([], [], { fs, startSec: 300, endSec: 100 })).toThrow(/improper interval/);
    expect(() => compareBeats([{ sample: 1.5, code: N }], [], { fs })).toThrow(EvaluationError);
  });
});

describe('sumStats', () => {
  it('gives gross statistics from summed counts and averages of per-record ratios', () => {
    const r1 = compareBeats(beats(N, 360, 720, 1080, 1440), beats(N, 360, 720, 1080, 1440), { fs });
    const r2 = compareBeats(beats(N, 360, 720), beats(N, 360), { fs });
    const s = sumStats([r1, r2]);
    expect(s.gross.qrs).toMatchObject({ tp: 5, fn: 1, fp: 0 });
    expect(s.gross.qrs.se).toBeCloseTo(5 / 6, 12);
    expect(s.average.qrsSe.value).toBeCloseTo((1 + 0.5) / 2, 12);
    expect(s.average.vSe.n).toBe(0);
    expect(s.average.vSe.value).toBeNull();
    expect(s.totalQrs).toBe(6);
    expect(s.sum.Nn).toBe(5);
    expect(s.sum.No).toBe(1);
  });
});

describe('cFixed', () => {
  it('rounds exact binary ties to even as C printf does, and otherwise like toFixed', () => {
    expect(cFixed(0.125, 2)).toBe('0.12');
    expect(cFixed(0.375, 2)).toBe('0.38');
    expect(cFixed(2.5, 0)).toBe('2');
    expect(cFixed(99.555, 2)).toBe((99.555).toFixed(2));
    expect(cFixed(100, 2)).toBe('100.00');
    expect(cFixed(1 / 3, 3)).toBe('0.333');
  });
});

describe('rescore', () => {
  it('gives exactly what a fresh comparison of the relabelled test beats gives', () => {
    const ref = byTime(beats(N, 360, 720, 1080, 1440, 5000), beats(V, 1800, 2160), beats(F, 2520), [
      { sample: 3000, code: NOISE, subtype: -1 },
      { sample: 3500, code: NOISE, subtype: 0 },
    ]);
    const test = byTime(beats(N, 362, 718, 1441, 2160, 3200, 4000), beats(V, 1080, 1802, 2522));
    const first = compareBeats(ref, test, { fs, keepPairs: true });
    const relabel = (i: number) => (test[i]!.code === V ? 'N' : i % 2 ? 'V' : 'S') as 'N' | 'V' | 'S';
    const again = compareBeats(
      ref,
      test.map((b, i) => ({ sample: b.sample, code: { N, V: 5, S: A }[relabel(i)] })),
      { fs }
    );
    const r = rescore(first.pairs!, relabel);
    expect(r.matrix).toEqual(again.matrix);
    expect(r.stats).toEqual(again.stats);
    expect(r.matrix).not.toEqual(first.matrix);
  });
});

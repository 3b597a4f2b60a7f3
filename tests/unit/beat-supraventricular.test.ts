import { describe, expect, it } from 'vitest';
import { applySupraventricularRule, supraventricularRuleOf } from '../../src/main/beats';
import { labelAt } from '../../src/shared/analysis';

// rows: N, S, V, F, Q
const rows = (...r: number[][]) => Float32Array.from(r.flat());

describe('supraventricular rule', () => {
  it('inside AF moves P(S) to P(N) and leaves P(V) alone', () => {
    const p = rows([0.3, 0.5, 0.2, 0, 0], [0.3, 0.5, 0.2, 0, 0]);
    applySupraventricularRule(p, Int32Array.of(100, 900), [{ onsetSample: 50, offsetSample: 500 }], { sOffset: 0, notInAf: true });
    expect(Array.from(p.slice(0, 5))).toEqual([expect.closeTo(0.8, 6), 0, expect.closeTo(0.2, 6), 0, 0]);
    expect(Array.from(p.slice(5))).toEqual(Array.from(rows([0.3, 0.5, 0.2, 0, 0])));
    expect(labelAt(p, 0, 0.5)).toBe(0);
    expect(labelAt(p, 1, 0.5)).toBe(1);
  });

  it('elsewhere weights S by exp(offset) among the non-V classes, their sum kept', () => {
    const p = rows([0.5, 0.2, 0.2, 0.1, 0]);
    applySupraventricularRule(p, Int32Array.of(10), [], { sOffset: Math.log(4), notInAf: true });
    // non-V mass 0.8 split as 0.5 : 0.8 : 0.1 (S × 4)
    expect(p[2]).toBeCloseTo(0.2, 6);
    expect(p[1]! / p[0]!).toBeCloseTo(1.6, 5);
    expect(p[0]! + p[1]! + p[3]! + p[4]!).toBeCloseTo(0.8, 6);
    expect(labelAt(p, 0, 0.5)).toBe(1);
  });

  it('ignores AF spans when the rule has no AF part, and overlapping spans count once', () => {
    const p = rows([0.3, 0.5, 0.2, 0, 0]);
    applySupraventricularRule(p, Int32Array.of(100), [{ onsetSample: 0, offsetSample: 200 }], { sOffset: 0, notInAf: false });
    expect(p[1]).toBeCloseTo(0.5, 6);
    const q = rows([0.3, 0.5, 0.2, 0, 0], [0.3, 0.5, 0.2, 0, 0]);
    applySupraventricularRule(
      q,
      Int32Array.of(150, 450),
      [
        { onsetSample: 100, offsetSample: 300 },
        { onsetSample: 0, offsetSample: 200 },
      ],
      { sOffset: 0, notInAf: true }
    );
    expect(q[1]).toBe(0);
    expect(q[6]).toBeCloseTo(0.5, 6);
  });

  it('reads the manifest field, null for models without one', () => {
    expect(supraventricularRuleOf({})).toBeNull();
    expect(supraventricularRuleOf({ supraventricular: { sOffset: 2.5, notInAf: true } })).toEqual({ sOffset: 2.5, notInAf: true });
  });
});

describe('beat dataset: reference AF flag', () => {
  it('flags the beats inside "(AFIB" stretches, at a resampled rate too', async () => {
    const { markReferenceAf } = await import('../../src/main/dataset/beats');
    const { BEAT_FLAG } = await import('../../src/main/beats');
    const { RHYTHM } = await import('../../src/main/wfdb/codes');
    const ann = (sample: number, aux: string) => ({ sample, code: RHYTHM, subtype: 0, chan: 0, num: 0, aux });
    const anns = [ann(0, '(N'), ann(1000, '(AFIB'), ann(2000, '(N')];
    const flags = new Uint8Array(4).fill(BEAT_FLAG.EDGE);
    markReferenceAf(flags, Int32Array.of(500, 1000, 1999, 2500), anns, 360, 360);
    expect(Array.from(flags, (f) => (f & BEAT_FLAG.IN_REFERENCE_AF) !== 0)).toEqual([false, true, true, false]);
    expect(flags[1]! & BEAT_FLAG.EDGE).toBe(BEAT_FLAG.EDGE);
    const low = new Uint8Array(2);
    markReferenceAf(low, Int32Array.of(300, 400), anns, 360, 128); // AF 356–711 at 128 Hz
    expect(Array.from(low, (f) => f & BEAT_FLAG.IN_REFERENCE_AF)).toEqual([0, BEAT_FLAG.IN_REFERENCE_AF]);
  });
});

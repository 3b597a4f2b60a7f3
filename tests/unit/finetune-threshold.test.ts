import { describe, expect, it } from 'vitest';
import { chooseThreshold, patientThreshold, recallFirstThreshold, versionThresholds } from '../../src/main/finetune/threshold';
import { defaultThresholdOf } from '../../src/main/beats';
import type { Net } from '../../src/main/finetune/net';
import { capConfirmed, shareOfUnreviewed } from '../../src/main/finetune/training-set';

const V = 2;
/** probs rows (5 classes) with P(V) = pv and the rest on N; labels y (2 = V, 0 = N). */
function rows(pv: number[]): Float32Array {
  const p = new Float32Array(pv.length * 5);
  pv.forEach((v, i) => {
    p[i * 5 + V] = v;
    p[i * 5] = 1 - v;
  });
  return p;
}
const logit = (p: number) => Math.log(p / (1 - p));
const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

describe('fine-tuned version thresholds', () => {
  it("'patient': the middle (logit) of the interval that keeps every held-out PVC at +P >= the floor", () => {
    const t = patientThreshold(rows([0.9, 0.8, 0.7, 0.5, 0.3, 0.1]), Uint8Array.of(V, V, V, 0, 0, 0), 0.9, 3)!;
    expect(t).toBeCloseTo(sigmoid((logit(0.7) + logit(0.5)) / 2), 6);
    expect(t).toBeLessThan(0.7);
    expect(t).toBeGreaterThan(0.5);
  });

  it('gives up recall when the floor demands it, and keeps more when the floor is lower', () => {
    const p = rows([0.9, 0.85, 0.8, 0.2]);
    const y = Uint8Array.of(V, 0, V, 0);
    expect(patientThreshold(p, y, 0.9, 1)).toBeCloseTo(sigmoid((logit(0.9) + logit(0.85)) / 2), 6);
    expect(patientThreshold(p, y, 0.6, 1)).toBeCloseTo(sigmoid((logit(0.8) + logit(0.2)) / 2), 6);
  });

  it('returns null (the parent threshold is kept) with too few held-out PVCs', () => {
    expect(patientThreshold(rows([0.9, 0.1]), Uint8Array.of(V, 0), 0.9, 5)).toBeNull();
    expect(patientThreshold(rows([0.1, 0.2]), Uint8Array.of(0, 0), 0.9, 0)).toBeNull();
  });

  it("'patient' never raises the threshold above the parent's: a lower one is taken, a higher one is not", () => {
    // 8 held-out PVCs at P(V) 0.6-0.95 and 30 other beats at 0.01-0.3: the patient's own threshold lies between 0.3 and 0.6
    const pv = [0.95, 0.9, 0.85, 0.8, 0.75, 0.7, 0.65, 0.6, ...Array.from({ length: 30 }, (_, i) => 0.01 + i * 0.01)];
    const held = { probs: rows(pv), y: Uint8Array.from(pv, (_, i) => (i < 8 ? V : 0)), n: pv.length };
    const own = patientThreshold(held.probs, held.y, 0.9, 5)!;
    expect(own).toBeGreaterThan(0.3);
    expect(own).toBeLessThan(0.6);
    const net = null as unknown as Net; // read by the 'refit' rule only
    const lower = chooseThreshold({ registryDir: '', modelsDir: '' }, net, held, null, 0.8);
    expect(lower.threshold).toBeCloseTo(own, 9);
    expect(lower.note).toMatch(/patient's own/);
    const higher = chooseThreshold({ registryDir: '', modelsDir: '' }, net, held, null, 0.1);
    expect(higher.threshold).toBe(0.1);
    expect(higher.note).toMatch(/^the parent's, kept: .*above the parent's 0.100, .*never raised above/);
    // a one-lead record was reviewed at the parent's single-lead threshold: the cap is that one
    const oneLead = chooseThreshold({ registryDir: '', modelsDir: '' }, net, held, null, 0.1, 0.8);
    expect(oneLead.threshold).toBeCloseTo(own, 9);
    expect([lower.kept, higher.kept, oneLead.kept]).toEqual([false, true, false]);
    expect(chooseThreshold({ registryDir: '', modelsDir: '', threshold: 'parent' }, net, held, null, 0.1).kept).toBe(true);
  });

  it("a version's thresholds: the parent's two where kept; a one-lead review's own moves the one-lead threshold alone", () => {
    const parent = { defaultThreshold: 0.095, singleLeadThreshold: 0.133 };
    const chosen = (threshold: number, kept: boolean) => ({ threshold, kept, rule: 'patient' as const, minPpv: 0.9 });
    expect(versionThresholds(chosen(0.095, true), parent, true)).toEqual(parent);
    expect(versionThresholds(chosen(0.095, true), parent, false)).toEqual(parent);
    const oneLead = versionThresholds(chosen(0.12, false), parent, true);
    expect(oneLead).toEqual({ defaultThreshold: 0.095, singleLeadThreshold: 0.12 });
    expect(defaultThresholdOf(oneLead, false)).toBe(0.095); // two-lead records never above the parent's
    expect(defaultThresholdOf(oneLead, true)).toBe(0.12);
    const twoLead = versionThresholds(chosen(0.08, false), parent, false);
    expect(twoLead).toEqual({ defaultThreshold: 0.08 });
    expect(defaultThresholdOf(twoLead, true)).toBe(0.08);
    expect(defaultThresholdOf({ defaultThreshold: 0.095 }, true)).toBe(0.095);
    // the 'refit' rule's threshold is made on two-lead reference beats: it replaces both
    expect(versionThresholds({ ...chosen(0.2, false), rule: 'refit' }, parent, true)).toEqual({ defaultThreshold: 0.2 });
  });

  it("the records' unreviewed beats carry the share asked for, less with fewer than 200 of them; a share outside [0, 1) is refused", () => {
    expect(shareOfUnreviewed(0.2, 5000)).toBe(0.2);
    expect(shareOfUnreviewed(0.2, 200)).toBe(0.2);
    expect(shareOfUnreviewed(0.2, 3)).toBeCloseTo(0.003, 12);
    expect(shareOfUnreviewed(0.2, 0)).toBe(0);
    expect(shareOfUnreviewed(0, 5000)).toBe(0);
    for (const bad of [NaN, 1, -0.1]) expect(() => shareOfUnreviewed(bad, 100)).toThrow(/unreviewedShare/);
  });

  it("'refit': the highest threshold keeping the recall", () => {
    expect(recallFirstThreshold(rows([0.9, 0.6, 0.3, 0.2]), Uint8Array.of(V, V, V, V), 0.75)).toBeCloseTo(0.3, 6);
  });

  it('caps the confirmed beats per class the fitting sees; kept rows stand for the rest by weight, corrections all stay', () => {
    // 300 N (290 confirmed, 10 corrected), 40 V (all confirmed), 3 S corrected
    const n = 343;
    const y = new Uint8Array(n);
    const agree = new Uint8Array(n).fill(1);
    for (let i = 300; i < 340; i++) y[i] = V;
    for (let i = 340; i < n; i++) y[i] = 1;
    for (let i = 0; i < 10; i++) agree[i * 30] = 0;
    for (let i = 340; i < n; i++) agree[i] = 0;
    const rows = Array.from({ length: n }, (_, i) => i);
    const mult = new Float64Array(n).fill(1);
    const kept = capConfirmed(rows, y, agree, 50, 7, mult);
    expect(kept).toEqual([...kept].sort((a, b) => a - b));
    for (let i = 0; i < n; i++) if (!agree[i]) expect(kept).toContain(i); // every correction
    const keptN = kept.filter((i) => y[i] === 0 && agree[i]);
    expect(keptN).toHaveLength(50);
    expect(keptN.reduce((a, i) => a + mult[i]!, 0)).toBeCloseTo(290, 9); // they stand for all 290
    expect(kept.filter((i) => y[i] === V)).toHaveLength(40); // under the cap: all, weight 1
    expect(kept.filter((i) => y[i] === V).every((i) => mult[i] === 1)).toBe(true);
    expect(capConfirmed(rows, y, agree, 50, 7, new Float64Array(n).fill(1))).toEqual(kept); // seeded
    expect(capConfirmed(rows, y, agree, 1000, 7, new Float64Array(n).fill(1))).toEqual(rows); // no cap reached: everything
  });
});

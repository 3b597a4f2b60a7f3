import { describe, expect, it } from 'vitest';
import { patientThreshold, recallFirstThreshold } from '../../src/main/finetune/job';

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

describe("fine-tuned version thresholds", () => {
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

  it("'refit': the highest threshold keeping the recall", () => {
    expect(recallFirstThreshold(rows([0.9, 0.6, 0.3, 0.2]), Uint8Array.of(V, V, V, V), 0.75)).toBeCloseTo(0.3, 6);
  });
});

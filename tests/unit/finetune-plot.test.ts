import { describe, expect, it } from 'vitest';
import { lossPaths } from '../../src/renderer/src/lib/finetune-plot';
import { labelMetrics } from '../../src/main/finetune/metrics';
import { scoredClasses } from '../../src/shared/finetune';

describe('fine-tune loss curve', () => {
  it('draws training and held-out loss, skips undefined points and marks the best epoch', () => {
    const pts = [
      { epoch: 0, train: NaN, val: 1.0 },
      { epoch: 1, train: 0.9, val: 0.8 },
      { epoch: 2, train: 0.7, val: 0.6 },
      { epoch: 3, train: 0.5, val: 0.7 },
    ];
    const p = lossPaths(pts, 100, 50, 0);
    expect(p.train.startsWith('M')).toBe(true);
    // Training starts at epoch 1 (epoch 0 has no training loss): x = 100/3.
    expect(p.train.startsWith('M33.33')).toBe(true);
    expect(p.val.split(/[ML]/).filter(Boolean)).toHaveLength(4);
    expect(p.bestX).toBeCloseTo((2 / 3) * 100, 6);
    expect(p.yDomain).toEqual([0.5, 1.0]);
    expect(lossPaths([], 100, 50).train).toBe('');
  });

  it('marks the epoch the job kept, not the strict minimum (the job keeps an epoch only when it improves by minDelta)', () => {
    // the held-out loss creeps down by less than minDelta after epoch 0: the card says best epoch 0
    const pts = Array.from({ length: 11 }, (_, epoch) => ({ epoch, train: epoch ? 1 - epoch / 100 : NaN, val: 0.5 - epoch * 1e-6 }));
    expect(lossPaths(pts, 100, 50, 0).bestX).toBeCloseTo(100, 6);
    expect(lossPaths(pts, 100, 50, 0, 0).bestX).toBe(0);
    expect(lossPaths(pts, 100, 50, 0, 4).bestX).toBeCloseTo(40, 6);
    // an epoch not among the points (throttled progress): no marker rather than a wrong one
    expect(lossPaths(pts.slice(5), 100, 50, 0, 0).bestX).toBeNull();
  });
});

describe('fine-tune card rows', () => {
  it('shows a class the parent predicted even when the version predicts none of it', () => {
    const probs = (calls: number[]) => Float32Array.from(calls.flatMap((c) => [0, 1, 2, 3, 4].map((k) => (k === c ? 1 : 0))));
    // no true V beat; the parent called one N beat V (a false alarm), the version none
    const y = [0, 0, 0, 1];
    const m = { before: labelMetrics(probs([0, 0, 2, 1]), y, 0.5), after: labelMetrics(probs([0, 0, 0, 1]), y, 0.5) };
    expect(m.before.perClass.V.precision).toBe(0);
    expect(m.after.perClass.V.precision).toBeNull();
    expect(scoredClasses(m)).toEqual(['N', 'S', 'V']);
    expect(scoredClasses({ before: m.after, after: m.before })).toEqual(['N', 'S', 'V']);
    expect(scoredClasses({ before: m.after, after: m.after })).toEqual(['N', 'S']);
  });
});

import { describe, expect, it } from 'vitest';
import { lossPaths } from '../../src/renderer/src/lib/finetune-plot';

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
});

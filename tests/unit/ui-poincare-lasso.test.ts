// A lasso on the Poincaré plot: beats whose (RR before, RR after) point lies inside the polygon.
import { describe, expect, it } from 'vitest';
import { ReviewBeats } from '../../src/renderer/src/lib/beats';
import { rrSeries, poincareLasso } from '../../src/renderer/src/lib/rr';

describe('Poincaré lasso', () => {
  // 1 s rhythm with a premature beat at 4.6 s (RR 600 then 1400) and one long pause after 6 s
  const s = {
    origin: 'reference' as const,
    sample: Int32Array.from([100, 200, 300, 400, 460, 600, 700, 900, 1000]),
    probs: null,
    pvcScore: null,
    baseLabel: new Uint8Array(9),
  };
  const rr = rrSeries(new ReviewBeats(s, null, 15), 100);

  it('selects the points inside the polygon and none outside it', () => {
    expect(
      poincareLasso(rr, [
        [500, 1300],
        [700, 1300],
        [600, 1500],
      ])
    ).toEqual([4]);
    // round the regular cluster (1000, 1000) only
    expect(
      poincareLasso(rr, [
        [900, 900],
        [1100, 900],
        [1100, 1100],
        [900, 1100],
      ])
    ).toEqual([1, 2]);
  });

  it('follows a concave outline: a notch leaves out the point inside the bounding box', () => {
    // a U round (600, 1400) and (1400, 1000) whose notch holds (1000, 1000)
    const u: [number, number][] = [
      [500, 800],
      [1500, 800],
      [1500, 1500],
      [1300, 1500],
      [1300, 900],
      [700, 900],
      [700, 1500],
      [500, 1500],
    ];
    const picked = poincareLasso(rr, u);
    expect(picked).toContain(4);
    expect(picked).not.toContain(1);
    expect(
      poincareLasso(rr, [
        [0, 0],
        [3000, 3000],
      ])
    ).toEqual([]);
  });
});

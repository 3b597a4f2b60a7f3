// The Poincaré plot draws an RR outside its axes (200–2000 ms) on the edge it passes: a pause of
// 2.5 s on the 2000 line, a double detection 150 ms after its beat on the 200 line. A box or lasso
// drawn over that edge selects those points, as drawn; the plot's box could reach no further than
// the axes' ends (its pixels inverted through clamped scales) and so never selected them.
import { describe, expect, it } from 'vitest';
import { analyzeRecord } from '../../src/main/analysis';
import { ReviewBeats } from '../../src/renderer/src/lib/beats';
import { POINCARE_MS, poincareLasso, poincarePoints, poincareSelect, rrSeries, type RrSeries } from '../../src/renderer/src/lib/rr';
import { dataPath, needData } from '../helpers/data';
import { evenBeats, reviewBeatsAt } from '../helpers/review-beats';

const drawn = (ms: number) => Math.min(POINCARE_MS[1], Math.max(POINCARE_MS[0], ms));

/** Beats whose point is drawn (clamped to the axes) inside [x0, x1] × [y0, y1] ms. */
function drawnInside(s: RrSeries, x0: number, x1: number, y0: number, y1: number): number[] {
  const p = poincarePoints(s, drawn, drawn);
  const out: number[] = [];
  for (let k = 0; k < p.xs.length; k++) if (p.xs[k]! >= x0 && p.xs[k]! <= x1 && p.ys[k]! >= y0 && p.ys[k]! <= y1) out.push(s.index[k]!);
  return out;
}

describe('Poincaré points on the plot’s edges', () => {
  it('a double detection (RR 150 ms), drawn on the 200 line, is selected by a box or lasso over it', () => {
    const FS = 100;
    // 1 s rhythm; a T wave counted as a beat 150 ms after the beat at 5 s
    const sample = Int32Array.from([...evenBeats(6, 100, 100), 615, ...evenBeats(5, 700, 100)]);
    const s = rrSeries(reviewBeatsAt(sample), FS);
    const t = sample.indexOf(615);
    expect(s.rr[t]).toBe(150);
    // the T wave's point, (150, 850), drawn at (200, 850); the beat's before it, (1000, 150), at (1000, 200)
    expect(drawnInside(s, 200, 300, 700, 1000)).toEqual([t]);
    expect(poincareSelect(s, 200, 300, 700, 1000, POINCARE_MS)).toEqual([t]);
    expect(drawnInside(s, 900, 1100, 200, 300)).toEqual([t - 1]);
    expect(poincareSelect(s, 900, 1100, 200, 300, POINCARE_MS)).toEqual([t - 1]);
    // a lasso round the 200 line, reaching past it (its pixels inverted without the clamp)
    expect(
      poincareLasso(
        s,
        [
          [120, 700],
          [300, 700],
          [300, 1000],
          [120, 1000],
        ],
        POINCARE_MS
      )
    ).toEqual([t]);
  });

  describe.runIf(needData('mitdb'))('mitdb 207 (pauses over 2 s)', () => {
    it('a box along the 2000 line selects every point drawn on it', async () => {
      const a = await analyzeRecord(dataPath('mitdb', '207'), { cacheDir: null, threads: 1 });
      const b = new ReviewBeats(
        { origin: 'analysis', sample: a.beats.sample, probs: a.beats.probs, pvcScore: a.beats.pvcScore, baseLabel: a.beats.label },
        null,
        Math.round(0.15 * a.fs)
      );
      const s = rrSeries(b, a.fs);
      // the summary's longest pause is one of them
      expect(a.summary.longestPauseSec).toBeGreaterThan(2);
      const pauseBeats = Array.from(s.index).filter((_, k) => s.rr[k]! > 2000);
      expect(pauseBeats.length).toBeGreaterThan(0);
      // the right edge, as far as the plot's box reaches (x up to the axis's end, any y)
      const right = drawnInside(s, 1900, 2000, POINCARE_MS[0], POINCARE_MS[1]);
      expect(right.length).toBeGreaterThan(0);
      expect(poincareSelect(s, 1900, 2000, POINCARE_MS[0], POINCARE_MS[1], POINCARE_MS)).toEqual(right);
      // every beat closing a pause over 2 s is drawn there and selected (its point's x is that RR)
      for (const i of pauseBeats) if (i !== s.index[0] && i !== s.index[s.index.length - 1]) expect(right).toContain(i);
      // the top edge likewise (the beat before each pause)
      const top = drawnInside(s, POINCARE_MS[0], POINCARE_MS[1], 1900, 2000);
      expect(top.length).toBeGreaterThan(0);
      expect(poincareSelect(s, POINCARE_MS[0], POINCARE_MS[1], 1900, 2000, POINCARE_MS)).toEqual(top);
    }, 60_000);
  });
});

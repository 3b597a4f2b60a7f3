import { describe, expect, it } from 'vitest';
import { rhythmEpisodes, episodeTypeOf, confirmAfByRr, smoothProbs } from '../../src/main/analysis/rhythm';
import type { Episode } from '../../src/shared/analysis';
import { rhythmChanges } from '../../src/main/analysis/outputs';
import { coveredSec, heartRates } from '../../src/main/analysis/summary';
import { hrExtremes, hrTrend } from '../../src/renderer/src/lib/hr-trend';

const CLASSES = ['other', 'AF', 'VT', 'noise'];
const FS = 250;
const W = 10 * FS;

/** Window probabilities from a class string: 'o' other, 'a' AF, 'v' VT, 'n' noise. */
function probsOf(seq: string, p = 0.8): { probs: Float32Array; start: Int32Array } {
  const probs = new Float32Array(seq.length * 4);
  const idx = { o: 0, a: 1, v: 2, n: 3 } as const;
  [...seq].forEach((c, w) => {
    const k = idx[c as keyof typeof idx];
    for (let j = 0; j < 4; j++) probs[w * 4 + j] = j === k ? p : (1 - p) / 3;
  });
  return { probs, start: Int32Array.from(seq, (_, w) => w * W) };
}

describe('rhythm episode post-processing', () => {
  it('joins VT runs across a short gap when asked, and smooths single-window flickers away', () => {
    const { probs, start } = probsOf('vvovvoooo');
    expect(rhythmEpisodes(probs, CLASSES, start, W, 9 * W, 10).filter((e) => e.type === 'VT')).toHaveLength(2);
    const joined = rhythmEpisodes(probs, CLASSES, start, W, 9 * W, 10, { mergeGapSec: { VT: 10 } });
    expect(joined.map((e) => [e.type, e.onsetSample, e.offsetSample])).toEqual([['VT', 0, 5 * W]]);
    const flicker = probsOf('ooaoo');
    expect(rhythmEpisodes(flicker.probs, CLASSES, flicker.start, W, 5 * W, 10)).toHaveLength(1);
    expect(rhythmEpisodes(flicker.probs, CLASSES, flicker.start, W, 5 * W, 10, { smoothWindows: 3 })).toHaveLength(0);
    // the moving average keeps rows summing to 1 and leaves width 1 alone
    const sm = smoothProbs(flicker.probs, 4, 3);
    for (let w = 0; w < 5; w++) expect(sm[w * 4]! + sm[w * 4 + 1]! + sm[w * 4 + 2]! + sm[w * 4 + 3]!).toBeCloseTo(1, 6);
    expect(smoothProbs(flicker.probs, 4, 1)).toBe(flicker.probs);
  });

  it('keeps a model AF episode only where the RR rule agrees on enough of it', () => {
    const ep = (type: Episode['type'], a: number, b: number): Episode => ({
      type,
      onsetSample: a,
      offsetSample: b,
      confidence: 0.9,
      explanation: '',
      source: 'model',
    });
    const model = [ep('AF', 0, 1000), ep('AF', 2000, 3000), ep('VT', 5000, 5100)];
    const rr = [ep('AF', 500, 1200), ep('AF', 2900, 3500)];
    expect(confirmAfByRr(model, rr, 0.3).map((e) => [e.type, e.onsetSample])).toEqual([
      ['AF', 0],
      ['VT', 5000],
    ]);
    expect(confirmAfByRr(model, rr, 0.05)).toHaveLength(3);
    expect(confirmAfByRr(model, [], 0)).toHaveLength(3);
    expect(confirmAfByRr(model, [], 0.3).map((e) => e.type)).toEqual(['VT']);
  });
});

describe('rhythm episodes from window probabilities', () => {
  it('merges runs of one class into episodes with the mean probability', () => {
    const { probs, start } = probsOf('oovvoonn');
    const eps = rhythmEpisodes(probs, CLASSES, start, W, 8 * W, 10);
    expect(eps.map((e) => [e.type, e.onsetSample, e.offsetSample])).toEqual([
      ['VT', 2 * W, 4 * W],
      ['NOISE', 6 * W, 8 * W],
    ]);
    expect(eps[0]!.confidence).toBeCloseTo(0.8, 5);
    expect(eps[0]!.explanation).toMatch(/^rhythm model: VT most probable in 2 10-s windows over 20 s/);
  });

  it('joins AF across a one-window gap and drops AF shorter than the minimum', () => {
    const { probs, start } = probsOf('aaoaaoooaooo');
    const eps = rhythmEpisodes(probs, CLASSES, start, W, 12 * W, 10, { minSec: { AF: 30 }, afMergeGapSec: 10 });
    expect(eps.map((e) => [e.type, e.onsetSample, e.offsetSample])).toEqual([['AF', 0, 5 * W]]);
    expect(rhythmEpisodes(probs, CLASSES, start, W, 12 * W, 10).filter((e) => e.type === 'AF')).toHaveLength(3);
  });

  it('maps class names to episode types', () => {
    expect(['other', 'AF', 'VT', 'noise', 'VF'].map(episodeTypeOf)).toEqual([null, 'AF', 'VT', 'NOISE', 'VT']);
  });
});

describe('rhythm annotations and summary helpers', () => {
  const ep = (type: 'AF' | 'VT' | 'PAUSE', a: number, b: number) => ({
    type,
    onsetSample: a,
    offsetSample: b,
    confidence: 1,
    explanation: '',
    source: 'rules' as const,
  });

  it('writes one rhythm change per boundary, VT over AF where they overlap', () => {
    expect(rhythmChanges([ep('AF', 100, 500), ep('VT', 200, 300), ep('PAUSE', 600, 900)], 10)).toEqual([
      { sample: 10, aux: '(N' },
      { sample: 100, aux: '(AFIB' },
      { sample: 200, aux: '(VT' },
      { sample: 300, aux: '(AFIB' },
      { sample: 500, aux: '(N' },
    ]);
  });

  it('AF burden counts overlapping episodes once', () => {
    expect(coveredSec([ep('AF', 0, 1000), ep('AF', 500, 1500), ep('VT', 0, 5000), ep('AF', 2000, 2500)], 'AF', 100)).toBe(20);
  });

  it('heart rate: mean over the span, min/max over 1-minute means', () => {
    const s: number[] = [];
    for (let t = 0; t < 60; t += 1) s.push(t * FS); // 60 bpm for a minute
    for (let t = 60; t < 120; t += 0.5) s.push(Math.round(t * FS)); // then 120 bpm
    const hr = heartRates(Int32Array.from(s), FS);
    expect(hr.min).toBeCloseTo(60, 0);
    // The second minute's first interval (1 s) ends in it: (120 beats) / (60.5 s) ≈ 119.0.
    expect(hr.max).toBeCloseTo((60 * 120) / 60.5, 6);
    expect(hr.mean).toBeCloseTo((60 * (s.length - 1)) / ((s[s.length - 1]! - s[0]!) / FS), 6);
  });

  it('heart rate: the last few seconds of a record are no minute of their own (min and max come from whole minutes)', () => {
    const s: number[] = [];
    for (let t = 0; t < 120; t += 0.8) s.push(Math.round(t * FS)); // two minutes at 75 bpm
    for (let t = 120; t < 126; t += 0.75) s.push(Math.round(t * FS)); // 6 s more, 8 intervals at 80 bpm
    s.push(Math.round(127.5 * FS)); // and one slow interval at the end
    const hr = heartRates(Int32Array.from(s), FS);
    expect(hr.min).toBeCloseTo(75, 0);
    expect(hr.max).toBeCloseTo(75, 0);
    const ext = hrExtremes(hrTrend(Int32Array.from(s), FS));
    expect([ext.min!.minute < 2, ext.max!.minute < 2]).toEqual([true, true]); // minute 2 (6 s) is left out
    expect(ext.min!.meanBpm).toBeCloseTo(hr.min, 3);
  });

  it('heart rate of a strip with no whole minute: a mean, no min or max (0), as the review shows "—"', () => {
    // 25 s of an irregular rhythm (intervals 0.4–1.2 s), as a CinC 2017 AF strip
    const s: number[] = [0];
    for (let i = 0; s.at(-1)! < 25 * FS; i++) s.push(s.at(-1)! + Math.round((0.4 + (0.8 * ((i * 7) % 11)) / 10) * FS));
    const hr = heartRates(Int32Array.from(s), FS);
    expect(hr.mean).toBeGreaterThan(40);
    expect([hr.min, hr.max]).toEqual([0, 0]);
    expect(hrExtremes(hrTrend(Int32Array.from(s), FS))).toEqual({ min: null, max: null });
  });
});

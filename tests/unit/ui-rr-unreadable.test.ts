// The tachogram and the Poincaré plot show the RR intervals the summary reads: none over an
// unreadable stretch (a noise episode kept), which the heart rate and the pauses leave out, but for
// a pause the summary counts there. Drawn, a 100-s "interval" across ventricular flutter with stretches
// read as noise sat on the tachogram's 2000-ms line, a pause the summary says is not one.
import { describe, expect, it } from 'vitest';
import { analyzeRecord } from '../../src/main/analysis';
import { intervalRead, reviewSummary } from '../../src/renderer/src/lib/review-summary';
import { rrSeries } from '../../src/renderer/src/lib/rr';
import { dataPath, needData } from '../helpers/data';
import { decidedEpisode, evenBeats, reviewBeatsAt, reviewOfAnalysis } from '../helpers/review-beats';

describe('RR series over unreadable signal', () => {
  it('leaves out the intervals over a kept noise episode, but for a pause the summary counts', () => {
    const FS = 100;
    // 0.8 s rhythm, a 3-s gap from 8.5 s, then beats again
    const sample = Int32Array.from([...evenBeats(11, 50, 80), ...evenBeats(10, 1150, 80)]);
    const b = reviewBeatsAt(sample);
    const gap = sample.indexOf(1150);
    const noise = decidedEpisode('NOISE', 600, 1200, 'unreviewed');
    const finite = (eps: Parameters<typeof intervalRead>[0]) => {
      const s = rrSeries(b, FS, intervalRead(eps, FS, 2));
      return Array.from(s.index).filter((_, k) => Number.isFinite(s.rr[k]));
    };
    // the quality rules' noise: no rate and no pause inside it (the summary's longest pause is 0.8 s)
    const rules = { ...noise, base: { ...noise.base!, source: 'rules' as const } };
    expect(reviewSummary(b, 0.5, [rules], { fs: FS, durationSec: 30 }).longestPauseSec).toBeCloseTo(0.8);
    const read = finite([rules]);
    for (let i = 0; i < b.count; i++) expect(read.includes(i)).toBe(i > 0 && !(sample[i]! > 600 && sample[i - 1]! < 1200));
    expect(read).not.toContain(gap);
    // the rhythm model's noise hides no pause (asystole's baseline reads as noise): the 3-s pause is shown, its neighbours not
    const model = { ...noise, base: { ...noise.base!, source: 'model' as const } };
    expect(reviewSummary(b, 0.5, [model], { fs: FS, durationSec: 30 }).longestPauseSec).toBeCloseTo(3);
    expect(finite([model])).toContain(gap);
    expect(finite([model])).not.toContain(gap - 1);
    // noise the reviewer rejected is readable signal
    expect(finite([{ ...rules, status: 'rejected' }])).toEqual(Array.from({ length: b.count - 1 }, (_, i) => i + 1));
  });

  describe.runIf(needData('mitdb'))('mitdb 207', () => {
    it('shows the intervals the HR trend reads and the pauses the summary counts, no more', async () => {
      const a = await analyzeRecord(dataPath('mitdb', '207'), { cacheDir: null, threads: 1 });
      const { model, state, beats: b } = reviewOfAnalysis(a, '207', a.episodes);
      const summary = () => reviewSummary(b, state.threshold, model.episodes(), { fs: a.fs, durationSec: a.durationSec });
      const s = model.rr()!;
      const sum = summary();
      let shown = 0;
      let trendIntervals = 0;
      for (const r of s.rr) if (Number.isFinite(r)) shown++;
      for (const c of sum.trend.count) trendIntervals += c;
      // every point is an interval the HR trend reads (no pause over noise in 207)
      expect(shown).toBe(trendIntervals);
      // the 100-s stretch of flutter from 25:40, parts of it read as noise by the quality rules: no point spans it
      const at = (sec: number) => Array.from(s.index).findIndex((i) => b.sample[i]! >= sec * a.fs);
      const k = at(1640);
      expect(b.sample[s.index[k - 1]!]! / a.fs).toBeLessThan(1541);
      expect(s.rr[k]).toBeNaN();
      // the reviewer rejects the noise over it (the signal is readable): still the rhythm model's flutter (VF), no rate
      const over = (type: string) => model.episodes().filter((e) => e.type === type && e.onsetSample < 1640 * a.fs && e.offsetSample > 1541 * a.fs);
      expect(over('NOISE').length).toBeGreaterThan(0);
      for (const e of over('NOISE')) await model.decideEpisode(e.key, 'rejected');
      expect(model.rr()!.rr[k]).toBeNaN();
      // and rejects the VF too: the interval is back
      expect(over('VT').map((e) => e.rhythm)).toContain('VF');
      for (const e of over('VT')) await model.decideEpisode(e.key, 'rejected');
      const again = model.rr()!;
      expect(again).not.toBe(s);
      expect(again.rr[k]).toBeGreaterThan(90_000);
    }, 60_000);
  });
});

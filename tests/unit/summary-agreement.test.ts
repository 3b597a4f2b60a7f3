// The analysis's summary (analyze --json) and the review summary / report of the same analysis before
// any review read the record alike: docs/report.md promises the report's figures are analyze's.
import { describe, expect, it } from 'vitest';
import { RATE_MIN_READABLE_SEC, type Analysis, type Episode } from '../../src/shared/analysis';
import { ReviewExport } from '../../src/shared/review';
import { analysisOfGaps } from '../helpers/analysis';
import { dataPath, needData } from '../helpers/data';
import { analyzeRecord } from '../../src/main/analysis';
import { holterReport } from '../../src/main/report/model';
import { reportHtml } from '../../src/main/report/html';
import { summaryRow, SUMMARY_COLUMNS } from '../../src/cli/commands/analyze';
import { stateOfAnalysis, stateOfReview } from '../../src/main/report/reviewed-state';
import { mergeEpisodes } from '../../src/renderer/src/lib/episodes';
import { reviewExportOf } from '../../src/renderer/src/lib/review-export';
import { ectopyTitle, reviewSummary } from '../../src/renderer/src/lib/review-summary';

const FS = 100;

/** An analysis over beats at `gapsSec` intervals from 1 s, each called as in `calls` (N, S or V), with `episodes`. */
const analysisOf = (gapsSec: number[], calls: string, episodes: Episode[]): Analysis => analysisOfGaps(gapsSec, calls, episodes, { fs: FS, first: FS });

function reportOf(a: Analysis) {
  const nFrames = Math.round(a.durationSec * FS);
  const record = { name: 't', fs: FS, nFrames, durationSec: a.durationSec, baseDate: null, baseTime: null, info: [], signals: [] };
  return holterReport({ record, state: stateOfAnalysis(a), models: [] });
}

/**
 * The app's Summary panel and its report of the same untouched review: the panel reads the episodes
 * under review (mergeEpisodes), the report the review export the app sends (report:page validates
 * it with the ReviewExport schema, as the bridge and IPC do).
 */
function panelAndAppReport(a: Analysis) {
  const nFrames = Math.round(a.durationSec * FS);
  const record = { name: 't', fs: FS, nFrames, durationSec: a.durationSec, baseDate: null, baseTime: null, info: [], signals: [] };
  const { beats } = stateOfAnalysis(a);
  const view = mergeEpisodes(a.episodes, new Map());
  const panel = reviewSummary(beats, a.threshold, view, { fs: FS, durationSec: a.durationSec });
  const sent = ReviewExport.parse(
    reviewExportOf({
      beats,
      record: { name: 't', hash: 'h', fs: FS },
      threshold: a.threshold,
      analysed: true,
      episodes: view,
      reviewer: 'r',
      exportedAt: '2026-12-07T00:00:00Z',
    })
  );
  return { panel, report: holterReport({ record, state: stateOfReview(sent, FS, 0.5), models: [] }), sent };
}

const noise = (from: number, to: number, source: Episode['source']): Episode => ({
  type: 'NOISE',
  onsetSample: from * FS,
  offsetSample: to * FS,
  confidence: 1,
  explanation: '',
  source,
});

describe('analysis summary and report of the same analysis', () => {
  it('longest pause: an RR interval under the rhythm model’s noise alone counts in both (the signal quality reads it readable)', () => {
    // 3 minutes at 0.8 s with one 1.5-s interval (under the pause limit) at 100 s, inside the model's noise
    const gaps = Array<number>(225).fill(0.8);
    gaps[125] = 1.5;
    const a = analysisOf(gaps, '', [noise(90, 110, 'model')]);
    expect(a.summary.longestPauseSec).toBeCloseTo(1.5, 6);
    expect(reportOf(a).summary.longestPauseSec).toBeCloseTo(a.summary.longestPauseSec, 6);
    // under the signal quality's noise it is left out by both
    const q = analysisOf(gaps, '', [noise(90, 110, 'rules')]);
    expect(q.summary.longestPauseSec).toBeCloseTo(0.8, 6);
    expect(reportOf(q).summary.longestPauseSec).toBeCloseTo(0.8, 6);
  });

  it('longest pause: the app’s report, made from its review export, reads the rhythm model’s noise as its Summary panel does', () => {
    // before: the export carried no episode source, so the report hid the 1.5-s interval the panel and analyze count
    const gaps = Array<number>(225).fill(0.8);
    gaps[125] = 1.5;
    for (const [source, longest] of [
      ['model', 1.5],
      ['rules', 0.8],
    ] as const) {
      const a = analysisOf(gaps, '', [noise(90, 110, source)]);
      const { panel, report } = panelAndAppReport(a);
      expect(a.summary.longestPauseSec).toBeCloseTo(longest, 6);
      expect(panel.longestPauseSec).toBeCloseTo(longest, 6);
      expect(report.summary.longestPauseSec).toBeCloseTo(longest, 6);
    }
    // an export made before episodes carried their source: the noise hides, as for an unknown episode
    const { sent } = panelAndAppReport(analysisOf(gaps, '', [noise(90, 110, 'model')]));
    const old = { ...sent, episodes: sent.episodes.map(({ source: _s, ...e }) => e) };
    expect(
      holterReport({ record: reportOf(analysisOf(gaps, '', [])).record, state: stateOfReview(old, FS, 0.5), models: [] }).summary.longestPauseSec
    ).toBeCloseTo(0.8, 6);
  });

  it('ectopy counts leave out the beats in unreadable time (a noise episode): counts, runs, burden of the readable beats, rate per readable hour', () => {
    // 6 minutes at 0.8 s (over 5 min readable: a rate per hour); a single V every 25th beat outside the noise; inside the noise [100 s, 130 s) a triplet and a couplet of V
    const gaps = Array<number>(450).fill(0.8);
    const sample = [FS];
    for (const g of gaps) sample.push(sample.at(-1)! + g * FS);
    const inNoise = (k: number) => sample[k]! >= 100 * FS && sample[k]! < 130 * FS;
    const first = sample.findIndex((_, k) => inNoise(k));
    const calls = sample.map((_, k) => (inNoise(k) ? ([2, 3, 4, 8, 9].includes(k - first) ? 'V' : 'N') : k % 25 === 12 ? 'V' : 'N')).join('');
    const outside = [...calls].filter((c, k) => c === 'V' && !inNoise(k)).length;
    const readableBeats = sample.filter((_, k) => !inNoise(k)).length;
    const a = analysisOf(gaps, calls, [noise(100, 130, 'rules')]);
    const readableHours = (a.durationSec - 30) / 3600;
    expect(a.summary).toMatchObject({ beats: sample.length, pvcCount: outside, couplets: 0, triplets: 0 });
    expect(a.summary.pvcBurden).toBeCloseTo(outside / readableBeats, 12);
    expect(a.summary.pvcPerHour).toBeCloseTo(outside / readableHours, 9);
    const r = reportOf(a);
    expect(r.summary.v).toMatchObject({ count: outside, model: outside, couplets: 0, triplets: 0 });
    expect(r.summary.v.burden).toBeCloseTo(a.summary.pvcBurden, 12);
    expect(r.summary.v.perHour).toBeCloseTo(a.summary.pvcPerHour, 9);
    expect(r.hourly.reduce((t, h) => t + h.v, 0)).toBe(outside);
    expect(r.summary.beats).toBe(sample.length);
  });

  it('no PVC rate per hour from under 5 minutes of readable signal: the analysis says 0, the review, the report and the table "—"; the counts stand', () => {
    // 6 minutes at 0.8 s, a V every 25th beat; 70 s of noise leave 292 s readable, 30 s leave 332 s
    const gaps = Array<number>(450).fill(0.8);
    const calls = gaps.map((_, k) => (k % 25 === 12 ? 'V' : 'N')).join('') + 'N';
    const short = analysisOf(gaps, calls, [noise(100, 170, 'rules')]);
    expect(short.durationSec - short.summary.unreadableSec!).toBeLessThan(RATE_MIN_READABLE_SEC);
    expect(short.summary.pvcCount).toBeGreaterThan(10);
    expect(short.summary.pvcPerHour).toBe(0);
    const { panel, report } = panelAndAppReport(short);
    expect(panel.v.count).toBe(short.summary.pvcCount);
    expect(panel.v.perHour).toBeNaN();
    expect(panel.s.perHour).toBeNaN();
    expect(report.summary.v.perHour).toBeNaN();
    expect(reportHtml(report, { strips: [], paper: 'A4', madeAt: 'x', appVersion: 't' })).toContain('— (under 5 min of readable signal)');
    expect(summaryRow(short, 0)[SUMMARY_COLUMNS.indexOf('PVC/h')]).toBe('—');
    const enough = analysisOf(gaps, calls, [noise(100, 130, 'rules')]);
    const readableHours = (enough.durationSec - enough.summary.unreadableSec!) / 3600;
    expect(enough.durationSec - enough.summary.unreadableSec!).toBeGreaterThanOrEqual(RATE_MIN_READABLE_SEC);
    expect(enough.summary.pvcPerHour).toBeCloseTo(enough.summary.pvcCount / readableHours, 9);
    expect(panelAndAppReport(enough).panel.v.perHour).toBeCloseTo(enough.summary.pvcPerHour, 9);
    expect(summaryRow(enough, 0)[SUMMARY_COLUMNS.indexOf('PVC/h')]).toBe(enough.summary.pvcPerHour.toFixed(0));
  });

  it('exactly 5 minutes of readable signal give a rate, in the analysis, the review (its tooltip too) and the table, though its seconds sum to 299.99999999999994', () => {
    // 250 Hz, 642 beats 0.8 s apart from 1 s: 128 700 frames, 53 700 of them (100-314.8 s) unreadable, 75 000 (300 s) readable
    const fs = 250;
    const gaps = Array<number>(641).fill(0.8);
    const calls = gaps.map((_, k) => (k % 25 === 12 ? 'V' : 'N')).join('') + 'N';
    const noisy: Episode = { ...noise(0, 0, 'rules'), onsetSample: 100 * fs, offsetSample: 78_700 };
    const a = analysisOfGaps(gaps, calls, [noisy], { fs, first: fs });
    expect(Math.round(a.durationSec * fs) - (noisy.offsetSample - noisy.onsetSample)).toBe(RATE_MIN_READABLE_SEC * fs);
    expect(a.durationSec - a.summary.unreadableSec!).toBeLessThan(RATE_MIN_READABLE_SEC);
    expect(a.summary.pvcCount).toBeGreaterThan(10);
    expect(a.summary.pvcPerHour).toBeCloseTo(a.summary.pvcCount * 12, 6);
    const panel = reviewSummary(stateOfAnalysis(a).beats, a.threshold, mergeEpisodes(a.episodes, new Map()), { fs, durationSec: a.durationSec });
    expect(panel.v.perHour).toBeCloseTo(a.summary.pvcPerHour, 6);
    expect(ectopyTitle('PVC', panel.unreadable.sec, a.durationSec)).not.toContain('no rate');
    expect(summaryRow(a, 0)[SUMMARY_COLUMNS.indexOf('PVC/h')]).toBe(a.summary.pvcPerHour.toFixed(0));
  });

  it.runIf(needData('vfdb'))(
    'vfdb 605, readable for 30 s of its 35 min: its 68 PVCs give no rate per hour (one VT run read as 8160 an hour), in the analysis or the review',
    async () => {
      const a = await analyzeRecord(dataPath('vfdb', '605'), { cacheDir: null, beats: 'detector' });
      expect(a.durationSec - a.summary.unreadableSec!).toBeLessThan(60);
      expect(a.summary.pvcCount).toBeGreaterThan(0);
      expect(a.summary.pvcPerHour).toBe(0);
      const panel = reviewSummary(stateOfAnalysis(a).beats, a.threshold, mergeEpisodes(a.episodes, new Map()), { fs: a.fs, durationSec: a.durationSec });
      expect(panel.v.count).toBe(a.summary.pvcCount);
      expect(panel.v.perHour).toBeNaN();
    },
    120_000
  );

  it('heart rate leaves out the intervals across fibrillation or flutter (no QRS): no bradycardia read from a VF stretch', () => {
    // 4 minutes at 0.75 s (80 bpm), then 30 s of VF with no beat found, then 4 minutes more
    const gaps = [...Array<number>(320).fill(0.75), 30, ...Array<number>(320).fill(0.75)];
    const vf: Episode = { type: 'VT', rhythm: 'VF', onsetSample: 241 * FS, offsetSample: 270 * FS, confidence: 1, explanation: '', source: 'model' };
    const a = analysisOf(gaps, '', [vf]);
    expect([Math.round(a.summary.meanHr), Math.round(a.summary.minHr)]).toEqual([80, 80]);
    const r = reportOf(a).summary.hr;
    expect([Math.round(r.mean), Math.round(r.min)]).toEqual([80, 80]);
    // VT of an organised rhythm keeps its intervals: its beats are the heart rate
    const vt = analysisOf(gaps, '', [{ ...vf, rhythm: 'VT' }]);
    expect(vt.summary.minHr).toBeLessThan(60);
    expect(reportOf(vt).summary.hr.min).toBeCloseTo(vt.summary.minHr, 6);
  });

  it('the hourly table’s mean rate leaves out the intervals across fibrillation or flutter as the summary’s does (one hour: the same mean)', () => {
    // before: the hourly mean read the 30-s "interval" across the VF (78.5 bpm in hour 0 beside a summary mean of 80)
    const gaps = [...Array<number>(320).fill(0.75), 30, ...Array<number>(320).fill(0.75)];
    const vf: Episode = { type: 'VT', rhythm: 'VF', onsetSample: 241 * FS, offsetSample: 270 * FS, confidence: 1, explanation: '', source: 'model' };
    const r = reportOf(analysisOf(gaps, '', [vf]));
    expect(r.hourly.length).toBe(1);
    expect(r.hourly[0]!.hrMean).toBeCloseTo(r.summary.hr.mean, 6);
    expect(Math.round(r.hourly[0]!.hrMean)).toBe(80);
  });
});

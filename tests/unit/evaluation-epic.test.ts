// Hand-built cases with known answers for the epic-equivalent episode comparison.
import { describe, expect, it } from 'vitest';
import {
  compareEpisodes,
  compareRhythm,
  episodesFromAnnotations,
  EvaluationError,
  formatEpisodeLine,
  formatEpisodeSummary,
  sumEpisodes,
  type EpisodeComparison,
  type RhythmAnnotation,
} from '../../src/main/evaluation';

const RHYTHM = 28,
  VFON = 32,
  VFOFF = 33,
  N = 1;
const rhythm = (sample: number, aux: string): RhythmAnnotation => ({ sample, code: RHYTHM, aux });

describe('episodesFromAnnotations', () => {
  const anns = [
    rhythm(0, '(N'),
    rhythm(1000, '(AFIB'),
    rhythm(1500, '(AFIB'),
    { sample: 2000, code: N },
    rhythm(3000, '(N'),
    rhythm(5000, '(AFIB'),
    { sample: 6000, code: N },
  ];
  it('runs AF from "(AFIB" to the next other rhythm, closing an open one at the record end', () => {
    expect(episodesFromAnnotations(anns, 'AF', 10000)).toEqual([
      { onset: 1000, offset: 3000 },
      { onset: 5000, offset: 10000 },
    ]);
  });
  it('closes an open episode at the last annotation when the record length is unknown', () => {
    expect(episodesFromAnnotations(anns, 'AF').at(-1)).toEqual({ onset: 5000, offset: 6000 });
  });
  it('reads VF from VFON/VFOFF and VT from "(VT" (not "(SVTA")', () => {
    const v = [{ sample: 100, code: VFON }, { sample: 400, code: VFOFF }, rhythm(500, '(SVTA'), rhythm(600, '(VT'), rhythm(900, '(N')];
    expect(episodesFromAnnotations(v, 'VF')).toEqual([{ onset: 100, offset: 400 }]);
    expect(episodesFromAnnotations(v, 'VT')).toEqual([{ onset: 600, offset: 900 }]);
  });
});

describe('compareEpisodes', () => {
  const ref = [
    { onset: 1000, offset: 3000 },
    { onset: 5000, offset: 6000 },
  ];
  const test = [
    { onset: 2000, offset: 4000 },
    { onset: 7000, offset: 8000 },
  ];

  it('gives episode and duration Se and +P', () => {
    const c = compareEpisodes(ref, test, { fs: 1 });
    expect(c.episodeSe).toEqual({ tp: 1, miss: 1, value: 0.5 });
    expect(c.episodePpv).toEqual({ tp: 1, miss: 1, value: 0.5 });
    expect(c.durationSe).toEqual({ overlap: 1000, total: 3000, value: 1000 / 3000 });
    expect(c.durationPpv).toEqual({ overlap: 1000, total: 3000, value: 1000 / 3000 });
  });

  it('does not count episodes that only touch', () => {
    const c = compareEpisodes([{ onset: 0, offset: 100 }], [{ onset: 100, offset: 200 }], { fs: 1 });
    expect(c.episodeSe.tp).toBe(0);
    expect(c.episodePpv.tp).toBe(0);
  });

  it('clips episodes to the comparison interval and drops those before it', () => {
    const c = compareEpisodes([{ onset: 0, offset: 400 }, ...ref], test, { fs: 1, startSec: 1500 });
    expect(c.episodeSe.tp + c.episodeSe.miss).toBe(2);
    expect(c.durationSe.total).toBe(1500 + 1000);
    expect(c.durationSe.overlap).toBe(1000);
  });

  it('an end of 0 is no end, as epic -t 0 (it compared nothing, or refused a start)', () => {
    expect(compareEpisodes(ref, test, { fs: 1, endSec: 0 })).toEqual(compareEpisodes(ref, test, { fs: 1 }));
    expect(compareEpisodes(ref, test, { fs: 1, startSec: 1500, endSec: 0 })).toEqual(compareEpisodes(ref, test, { fs: 1, startSec: 1500 }));
    expect(() => compareEpisodes(ref, test, { fs: 1, endSec: -1 })).toThrow(EvaluationError);
  });

  it('one long test episode over two reference episodes detects both', () => {
    const c = compareEpisodes(ref, [{ onset: 500, offset: 5500 }], { fs: 1 });
    expect(c.episodeSe).toEqual({ tp: 2, miss: 0, value: 1 });
    expect(c.durationSe.overlap).toBe(2500);
    expect(c.durationPpv).toEqual({ overlap: 2500, total: 5000, value: 0.5 });
  });

  it('ignores episodes shorter than the minimum duration', () => {
    const c = compareEpisodes(ref, [...test, { onset: 9000, offset: 9005 }], { fs: 1, minDurationSec: 10 });
    expect(c.episodePpv.miss).toBe(1);
  });

  it('rejects overlapping or reversed episodes', () => {
    expect(() =>
      compareEpisodes(
        [
          { onset: 0, offset: 10 },
          { onset: 5, offset: 20 },
        ],
        [],
        { fs: 1 }
      )
    ).toThrow(EvaluationError);
    expect(() => compareEpisodes([], [{ onset: 10, offset: 5 }], { fs: 1 })).toThrow(EvaluationError);
  });
});

describe('compareRhythm AF', () => {
  const ref = [rhythm(10, '(N'), rhythm(1000, '(AFL'), rhythm(2000, '(N'), rhythm(3000, '(AFIB'), rhythm(4000, '(N')];
  const test = [rhythm(10, '(N'), rhythm(1100, '(AFIB'), rhythm(1900, '(N'), rhythm(3500, '(AFIB'), rhythm(4500, '(N')];

  it('neither penalises nor rewards AF called during reference atrial flutter', () => {
    const c = compareRhythm(ref, test, 'AF', { fs: 1, recordLength: 5000 });
    expect(c.episodePpv).toEqual({ tp: 1, miss: 0, value: 1 });
    expect(c.durationPpv).toEqual({ overlap: 500, total: 1000, value: 0.5 });
    expect(c.episodeSe).toEqual({ tp: 1, miss: 0, value: 1 });
    expect(c.durationSe.value).toBe(0.5);
  });

  it('trims a test episode that runs into reference flutter', () => {
    const t2 = [rhythm(10, '(N'), rhythm(1500, '(AFIB'), rhythm(3500, '(N')];
    const c = compareRhythm(ref, t2, 'AF', { fs: 1, recordLength: 5000 });
    // [1500, 3500) less the flutter [1000, 2000): 1500 samples, 500 of them in reference AF.
    expect(c.durationPpv).toEqual({ overlap: 500, total: 1500, value: 500 / 1500 });
  });
});

describe('sumEpisodes', () => {
  it('sums counts and durations (gross) and averages per-record ratios where defined', () => {
    const a = compareEpisodes([{ onset: 0, offset: 100 }], [{ onset: 50, offset: 150 }], { fs: 1 });
    const b = compareEpisodes([], [{ onset: 0, offset: 100 }], { fs: 1 });
    const s = sumEpisodes([a, b]);
    expect(s.gross.episodeSe).toEqual({ tp: 1, miss: 0, value: 1 });
    expect(s.gross.episodePpv).toEqual({ tp: 1, miss: 1, value: 0.5 });
    expect(s.gross.durationPpv.value).toBe(50 / 200);
    expect(s.average.episodeSe).toBe(1);
    expect(s.average.episodePpv).toBe(0.5);
    expect(s.average.durationPpv).toBe((0.5 + 0) / 2);
  });
});

describe('episode tables round as epic and sumstats print', () => {
  const c: EpisodeComparison = {
    episodeSe: { tp: 23, miss: 17, value: 23 / 40 },
    episodePpv: { tp: 5, miss: 3, value: 5 / 8 },
    durationSe: { overlap: 23, total: 40, value: 23 / 40 },
    durationPpv: { overlap: 5, total: 8, value: 5 / 8 },
    fs: 1,
  };
  it('a record row: (int)((100.*a)/b + 0.5) from the counts (57.5 is 58; 100 * (23/40) falls just short)', () => {
    expect(formatEpisodeLine('r', c).trim().split(/\s+/).slice(5, 9)).toEqual(['58', '63', '58', '63']);
  });
  it('Gross and Average rows: %3.0f, exact halves to even (62.5 is 62)', () => {
    const [, , gross, average] = formatEpisodeSummary(sumEpisodes([c])).split('\n');
    expect(gross!.split(/\s+/).slice(1)).toEqual(['58', '62', '58', '62']);
    // sumstats averages episode Se/+P from each row's counts, but DSe / D+P from the row's printed
    // percentage (CDS += atof(mds)/100.): the row's 58 and 63, not 57.5 and 62.5
    expect(average!.split(/\s+/).slice(1)).toEqual(['57', '62', '58', '63']);
  });
  it("Average durations: the mean of the rows' printed percentages, rows without a duration left out", () => {
    const d = (overlap: number, total: number) => ({ overlap, total, value: total > 0 ? overlap / total : null });
    const e = { tp: 0, miss: 0, value: null };
    // rows print DSe 58 (57.5), 1 (0.6) and - ; D+P 63 (62.5), 100 and a 0.4 s test duration printed 0:00:00
    const rows: EpisodeComparison[] = [
      { ...c },
      { episodeSe: e, episodePpv: e, durationSe: d(6, 1000), durationPpv: d(10, 10), fs: 1 },
      { episodeSe: e, episodePpv: e, durationSe: d(0, 0), durationPpv: d(2, 4), fs: 10 },
    ];
    const average = formatEpisodeSummary(sumEpisodes(rows)).split('\n')[3]!;
    // (58 + 1) / 2 = 29.5 → 30 (%3.0f of 100 * 0.59 / 2); (63 + 100) / 2 = 81.5 → 82
    expect(average.split(/\s+/).slice(3)).toEqual(['30', '82']);
  });
});

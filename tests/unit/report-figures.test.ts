// The report's figures against hand-computed values: HRV on NN intervals, the hourly table, runs,
// the reviewed state (relabels, deletions, X, added beats, episode decisions) and the strips.
import { describe, expect, it } from 'vitest';
import { REVIEW_FORMAT, type ReviewExport, type ReviewedBeat, type ReviewedEpisode } from '../../src/shared/review';
import { hrv, hourly, fastRuns, keptBeats, pauseCounts, readableBetween, V, N, S, type KeptBeats } from '../../src/main/report/figures';
import { holterReport, stripWindow, type ReportRecord } from '../../src/main/report/model';
import { stateOfReview } from '../../src/main/report/reviewed-state';
import { leadsText, reportHtml } from '../../src/main/report/html';
import { tachogramSvg } from '../../src/main/report/trends';
import { modelsNote } from '../../src/main/report/make';
import type { Analysis } from '../../src/shared/analysis';
import { hrTrend } from '../../src/renderer/src/lib/hr-trend';

const kept = (sample: number[], code: number[]): KeptBeats => ({ sample: Int32Array.from(sample), code: Uint8Array.from(code) });

describe('HRV on NN intervals', () => {
  it('SDNN, RMSSD and pNN50 of five NN intervals (fs 5: a sample is 200 ms)', () => {
    // intervals 800 800 900 800 1000 samples (× 200 ms): mean 860, squared deviations 3600·3 + 1600 + 19600 = 32000, /4 → SDNN √8000
    // successive differences 0 100 −100 200: RMSSD √(60000/4), pNN50 3/4
    const h = hrv(kept([0, 800, 1600, 2500, 3300, 4300], [N, N, N, N, N, N]), 5, []);
    expect(h.nn).toBe(5);
    expect(h.sdnnMs).toBeCloseTo(200 * Math.sqrt(8000), 6);
    expect(h.rmssdMs).toBeCloseTo(200 * Math.sqrt(15000), 6);
    expect(h.pnn50).toBe(0.75);
  });

  it('leaves out intervals touching a non-N beat or unreadable time, and pairs only adjacent NN intervals', () => {
    // beat 3 is V: 1600→2500 and 2500→3300 go; the last interval lies in noise: NN = 800, 800 → one difference, 0
    const h = hrv(kept([0, 800, 1600, 2500, 3300, 4300, 5100], [N, N, N, V, N, N, N]), 5, [[4400, 5000]]);
    expect(h.nn).toBe(3); // 800, 800, 1000 (3300→4300); 4300→5100 overlaps the noise
    expect(h.rmssdMs).toBe(0);
    expect(h.pnn50).toBe(0);
    expect(h.sdnnMs).toBeCloseTo(200 * Math.sqrt(((800 - 866.6667) ** 2 * 2 + (1000 - 866.6667) ** 2) / 2), 1);
  });

  it('pNN50 is of the successive differences (pairs of adjacent NN intervals), not of the NN intervals, nor of pairs across a left-out interval', () => {
    // intervals 800 800 900 | 800 (touches noise: left out) | 1000 800 samples (× 200 ms): NN runs 800 800 900 and 1000 800
    // differences 0, 100, −200 (× 200 ms): 2 over 50 ms of 3; of the 5 NN intervals it would be 2/5, across the gap (900→1000) 3/4
    const h = hrv(kept([0, 800, 1600, 2500, 3300, 4300, 5100], [N, N, N, N, N, N, N]), 5, [[2600, 3000]]);
    expect(h.nn).toBe(5);
    expect(h.pnn50).toBeCloseTo(2 / 3, 12);
    expect(h.rmssdMs).toBeCloseTo(200 * Math.sqrt((0 + 100 ** 2 + 200 ** 2) / 3), 6);
  });

  it('no SDNN, RMSSD or pNN50 from under 5 minutes of NN intervals (Task Force 1996)', () => {
    // mitdb 203 in AF for 99 % of its 30 minutes kept 15 NN intervals: 11 s, no HRV to report
    const short = hrv(kept([0, 800, 1600, 2500, 3300, 4300], [N, N, N, N, N, N]), 1000, []);
    expect([short.nn, short.sdnnMs, short.rmssdMs, short.pnn50]).toEqual([5, NaN, NaN, NaN]);
    // 330 s of such intervals are enough
    const s = Array.from({ length: 400 }, (_, i) => [0, 800, 1600, 2500][i % 4]! + 3300 * Math.floor(i / 4));
    const enough = hrv(
      kept(
        s,
        s.map(() => N)
      ),
      1000,
      []
    );
    expect(Number.isFinite(enough.sdnnMs) && Number.isFinite(enough.rmssdMs) && Number.isFinite(enough.pnn50)).toBe(true);
  });

  it('SDANN over 5-minute means', () => {
    // fs 1: beats each second up to 299 (segment 0: 299 intervals of 1000 ms), then every 2 s (segment 1: 2000 ms)
    const s: number[] = [];
    for (let t = 0; t <= 299; t++) s.push(t);
    for (let t = 301; t <= 599; t += 2) s.push(t);
    const h = hrv(
      kept(
        s,
        s.map(() => N)
      ),
      1,
      []
    );
    expect(h.sdannMs).toBeCloseTo(Math.sqrt(((1000 - 1500) ** 2 + (2000 - 1500) ** 2) / 1), 6);
  });

  it('SDANN leaves out a 5-min segment its NN intervals cover less than half of (the record’s last seconds, one mostly excluded)', () => {
    // fs 10: segments 0 and 1 at 1000 ms, segment 2 at 1100 ms; then the record's last 6 s (segment 3) at 500 ms.
    // With noise over [600 s, 800 s) segment 2's 100 s of NN intervals are no 5-minute mean either.
    const s: number[] = [];
    for (let t = 0; t < 600; t++) s.push(t);
    for (let t = 600; t < 900; t += 1.1) s.push(t);
    for (let t = 900; t <= 906; t += 0.5) s.push(t);
    const k = kept(
      s.map((t) => Math.round(t * 10)),
      s.map(() => N)
    );
    expect(hrv(k, 10, []).sdannMs).toBeCloseTo(Math.sqrt(((1000 - 1033.33) ** 2 * 2 + (1100 - 1033.33) ** 2) / 2), 0);
    expect(hrv(k, 10, [[6000, 8000]]).sdannMs).toBeCloseTo(0, 6); // segments 0 and 1 alone
  });
});

describe('hourly table', () => {
  // fs 1, two hours of beats every second; beats 100–104 missing (a 6-s gap inside a rejected
  // pause), a 6-s pause 3599 → 3605 in hour 1; V at 10 and 20, S at 3700.
  const s: number[] = [];
  for (let t = 0; t < 7200; t++) if ((t < 100 || t > 104) && (t < 3600 || t >= 3605)) s.push(t);
  const code = s.map((t) => (t === 10 || t === 20 ? V : t === 3700 ? S : N));
  const k = kept(s, code);
  const rejectedPause = { type: 'PAUSE' as const, onsetSample: 90, offsetSample: 110, status: 'rejected' as const, base: null };
  const rows = hourly(k, 1, 7200, hrTrend(k.sample, 1), 2, pauseCounts([rejectedPause]));

  it('counts beats, PVCs, S beats and pauses per hour (a pause inside a rejected episode is not one)', () => {
    expect(rows.map((r) => r.beats)).toEqual([3595, 3595]);
    expect(rows.map((r) => r.v)).toEqual([2, 0]);
    expect(rows.map((r) => r.s)).toEqual([0, 1]);
    expect(rows.map((r) => r.pauses)).toEqual([0, 1]);
  });

  it('a gap over noise counts as a pause where a kept pause episode marks it (asystole the rhythm model reads as noise); one inside VT/VF does not', () => {
    const ep = (type: 'PAUSE' | 'NOISE' | 'VT', onsetSample: number, offsetSample: number) => ({
      type,
      onsetSample,
      offsetSample,
      status: 'unreviewed' as const,
      base: null,
    });
    expect(pauseCounts([ep('NOISE', 95, 115)])(99, 105)).toBe(false);
    expect(pauseCounts([ep('NOISE', 95, 115), ep('PAUSE', 99, 105)])(99, 105)).toBe(true);
    expect(pauseCounts([ep('VT', 95, 115)])(99, 105)).toBe(false);
  });

  it('mean rate over the hour’s intervals; min / max are its extreme minute means', () => {
    // hour 0: 3594 intervals over 3599 s; hour 1: 3595 intervals (the first is 3599 → 3605) over 3600 s
    expect(rows[0]!.hrMean).toBeCloseTo((60 * 3594) / 3599, 9);
    expect(rows[1]!.hrMean).toBeCloseTo((60 * 3595) / 3600, 9);
    // minute 1 and minute 60 each hold 55 intervals over 60 s (the 6-s gap): 55 bpm; the others 60
    expect(rows[0]!.hrMin).toBeCloseTo(55, 4);
    expect(rows[0]!.hrMax).toBeCloseTo(60, 4);
    expect(rows[1]!.hrMin).toBeCloseTo(55, 4);
  });

  it('the mean rate leaves out intervals over unreadable signal (a NOISE episode), as the summary does', () => {
    const noise = [{ type: 'NOISE' as const, onsetSample: 3590, offsetSample: 3610, status: 'added' as const, base: null }];
    const withNoise = hourly(k, 1, 7200, hrTrend(k.sample, 1), 2, pauseCounts(noise), readableBetween(noise));
    // hour 0 loses its intervals closing at 3591–3599 (9), hour 1 the 6-s one and those closing at 3606–3610 (5)
    expect(withNoise[0]!.hrMean).toBeCloseTo((60 * (3594 - 9)) / (3599 - 9), 9);
    expect(withNoise[1]!.hrMean).toBeCloseTo((60 * (3595 - 6)) / (3600 - 6 - 5), 9);
  });
});

describe('runs', () => {
  it('rates a run over its intervals and the one into its first beat; slower or shorter runs do not count', () => {
    // fs 100: N at 0, 100, 200; V at 240, 280, 320 (rate over 200→320: 3 intervals in 1.2 s = 150 bpm); N 420; V V at 460, 500 (a couplet)
    const k = kept([0, 100, 200, 240, 280, 320, 420, 460, 500], [N, N, N, V, V, V, N, V, V]);
    const runs = fastRuns(k, 100, V, 3, 100, []);
    expect(runs).toEqual([{ onsetSample: 240, offsetSample: 320, beats: 3, bpm: 150 }]);
    expect(fastRuns(k, 100, V, 3, 150, [])).toEqual([]);
    expect(fastRuns(k, 100, V, 3, 100, [[200, 400]])).toEqual([]);
  });
});

const FS = 100;
const record: ReportRecord = { name: 'r', fs: FS, nFrames: 60 * 60 * FS, durationSec: 3600, baseDate: null, baseTime: null, info: [], signals: ['MLII', 'V1'] };

function review(beats: Partial<ReviewedBeat>[], episodes: ReviewedEpisode[] = []): ReviewExport {
  return {
    format: REVIEW_FORMAT,
    version: 1,
    record: { name: 'r', hash: '', fs: FS },
    threshold: 0.5,
    exportedAt: '2026-12-01T10:00:00.000Z',
    reviewer: 'dr a',
    beats: beats.map((b) => ({ sample: 0, label: 'N', status: 'unreviewed', predicted: b.label === 'X' ? 'N' : (b.label ?? 'N'), ...b }) as ReviewedBeat),
    episodes,
  };
}

describe('report of a review', () => {
  // one beat a second for the hour, V every 60th beat as the model called it
  const base = Array.from({ length: 3600 }, (_, i) => ({ sample: i * FS, label: (i % 60 === 30 ? 'V' : 'N') as ReviewedBeat['label'] }));
  const af: ReviewedEpisode = { type: 'AF', onsetSample: 600 * FS, offsetSample: 960 * FS, confidence: 0.9, explanation: '', status: 'unreviewed' };

  it('counts the model’s call when nothing is reviewed', () => {
    const r = holterReport({ record, state: stateOfReview(review(base, [af]), FS, 0.5), models: [] });
    expect(r.summary.beats).toBe(3600);
    expect(r.summary.v.count).toBe(60);
    expect(r.summary.v.perHour).toBe(60);
    expect(r.af.burden).toBeCloseTo(360 / 3600, 12);
    expect(r.af.episodes).toEqual([{ onsetSample: 60000, offsetSample: 96000, sec: 360 }]);
    expect(r.reviewed).toBe(false); // a review that decided nothing is model output (the app's preview of it too)
    expect(r.hourly[0]!.v).toBe(60);
    expect(r.decided).toEqual({ beats: 0, beatsTotal: 3600, episodes: 0, episodesTotal: 1 });
    expect(reportHtml(r, { strips: [], paper: 'A4', madeAt: 'x', appVersion: 't' })).toContain('not reviewed: model output');
  });

  it('says how much the review decided, and who (or that the file names no one), dated by its last decision', () => {
    const beats = base.map((b, i) => (i < 10 ? { ...b, status: 'confirmed' as const, reviewedAt: `2026-11-2${i % 3}T08:00:00.000Z` } : b));
    const r = holterReport({ record, state: stateOfReview({ ...review(beats, [{ ...af, status: 'rejected' }]), reviewer: '' }, FS, 0.5), models: [] });
    expect(r.decided).toEqual({ beats: 10, beatsTotal: 3600, episodes: 1, episodesTotal: 1 });
    expect(r.reviewedAt).toBe('2026-11-22T08:00:00.000Z');
    const html = reportHtml(r, { strips: [], paper: 'A4', madeAt: '2026-12-01T10:00:00.000Z', appVersion: 't' });
    expect(html).toContain('not named in the review file');
    expect(html).toContain('Operating threshold P(V)</th><td>0.500');
    // a review made before any analysis applied no threshold: the report does not print the fallback as one
    const before = holterReport({ record, state: stateOfReview({ ...review(beats), threshold: null }, FS, 0.5), models: [] });
    expect(reportHtml(before, { strips: [], paper: 'A4', madeAt: 'x', appVersion: 't' })).toContain('none: reviewed before any analysis');
    expect(html).toContain('10 of 3600 beats, 1 of 1 episodes decided');
    expect(html).toContain('elapsed from the recording');
    // the recording-level call stood on the AF episode the review rejected: the header says so
    const call = { label: 'AF' as const, confidence: 0.9, sample: 600 * FS + 10, explanation: 'AF 6 min', episodeType: 'AF' as const };
    const withCall = holterReport({ record, state: stateOfReview(review(beats, [{ ...af, status: 'rejected' }]), FS, 0.5), models: [], recording: call });
    expect(withCall.recordingRejected).toBe(true);
    expect(reportHtml(withCall, { strips: [], paper: 'A4', madeAt: 'x', appVersion: 't' })).toContain('the reviewer rejected its episode');
    expect(holterReport({ record, state: stateOfReview(review(beats, [af]), FS, 0.5), models: [], recording: call }).recordingRejected).toBe(false);
  });

  it('names the models the review was made under when the analysis now under it is another version', () => {
    const use = (version: string) => [{ task: 'beat' as const, id: 'beat-pvc', version, provider: 'cpu' as const }];
    const rv = { ...review(base), models: [{ task: 'beat', id: 'beat-pvc', version: '3.6.0' }] };
    const note = modelsNote(rv, { models: use('3.7.0') } as unknown as Analysis);
    expect(note).toBe("the review was made on the analysis of beat-pvc 3.6.0; what it did not decide is beat-pvc 3.7.0's");
    expect(modelsNote(rv, { models: use('3.6.0') } as unknown as Analysis)).toBeNull();
    expect(modelsNote(review(base), { models: use('3.7.0') } as unknown as Analysis)).toBeNull(); // a review file that names none
    const r = holterReport({ record, state: stateOfReview(rv, FS, 0.5), models: use('3.7.0'), modelsNote: note! });
    expect(reportHtml(r, { strips: [], paper: 'A4', madeAt: 'x', appVersion: 't' })).toContain('Models of the review');
  });

  it('names a VT episode of rhythm VF apart: VT and VF episodes are counted on rows of their own', () => {
    const ep = (rhythm: 'VT' | 'VF', at: number): ReviewedEpisode => ({
      type: 'VT',
      rhythm,
      onsetSample: at * FS,
      offsetSample: (at + 20) * FS,
      confidence: 0.9,
      explanation: '',
      status: 'unreviewed',
    });
    const r = holterReport({ record, state: stateOfReview(review(base, [ep('VF', 100), ep('VF', 300), ep('VT', 500)]), FS, 0.5), models: [] });
    const html = reportHtml(r, { strips: [], paper: 'A4', madeAt: 'x', appVersion: 't' });
    expect(html).toMatch(/VT episodes<\/t[hd]>\s*<td[^>]*>1</);
    expect(html).toMatch(/VF episodes<\/t[hd]>\s*<td[^>]*>2</);
  });

  it('a relabel, a deletion, an X and an added V change the counts; a rejected AF episode leaves the burden', () => {
    const beats = base.map((b) => ({ ...b })) as Partial<ReviewedBeat>[];
    beats[30] = { sample: 30 * FS, label: 'N', status: 'relabelled', predicted: 'V' }; // V → N
    beats[90] = { sample: 90 * FS, label: 'V', status: 'deleted', predicted: 'V' }; // deleted
    beats[150] = { sample: 150 * FS, label: 'X', status: 'relabelled', predicted: 'V' }; // artefact
    beats.push({ sample: 200 * FS + 50, label: 'V', status: 'added' }); // added V
    const r = holterReport({ record, state: stateOfReview(review(beats, [{ ...af, status: 'rejected' }]), FS, 0.5), models: [] });
    expect(r.summary.v.count).toBe(60 - 3 + 1);
    expect(r.summary.beats).toBe(3600 - 2 + 1);
    expect(r.af.burden).toBe(0);
    expect(r.af.episodes).toEqual([]);
  });

  it('lists as leads the signals the analysis read, and how many the record holds when it holds more', () => {
    const twelve = ['i', 'ii', 'iii', 'avr', 'avl', 'avf', 'v1', 'v2', 'v3', 'v4', 'v5', 'v6', 'vx', 'vy', 'vz'];
    expect(leadsText(twelve, [1, 6])).toBe(`ii, v1 (analysed; the record holds 15 signals: ${twelve.join(', ')})`);
    expect(leadsText(['MLII', 'V1'], [0, 1])).toBe('MLII, V1');
    expect(leadsText(['MLII', 'V1'])).toBe('MLII, V1');
    const r = holterReport({ record: { ...record, signals: ['ABP', 'II'] }, state: stateOfReview(review(base), FS, 0.5), models: [] });
    expect(reportHtml(r, { strips: [], paper: 'A4', madeAt: 'x', appVersion: 't', leads: [1] })).toContain(
      'II (analysed; the record holds 2 signals: ABP, II)'
    );
  });

  it('places 10-s strips on the findings, within the record', () => {
    const beats = base.map((b) => ({ ...b })) as Partial<ReviewedBeat>[];
    // a 4-s pause: beats 1001–1003 deleted
    for (const i of [1001, 1002, 1003]) beats[i] = { sample: i * FS, label: 'N', status: 'deleted' };
    const r = holterReport({ record, state: stateOfReview(review(beats, [af]), FS, 0.5), models: [], marked: [{ sample: 5, note: 'start' }] });
    const pause = r.strips.find((s) => s.kind === 'pause')!;
    expect(r.summary.longestPauseSec).toBe(4);
    expect(pause.title).toBe('Longest pause');
    expect(pause.atSample).toBe(1002 * FS);
    // no pause over the limit: the longest RR interval, not called a pause (strip and table)
    const none = holterReport({ record, state: stateOfReview(review(base, [af]), FS, 0.5), models: [] });
    expect([none.summary.pauses, none.strips.find((s) => s.kind === 'pause')!.title]).toEqual([0, 'Longest RR interval']);
    expect(reportHtml(none, { strips: [], paper: 'A4', madeAt: 'x', appVersion: 't' })).not.toContain('Longest pause');
    // with unreadable time the PVC rate and burden say what they are of (the summary's readable hours and beats)
    const page = (u: number) => reportHtml({ ...none, unreadableSec: u }, { strips: [], paper: 'A4', madeAt: 'x', appVersion: 't' });
    expect(page(60)).toContain('PVCs per hour of analysed (readable) time');
    expect(page(60)).toContain('PVC burden (of the beats on readable signal)');
    expect(page(0)).toContain('<th>PVCs per hour</th>');
    // HRV's "—" says why (cudb cu05: 99 NN intervals, four bare dashes)
    const short = reportHtml(
      { ...none, hrv: { nn: 99, sdnnMs: NaN, sdannMs: NaN, rmssdMs: NaN, pnn50: NaN } },
      { strips: [], paper: 'A4', madeAt: 'x', appVersion: 't' }
    );
    expect(short).toContain('99 (under 5 min of them: no SDNN, RMSSD or pNN50)');
    expect([pause.fromSample, pause.toSample]).toEqual([997 * FS, 1007 * FS]);
    expect(r.strips.find((s) => s.kind === 'af')!.fromSample).toBe(597 * FS);
    expect(r.strips.find((s) => s.kind === 'marked')!.fromSample).toBe(0);
    expect(stripWindow(record.nFrames - 1, FS, record.nFrames)).toEqual([record.nFrames - 1000, record.nFrames]);
  });
});

describe('kept beats', () => {
  it('are the review summary’s: deleted and X beats out', () => {
    const st = stateOfReview(
      review([
        { sample: 0 },
        { sample: 100, label: 'X', status: 'relabelled' },
        { sample: 200, status: 'deleted' },
        { sample: 300, label: 'V', status: 'relabelled' },
      ]),
      FS,
      0.5
    );
    const k = keptBeats(st.beats, st.threshold);
    expect([...k.sample]).toEqual([0, 300]);
    expect([...k.code]).toEqual([N, V]);
  });
});

describe('HRV in a report', () => {
  it('leaves kept AF out of the NN intervals (its beats are N, its intervals are not sinus)', () => {
    // beats every second, N; an AF episode over [100 s, 200 s) with alternating 0.5 / 1.5 s intervals
    const s: number[] = [];
    for (let t = 0; t < 100; t++) s.push(t * FS);
    for (let t = 100, k = 0; t < 200; t += k++ % 2 ? 1.5 : 0.5) s.push(Math.round(t * FS));
    for (let t = 200; t < 3600; t++) s.push(t * FS);
    const beats = s.map((sample) => ({ sample, label: 'N' as const }));
    const ep = (status: ReviewedEpisode['status']): ReviewedEpisode => ({
      type: 'AF',
      onsetSample: 100 * FS,
      offsetSample: 200 * FS,
      confidence: 1,
      explanation: '',
      status,
    });
    const kept = holterReport({ record, state: stateOfReview(review(beats, [ep('confirmed')]), FS, 0.5), models: [] });
    expect(kept.hrv.sdnnMs).toBe(0); // only the 1-s intervals remain
    expect(kept.hrv.rmssdMs).toBe(0);
    const rejected = holterReport({ record, state: stateOfReview(review(beats, [ep('rejected')]), FS, 0.5), models: [] });
    expect(rejected.hrv.sdnnMs).toBeGreaterThan(50);
    expect(rejected.hrv.nn).toBeGreaterThan(kept.hrv.nn);
  });

  it('draws no RR interval across kept unreadable signal in the tachogram, as the review does', () => {
    // beats every second but none over [100 s, 160 s): 60 s of noise the review keeps (a pause only if it counts one)
    const beats = Array.from({ length: 3600 }, (_, i) => i)
      .filter((t) => t <= 100 || t >= 160)
      .map((t) => ({ sample: t * FS, label: 'N' as const }));
    const noise = (status: ReviewedEpisode['status']): ReviewedEpisode => ({
      type: 'NOISE',
      onsetSample: 100 * FS + 50,
      offsetSample: 160 * FS - 50,
      confidence: 1,
      explanation: '',
      status,
    });
    const kept = holterReport({ record, state: stateOfReview(review(beats, [noise('confirmed')]), FS, 0.5), models: [] });
    const across = kept.kept.sample.indexOf(160 * FS);
    expect([kept.rrRead[across], kept.rrRead[across + 1]]).toEqual([0, 1]);
    const rejected = holterReport({ record, state: stateOfReview(review(beats, [noise('rejected')]), FS, 0.5), models: [] });
    expect(rejected.rrRead[across]).toBe(1);
    // the 60-s interval is drawn (at the plot's top, y 8) only where the noise was rejected
    const highest = (svg: string) => Math.min(...[...svg.matchAll(/M[0-9.]+ ([0-9.]+)L/g)].map((m) => Number(m[1])));
    expect([highest(tachogramSvg(rejected)), highest(tachogramSvg(kept)) > 8]).toEqual([8, true]);
  });

  it('leaves kept VT/VF out of the NN intervals (the detector’s beats in fibrillation are called N)', () => {
    // beats every second, N; a VF episode over [100 s, 130 s) where the detector found beats 0.3 / 0.2 s apart, called N
    const s: number[] = [];
    for (let t = 0; t < 100; t++) s.push(t * FS);
    for (let t = 100, k = 0; t < 130; t += k++ % 2 ? 0.3 : 0.2) s.push(Math.round(t * FS));
    for (let t = 130; t < 3600; t++) s.push(t * FS);
    const beats = s.map((sample) => ({ sample, label: 'N' as const }));
    const vf = (status: ReviewedEpisode['status']): ReviewedEpisode => ({
      type: 'VT',
      rhythm: 'VF',
      onsetSample: 100 * FS,
      offsetSample: 130 * FS,
      confidence: 1,
      explanation: '',
      status,
    });
    const kept = holterReport({ record, state: stateOfReview(review(beats, [vf('unreviewed')]), FS, 0.5), models: [] });
    expect([kept.hrv.sdnnMs, kept.hrv.sdannMs, kept.hrv.rmssdMs]).toEqual([0, 0, 0]); // only the 1-s intervals remain
    const rejected = holterReport({ record, state: stateOfReview(review(beats, [vf('rejected')]), FS, 0.5), models: [] });
    expect(rejected.hrv.sdnnMs).toBeGreaterThan(50);
  });
});

describe('report consistency', () => {
  it('the hourly rows add up to the summary (beats, PVCs, S beats, pauses: not over noise, not in a rejected pause)', () => {
    const beats: Partial<ReviewedBeat>[] = [];
    for (let i = 0; i < 3600; i++) if (i % 700 < 5 || i % 700 > 7) beats.push({ sample: i * FS, label: i % 50 === 0 ? 'V' : i % 77 === 0 ? 'S' : 'N' });
    const ep = (type: 'NOISE' | 'PAUSE', at: number, status: ReviewedEpisode['status']): ReviewedEpisode => ({
      type,
      onsetSample: at * FS,
      offsetSample: (at + 10) * FS,
      confidence: 1,
      explanation: '',
      status,
    });
    // 4-s gaps at 4, 704, 1404, 2104, 2804 and 3504 s: the one under noise and the one in a rejected pause do not count, the one under rejected noise does
    const episodes = [ep('NOISE', 700, 'unreviewed'), ep('PAUSE', 1400, 'rejected'), ep('NOISE', 2100, 'rejected')];
    const r = holterReport({ record, state: stateOfReview(review(beats, episodes), FS, 0.5), models: [] });
    expect(r.summary.pauses).toBe(4);
    const sum = (k: 'beats' | 'v' | 's' | 'pauses') => r.hourly.reduce((a, h) => a + h[k], 0);
    expect(r.summary.pauses).toBeGreaterThan(0);
    expect([sum('beats'), sum('v'), sum('s'), sum('pauses')]).toEqual([r.summary.beats, r.summary.v.count, r.summary.s.count, r.summary.pauses]);
  });

  it('a review exported at another rate is scaled to the record’s', () => {
    const at250 = { ...review([{ sample: 250 }, { sample: 500, label: 'V', status: 'relabelled' }]), record: { name: 'r', hash: '', fs: 250 } };
    const st = stateOfReview(at250, FS, 0.5);
    expect([...st.beats.sample]).toEqual([100, 200]);
    expect(keptBeats(st.beats, 0.5).code[1]).toBe(V);
  });
});

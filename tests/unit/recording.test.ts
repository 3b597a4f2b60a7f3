import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeRecord, applyThreshold } from '../../src/main/analysis';
import { analysisJson } from '../../src/main/analysis/outputs';
import { recordingCall } from '../../src/main/analysis/recording';
import { stripAfReason, stripEpisodes, STRIP_AF_MIN_NORM_RMSSD, STRIP_AF_MIN_P } from '../../src/main/analysis/strip';
import { cincSplit } from '../../src/main/dataset/cinc';
import { rhythmSplitOfIndex, rhythmSplits } from '../../src/main/dataset/splits';
import { confirmModelVt, confirmVtRuns, joinVtRuns, ruleParams, ventricularOnset, wideBeats } from '../../src/main/rules';
import { medianRateBpm } from '../../src/main/rules/vt';
import { writeSynthRecord } from '../../src/main/synth';
import type { Analysis, AnalysisSummary, Episode, StripEvidence } from '../../src/shared/analysis';

const dir = mkdtempSync(join(tmpdir(), 'hbs-recording-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const FS = 300;
const ep = (type: Episode['type'], a: number, b: number, confidence = 0.9): Episode => ({
  type,
  onsetSample: a,
  offsetSample: b,
  confidence,
  explanation: `${type} here`,
  source: 'model',
});
const summary = (o: Partial<AnalysisSummary> = {}): AnalysisSummary => ({
  beats: 30,
  pvcCount: 0,
  pvcBurden: 0,
  pvcPerHour: 0,
  couplets: 0,
  triplets: 0,
  bigeminyEpisodes: 0,
  longestVtRunBeats: 0,
  afBurden: 0,
  longestPauseSec: 1,
  meanHr: 70,
  minHr: 70,
  maxHr: 70,
  ...o,
});
const strip = (pAf: number, minLagDiff: number, windows = 5): StripEvidence => ({
  windows,
  meanProbs: windows ? { other: 1 - pAf, AF: pAf, VT: 0, noise: 0 } : {},
  beats: 40,
  usableIntervals: 39,
  minLagDiff,
  normRmssd: 2 * minLagDiff,
});

describe('the recording-level call', () => {
  it('names the most significant finding: sustained VT over AF over nonsustained VT over a pause, with its onset and confidence', () => {
    const eps = [ep('PAUSE', 100, 900, 0.99), ep('AF', 0, 30 * FS, 0.8), ep('VT', 5000, 6000, 0.7)];
    const sustained = [...eps, ep('VT', 40 * FS, 75 * FS, 0.6)];
    const r = recordingCall({ durationSec: 120, fs: FS, episodes: sustained, summary: summary({ afBurden: 0.25 }) });
    expect([r.label, r.sample, r.confidence, r.episodeType]).toEqual(['VT', 40 * FS, 0.6, 'VT']);
    expect(r.explanation).toMatch(/^VT 35 s: VT here/);
    // a run of a few seconds in AF: the record is AF
    const af = recordingCall({ durationSec: 60, fs: FS, episodes: eps, summary: summary({ afBurden: 0.5 }) });
    expect([af.label, af.sample]).toEqual(['AF', 0]);
    expect(af.explanation).toMatch(/AF burden 50 %/);
    // ... and over a pause it is the finding
    const ns = recordingCall({ durationSec: 60, fs: FS, episodes: eps.filter((e) => e.type !== 'AF'), summary: summary() });
    expect([ns.label, ns.sample, ns.confidence, ns.nonsustained]).toEqual(['VT', 5000, 0.7, true]);
    expect(r.nonsustained).toBeUndefined(); // the 35-s run above is sustained
    expect(ns.explanation).toMatch(/^VT 3 s \(nonsustained\): VT here/);
    // salvos of a few beats joined into one episode of 37 s are still nonsustained
    const joined = { ...ep('VT', 11 * FS, 48 * FS, 0.99), longestRunSec: 1.2 };
    expect(recordingCall({ durationSec: 120, fs: FS, episodes: [ep('AF', 0, 120 * FS, 0.8), joined], summary: summary({ afBurden: 1 }) }).label).toBe('AF');
    expect(recordingCall({ durationSec: 120, fs: FS, episodes: [joined], summary: summary() }).explanation).toMatch(
      /^VT over 37 s, runs of up to 1 s \(nonsustained\)/
    );
  });

  it('is NOISE when noise covers most of the record, OTHER for frequent ectopy or an abnormal rate, else NORMAL', () => {
    expect(recordingCall({ durationSec: 30, fs: FS, episodes: [ep('NOISE', 0, 20 * FS, 0.6)], summary: summary() }).label).toBe('NOISE');
    expect(recordingCall({ durationSec: 30, fs: FS, episodes: [ep('NOISE', 0, 5 * FS)], summary: summary() }).label).toBe('NORMAL');
    expect(recordingCall({ durationSec: 30, fs: FS, episodes: [], summary: summary({ pvcBurden: 0.2, pvcCount: 6 }) }).label).toBe('OTHER');
    expect(recordingCall({ durationSec: 30, fs: FS, episodes: [], summary: summary({ meanHr: 130 }) }).explanation).toMatch(/mean rate 130 bpm/);
    const n = recordingCall({ durationSec: 30, fs: FS, episodes: [], summary: summary(), strip: strip(0.1, 0.01) });
    expect([n.label, n.sample]).toEqual(['NORMAL', 0]);
    expect(n.confidence).toBeCloseTo(0.9, 6);
  });
});

describe('strip AF', () => {
  const p = ruleParams();
  it('needs the model and an irregular RR together', () => {
    expect(stripAfReason(strip(0.8, 0.1), p)?.confidence).toBeCloseTo(0.8, 6);
    expect(stripAfReason(strip(0.8, 0.005), p)).toBeNull(); // regular RR: flutter with fixed block, sinus
    expect(stripAfReason(strip(STRIP_AF_MIN_P - 0.01, 0.2), p)).toBeNull();
  });

  it('is no AF on beats within a few per cent of each other, whatever the model reads (an 8-s strip: lags 2 %, RMSSD 3 %, P(AF) 0.65)', () => {
    const regular = { ...strip(0.65, 0.021), normRmssd: 0.03 };
    expect(stripAfReason(regular, p)).toBeNull();
    expect(stripAfReason({ ...regular, normRmssd: STRIP_AF_MIN_NORM_RMSSD + 0.005 }, p)?.confidence).toBeCloseTo(0.65, 6);
  });

  it('falls back to the RR rule thresholds over the whole strip without a model', () => {
    expect(stripAfReason(strip(0, 0.15, 0), p)?.why).toMatch(/RR irregular over the whole strip/);
    expect(stripAfReason(strip(0, 0.05, 0), p)).toBeNull();
    expect(stripAfReason({ ...strip(0, 0.3, 0), usableIntervals: 5 }, p)).toBeNull();
  });

  it('replaces window AF episodes by one AF episode over the strip, or none', () => {
    const eps = [ep('AF', 0, 10 * FS), ep('NOISE', 12 * FS, 15 * FS)];
    expect(stripEpisodes(eps, strip(0.9, 0.2), 20 * FS, FS, p).map((e) => [e.type, e.onsetSample, e.offsetSample])).toEqual([
      ['AF', 0, 20 * FS],
      ['NOISE', 12 * FS, 15 * FS],
    ]);
    expect(stripEpisodes(eps, strip(0.3, 0.2), 20 * FS, FS, p).map((e) => e.type)).toEqual(['NOISE']);
  });
});

describe('the rhythm model split of CinC 2017, vfdb and cudb', () => {
  it('puts index i % 5 == 0 in test and i % 10 == 3 in validation, by sorted name', () => {
    expect([0, 1, 3, 5, 10, 13, 15].map(rhythmSplitOfIndex)).toEqual(['test', 'train', 'validation', 'test', 'test', 'validation', 'test']);
    expect(rhythmSplits(['b', 'a', 'd', 'c']).map((r) => `${r.name}:${r.split}`)).toEqual(['a:test', 'b:train', 'c:train', 'd:validation']);
  });

  it("lists a CinC folder's recordings of one split with their REFERENCE.csv labels, and names the missing file", () => {
    const folder = join(dir, 'cinc');
    mkdirSync(folder);
    for (const n of ['A04', 'A01', 'A03', 'A02']) writeFileSync(join(folder, `${n}.hea`), '');
    writeFileSync(join(folder, 'A01.mat'), ''); // not a record of its own
    mkdirSync(join(dir, 'no-reference'));
    expect(() => cincSplit(join(dir, 'no-reference'), 'train')).toThrow(/no-reference.REFERENCE\.csv.*not found/);
    writeFileSync(join(folder, 'REFERENCE.csv'), 'A01,N\nA02,A\nA03,O\nA04,~\n');
    expect(cincSplit(folder, 'train')).toEqual([
      { name: 'A02', path: join(folder, 'A02'), label: 'A' },
      { name: 'A03', path: join(folder, 'A03'), label: 'O' },
    ]);
    expect(cincSplit(folder, 'validation').map((r) => `${r.name}:${r.label}`)).toEqual(['A04:~']);
    expect(cincSplit(folder, 'test').map((r) => r.name)).toEqual(['A01']);
  });
});

describe('a 20-s AF strip through the analysis', () => {
  it('is AF for its whole length, with the recording call in the JSON contract', async () => {
    const path = join(dir, 'af20');
    await writeSynthRecord(path, { scenario: 'af', minutes: 20 / 60, seed: 3, fs: FS });
    const a = await analyzeRecord(path, { cacheDir: null, beats: 'detector' });
    expect(a.durationSec).toBe(20);
    expect(a.summary.afBurden).toBeGreaterThan(0.99);
    expect(a.episodes.filter((e) => e.type === 'AF')).toHaveLength(1);
    expect(a.episodes.some((e) => e.type === 'VT')).toBe(false);
    const json = JSON.parse(JSON.stringify(analysisJson(a))) as { recording: Record<string, unknown> };
    expect(json.recording).toMatchObject({ label: 'AF', sample: 0 });
    expect(json.recording.confidence).toBeGreaterThan(STRIP_AF_MIN_P);
    expect(json.recording.explanation).toMatch(/AF over the whole 20-s strip/);
  }, 60_000);

  it('a 20-s sinus strip is not AF', async () => {
    const path = join(dir, 'n20');
    await writeSynthRecord(path, { scenario: 'normal', minutes: 20 / 60, seed: 3, fs: FS });
    const a = await analyzeRecord(path, { cacheDir: null, beats: 'detector' });
    expect(a.summary.afBurden).toBe(0);
    expect(a.recording?.label).toBe('NORMAL');
  }, 60_000);
});

describe('VT only when it is VT', () => {
  const p = ruleParams();
  const FS2 = 250;
  // 20 beats at 150 bpm (every 100 samples)
  const sample = Int32Array.from({ length: 20 }, (_, k) => 1000 + 100 * k);
  const vtRun = (a: number, b: number): Episode => ({
    type: 'VT',
    onsetSample: sample[a]!,
    offsetSample: sample[b]!,
    confidence: 0.9,
    explanation: `${b - a + 1} consecutive ventricular beats`,
    source: 'rules',
  });
  const wideAt = (...ks: number[]) => Uint8Array.from(sample, (_, k) => (ks.includes(k) ? 1 : 0));

  it('wide beats: QRS >= 120 ms and a shape unlike the dominant beat', () => {
    const f = {
      qrsMs: Float32Array.of(140, 140, 90),
      morphCorr: Float32Array.of(0.2, 0.95, 0.1),
      prematurity: new Float32Array(3),
      compensation: new Float32Array(3),
      dominantQrsMs: 80,
    };
    expect([...wideBeats(f, p)]).toEqual([1, 0, 0]);
  });

  it('a run of V labels needs the rhythm model where it ran; wide beats alone confirm it only where a length for them is set', () => {
    const rv = (pVt: number) => ({ startSample: Int32Array.of(0), pVt: Float32Array.of(pVt), windowSamples: 2500 });
    const kept = confirmVtRuns([vtRun(4, 8)], [], sample, FS2, wideAt(4, 5, 6), p, rv(0.4));
    expect(kept).toHaveLength(1);
    expect(kept[0]!.explanation).toMatch(/3 of them wide .*rhythm model P\(VT\) 0\.40/);
    // with no rhythm model at all (the rule-based fallback) the wide beats are the evidence
    expect(confirmVtRuns([vtRun(4, 8)], [], sample, FS2, wideAt(4, 5, 6), p)).toHaveLength(1);
    expect(confirmVtRuns([vtRun(4, 8)], [], sample, FS2, wideAt(4, 5, 6), p, rv(0.05))).toHaveLength(0);
    // by default (the run rules' grid) wide beats alone never confirm a run where the rhythm model ran
    const allWide = wideAt(4, 5, 6, 7, 8, 9, 10, 11);
    expect(confirmVtRuns([vtRun(4, 11)], [], sample, FS2, allWide, p, rv(0.05))).toHaveLength(0);
    const p8 = ruleParams({ vtWideAloneMinBeats: 8 });
    const eight = confirmVtRuns([vtRun(4, 11)], [], sample, FS2, allWide, p8, rv(0.05));
    expect(eight[0]!.explanation).toMatch(/8 of them wide/);
    expect(confirmVtRuns([vtRun(4, 11)], [], sample, FS2, wideAt(4, 5, 6, 7, 8, 9, 10), p8, rv(0.05))).toHaveLength(0);
  });

  it('a run of V labels holding 3 beats in a row called V with P(V) >= 0.95 is VT on the beats alone (a nonsustained run the rhythm model cannot read), in AF too', () => {
    const rv = { startSample: Int32Array.of(0), pVt: Float32Array.of(0.01), windowSamples: 2500 };
    const pv = (...low: number[]) => Float32Array.from(sample, (_, k) => (low.includes(k) ? 0.9 : 0.995));
    const kept = confirmVtRuns([vtRun(4, 8)], [], sample, FS2, new Uint8Array(20), p, rv, pv());
    expect(kept).toHaveLength(1);
    expect(kept[0]!.explanation).toMatch(/5 in a row called V with P\(V\) ≥ 0\.95/);
    // no 3 sure beats in a row: the beats alone are not enough
    expect(confirmVtRuns([vtRun(4, 8)], [], sample, FS2, new Uint8Array(20), p, rv, pv(6))).toHaveLength(0);
    // a less sure beat at the run's edge (a lower PVC threshold lengthens the run) does not undo it
    expect(confirmVtRuns([vtRun(3, 8)], [], sample, FS2, new Uint8Array(20), p, rv, pv(3))).toHaveLength(1);
    expect(confirmVtRuns([vtRun(4, 9)], [], sample, FS2, new Uint8Array(20), p, rv, pv(9))).toHaveLength(1);
    // in AF the same sure run stays; a run without 3 sure beats in a row does not
    const af: Episode = { ...ep('AF', 0, 10_000), source: 'model' };
    expect(confirmVtRuns([vtRun(4, 8)], [af], sample, FS2, new Uint8Array(20), p, rv, pv())).toHaveLength(1);
    expect(confirmVtRuns([vtRun(4, 8)], [af], sample, FS2, new Uint8Array(20), p, rv, pv(6))).toHaveLength(0);
    // nothing is decided on unreadable signal
    const noise: Episode = { ...ep('NOISE', 1300, 1800), source: 'rules' };
    expect(confirmVtRuns([vtRun(4, 8)], [noise], sample, FS2, new Uint8Array(20), p, rv, pv())).toHaveLength(0);
    // a day of beats all called V (a paced Holter the model reads as ventricular) is one run, not a stack overflow
    const n = 250_000;
    const day = Int32Array.from({ length: n }, (_, k) => 100 * k);
    const all: Episode = { ...vtRun(0, 1), onsetSample: 0, offsetSample: day[n - 1]! };
    const sure = new Float32Array(n).fill(0.99);
    expect(confirmVtRuns([all], [], day, FS2, new Uint8Array(n), p, rv, sure)).toHaveLength(1);
  });

  it('a run of V labels at 250 beats a minute or faster is VT on its rate alone, outside AF and unreadable signal', () => {
    const rv = { startSample: Int32Array.of(0), pVt: Float32Array.of(0.01), windowSamples: 2500 };
    const unsure = new Float32Array(20).fill(0.7);
    const at = (bpm: number) => Int32Array.from({ length: 20 }, (_, k) => 1000 + Math.round(((60 * FS2) / bpm) * k));
    const run = (s: Int32Array): Episode => ({ ...vtRun(4, 8), onsetSample: s[4]!, offsetSample: s[8]! });
    const fast = at(260);
    const kept = confirmVtRuns([run(fast)], [], fast, FS2, new Uint8Array(20), p, rv, unsure);
    expect(kept).toHaveLength(1);
    expect(kept[0]!.explanation).toMatch(/median beat interval 232 ms: 259 bpm \(≥ 250\)/); // 58 samples apart at 250 Hz
    const slower = at(230);
    expect(confirmVtRuns([run(slower)], [], slower, FS2, new Uint8Array(20), p, rv, unsure)).toHaveLength(0);
    expect(confirmVtRuns([run(fast)], [], fast, FS2, new Uint8Array(20), ruleParams({ vtFastRunMinBpm: 0 }), rv, unsure)).toHaveLength(0);
    const af: Episode = { ...ep('AF', 0, 10_000), source: 'model' };
    expect(confirmVtRuns([run(fast)], [af], fast, FS2, new Uint8Array(20), p, rv, unsure)).toHaveLength(0);
    const noise: Episode = { ...ep('NOISE', fast[5]!, fast[6]!), source: 'rules' };
    expect(confirmVtRuns([run(fast)], [noise], fast, FS2, new Uint8Array(20), p, rv, unsure)).toHaveLength(0);
  });

  it('the rate of a run with an even count of intervals is from the mean of the middle two, not the shorter', () => {
    const rv = { startSample: Int32Array.of(0), pVt: Float32Array.of(0.01), windowSamples: 2500 };
    const unsure = new Float32Array(3).fill(0.7);
    // a triplet 208 ms then 276 ms apart at 250 Hz (vfdb 418 at 545 s): median interval 242 ms, 248 bpm
    const triplet = Int32Array.of(1000, 1052, 1121);
    expect(medianRateBpm(triplet, FS2, 0, 2)).toBeCloseTo((60 * FS2) / 60.5, 6);
    const run: Episode = { ...vtRun(0, 2), onsetSample: triplet[0]!, offsetSample: triplet[2]! };
    expect(confirmVtRuns([run], [], triplet, FS2, new Uint8Array(3), p, rv, unsure)).toHaveLength(0);
    // 208 ms then 224 ms: median 216 ms, 278 bpm, fast enough; the explanation quotes that median
    const fast = Int32Array.of(1000, 1052, 1108);
    const kept = confirmVtRuns([{ ...run, offsetSample: fast[2]! }], [], fast, FS2, new Uint8Array(3), p, rv, unsure);
    expect(kept).toHaveLength(1);
    expect(kept[0]!.explanation).toMatch(/median beat interval 216 ms: 278 bpm \(≥ 250\)/);
  });

  it('a run of V labels over unreadable signal stays only where the rhythm model reads VT (P(VT) >= 0.7)', () => {
    const noise: Episode = { ...ep('NOISE', 1300, 1800), source: 'rules' };
    const rv = (pVt: number) => ({ startSample: Int32Array.of(0), pVt: Float32Array.of(pVt), windowSamples: 2500 });
    expect(confirmVtRuns([vtRun(4, 8)], [noise], sample, FS2, new Uint8Array(20), p, rv(0.5))).toHaveLength(0);
    expect(confirmVtRuns([vtRun(4, 8)], [noise], sample, FS2, new Uint8Array(20), p, rv(0.9))).toHaveLength(1);
  });

  it('the rhythm model confirms a run of narrow-looking V labels when its window gives P(VT) >= 0.1', () => {
    const rv = { startSample: Int32Array.of(0, 2500), pVt: Float32Array.of(0.02, 0.4), windowSamples: 2500 };
    expect(confirmVtRuns([vtRun(4, 8)], [], sample, FS2, new Uint8Array(20), p, rv)).toHaveLength(0); // beats 4-8 lie in window 0
    const late = Int32Array.from(sample, (s) => s + 2000);
    const run: Episode = { ...vtRun(4, 8), onsetSample: late[4]!, offsetSample: late[8]! };
    expect(confirmVtRuns([run], [], late, FS2, new Uint8Array(20), p, rv)[0]!.explanation).toMatch(/rhythm model P\(VT\) 0\.40/);
  });

  it('runs of V labels closer than the bridge are one VT episode, never across a rhythm-model VT episode', () => {
    const r = (a: number, b: number): Episode => ({
      type: 'VT',
      onsetSample: a,
      offsetSample: b,
      confidence: 0.5,
      explanation: '3 consecutive ventricular beats',
      source: 'rules',
    });
    const runs = [r(1000, 1500), r(3000, 3500), r(4000, 4400), r(7000, 7500)];
    const out = joinVtRuns(runs, FS2, 10);
    expect(out.map((e) => [e.onsetSample, e.offsetSample])).toEqual([
      [1000, 4400],
      [7000, 7500],
    ]);
    expect(out[0]!.explanation).toBe('3 runs less than 10 s apart, the first: 3 consecutive ventricular beats');
    expect(out[0]!.longestRunSec).toBe(2); // the longest of the three runs (500 samples), not the joined 13.6 s
    expect(out[1]!.longestRunSec).toBeUndefined();
    expect(joinVtRuns(runs, FS2).map((e) => [e.onsetSample, e.offsetSample])).toEqual([[1000, 7500]]); // the default bridge: 30 s
    const apart25 = [r(1000, 1500), r(1500 + 25 * FS2, 2000 + 25 * FS2)];
    expect(joinVtRuns(apart25, FS2)).toHaveLength(1); // 25 s apart: one run by default (scripts/tune-vt.ts --grid)
    expect(joinVtRuns(apart25, FS2, 20)).toHaveLength(2);
    const model: Episode = { ...ep('VT', 5000, 6000), source: 'model' };
    expect(joinVtRuns(runs, FS2, 20, [model]).map((e) => [e.onsetSample, e.offsetSample])).toEqual([
      [1000, 4400],
      [7000, 7500],
    ]);
  });

  it('a rhythm-model VT episode starts at its first run of 3 ventricular beats, not at its window start', () => {
    const m: Episode = { ...ep('VT', 1000, 3500), source: 'model' };
    const v = Uint8Array.from(sample, (_, k) => (k >= 6 ? 1 : 0)); // beats from 1600 on are V by the beat model
    expect(ventricularOnset(m, sample, FS2, v, wideAt(3))).toBe(1600);
    expect(ventricularOnset(m, sample, FS2, new Uint8Array(20), wideAt(3, 4))).toBe(1000); // no run of 3: unchanged
    expect(confirmModelVt([m], sample, FS2, wideAt(6, 7, 8), p, v)[0]!.onsetSample).toBe(1600);
  });

  it('a rhythm-model VT episode with narrow complexes at >= 180 /min is confirmed by their rate', () => {
    const m: Episode = { ...ep('VT', 900, 3400), source: 'model' };
    const fast = Int32Array.from({ length: 30 }, (_, k) => 900 + 80 * k); // 187.5 /min at 250 Hz
    const slow = Int32Array.from({ length: 15 }, (_, k) => 900 + 160 * k); // 94 /min
    expect(confirmModelVt([m], fast, FS2, new Uint8Array(30), p, new Uint8Array(30))[0]!.explanation).toMatch(/complexes at 188 \/min/);
    expect(confirmModelVt([m], slow, FS2, new Uint8Array(15), p, new Uint8Array(15))).toHaveLength(0);
  });

  it('in AF, beat labels alone are not VT (aberrant beats); a rhythm-model VT episode covers its own runs', () => {
    const af: Episode = { ...ep('AF', 0, 10_000), source: 'model' };
    expect(confirmVtRuns([vtRun(4, 8)], [af], sample, FS2, wideAt(4, 5, 6, 7, 8), p)).toHaveLength(0);
    const model: Episode = { ...ep('VT', 1200, 1900), source: 'model' };
    expect(confirmVtRuns([vtRun(4, 8)], [model], sample, FS2, wideAt(4, 5, 6, 7, 8), p)).toHaveLength(0);
  });

  it('rhythm-model VT stays with beat evidence or no organised QRS, and close episodes are joined', () => {
    const wide = wideAt(2, 3, 4);
    const m = (a: number, b: number): Episode => ({ ...ep('VT', a, b), source: 'model' });
    // beats 2-4 wide inside the first; the second (3000-6000, 2 s later) has no beats at all: VF; the third has narrow beats only
    const narrow = Int32Array.from([...sample, ...Array.from({ length: 20 }, (_, k) => 20_000 + 100 * k)]);
    const w2 = Uint8Array.from(narrow, (_, k) => (wide[k] ? 1 : 0));
    const out = confirmModelVt([m(1000, 2500), m(3000, 6000), m(20_000, 22_000)], narrow, FS2, w2, p, w2);
    expect(out.map((e) => [e.onsetSample, e.offsetSample])).toEqual([[1200, 6000]]); // from its first wide run (beats 2-4)
    expect(out[0]!.explanation).toMatch(/consecutive wide beats/);
    expect(out[0]!.explanation).toMatch(/joined/);
    // the longer, beat-less part names the joined rhythm: fibrillation
    expect(out[0]!.rhythm).toBe('VF');
    // joined across a gap, the parts are not one run: the longest part (3000-6000) is its length
    expect(out[0]!.longestRunSec).toBe(3000 / FS2);
    expect(recordingCall({ durationSec: 60, fs: FS2, episodes: out, summary: summary() }).label).toBe('VF');
  });

  it('VF apart from VT: complexes at a flutter rate make VF, a wide run at 150 bpm stays VT', () => {
    const m: Episode = { ...ep('VT', 900, 3000), source: 'model' };
    const flutter = Int32Array.from({ length: 40 }, (_, k) => 900 + 50 * k); // 300 /min at 250 Hz
    const all = new Uint8Array(40).fill(1);
    expect(confirmModelVt([m], flutter, FS2, all, p, all)[0]!.rhythm).toBe('VF');
    expect(confirmModelVt([m], sample, FS2, wideAt(2, 3, 4, 5), p, wideAt(2, 3, 4, 5))[0]!.rhythm).toBe('VT');
  });

  it('a synthetic AF strip with aberrant beats gets no VT', async () => {
    // the 'af' scenario draws ventricular beats inside AF: wide, unlike the dominant beat
    const path = join(dir, 'af60');
    await writeSynthRecord(path, { scenario: 'af', minutes: 1, seed: 11, fs: FS });
    const a = await analyzeRecord(path, { cacheDir: null, beats: 'detector' });
    expect(a.recording?.label).toBe('AF');
    expect(a.episodes.filter((e) => e.type === 'VT')).toEqual([]);
    // with every beat labelled V at threshold 0, beat labels alone still make no VT inside AF
    const { applyThreshold } = await import('../../src/main/analysis');
    expect(applyThreshold(a, 0).episodes.filter((e) => e.type === 'VT')).toEqual([]);
  }, 60_000);
});

/**
 * A 300-s, 250-Hz analysis of beats at `times` (seconds), those `isV` called V (P(V) 0.99) and wide,
 * the rest N, with one rhythm-model VT episode over `vt` (seconds): VT runs beside a model episode.
 */
function vtRecord(record: string, times: readonly number[], isV: (k: number) => boolean, vt: [number, number]) {
  const FS = 250;
  const sample = Int32Array.from(times, (t) => Math.round(t * FS));
  const n = sample.length;
  const probs = new Float32Array(n * 5);
  for (let k = 0; k < n; k++) probs[k * 5 + (isV(k) ? 2 : 0)] = isV(k) ? 0.99 : 1;
  const model: Episode = { ...ep('VT', vt[0] * FS, vt[1] * FS, 0.8), source: 'model', explanation: 'rhythm model: VT' };
  const base = {
    record,
    recordHash: 'h',
    fs: FS,
    durationSec: 300,
    threshold: 0.5,
    beats: {
      sample,
      probs,
      pvcScore: Float32Array.from({ length: n }, (_, k) => probs[k * 5 + 2]!),
      label: new Uint8Array(n),
      rrMs: new Float32Array(n),
      wide: Uint8Array.from({ length: n }, (_, k) => (isV(k) ? 1 : 0)),
      source: 'detector',
    },
    episodes: [model],
    summary: summary(),
    models: [],
    timingsMs: {},
  } as unknown as Analysis;
  return { base, sample, model };
}

describe('a run of V beats just before a rhythm-model VT episode', () => {
  // 300 s at 250 Hz: sinus at 75 bpm with 10 s of V beats at 140 bpm from 100 s; the model reads VT over 113-131 s
  const FS3 = 250;
  const times = [
    ...Array.from({ length: 125 }, (_, k) => 0.5 + 0.8 * k),
    ...Array.from({ length: 23 }, (_, k) => 100 + (60 / 140) * k),
    ...Array.from({ length: 237 }, (_, k) => 110.3 + 0.8 * k),
  ];
  const isV = (k: number) => k >= 125 && k < 148;
  const { base, sample } = vtRecord('vtnear', times, isV, [113, 131]);
  const vt = (a: Analysis) => a.episodes.filter((e) => e.type === 'VT');

  it('joins it (one VT episode, not two), its run length the longer part, nonsustained; apart with vtAdjoinSec 0', () => {
    const a = applyThreshold(base, 0.5);
    expect(vt(a).map((e) => [e.onsetSample, e.offsetSample, e.source])).toEqual([[sample[125], 131 * FS3, 'model']]);
    expect(vt(a)[0]!.longestRunSec).toBe(18);
    expect(a.recording).toMatchObject({ label: 'VT', nonsustained: true });
    const apart = applyThreshold(base, 0.5, ruleParams({ vtAdjoinSec: 0 }));
    expect(vt(apart).map((e) => [e.onsetSample, e.source])).toEqual([
      [sample[125], 'rules'],
      [113 * FS3, 'model'],
    ]);
  });
});

describe('a run of V beats, a pause, then a rhythm-model VT episode', () => {
  // 300 s at 250 Hz: sinus at 75 bpm, 10 s of V beats at 140 bpm from 100 s, then no beat for 4.5 s
  // (112-116.5 s) before sinus again; the model reads VT over 120-140 s
  const FS3 = 250;
  const times = [
    ...Array.from({ length: 125 }, (_, k) => 0.5 + 0.8 * k),
    ...Array.from({ length: 23 }, (_, k) => 100 + (60 / 140) * k),
    112,
    116.5,
    ...Array.from({ length: 229 }, (_, k) => 117.3 + 0.8 * k),
  ];
  const isV = (k: number) => k >= 125 && k < 148;
  const { base, sample } = vtRecord('vtpause', times, isV, [120, 140]);

  it('is not the same VT: the run stays its own episode and the pause between them is reported', () => {
    const a = applyThreshold(base, 0.5);
    expect(a.episodes.filter((e) => e.type === 'VT').map((e) => [e.onsetSample, e.source])).toEqual([
      [sample[125], 'rules'],
      [120 * FS3, 'model'],
    ]);
    expect(a.episodes.filter((e) => e.type === 'PAUSE').map((e) => e.offsetSample)).toEqual([112 * FS3, 116.5 * FS3]);
    expect(a.summary.longestPauseSec).toBe(4.5);
  });
});

describe('a rhythm-model VT episode over part of a run of V beats', () => {
  // 300 s at 250 Hz: sinus at 75 bpm, then 60 s of V beats at 140 bpm from 100 s; the model reads VT over the last 20 s only
  const FS3 = 250;
  const times = [
    ...Array.from({ length: 125 }, (_, k) => 0.5 + 0.8 * k),
    ...Array.from({ length: 140 }, (_, k) => 100 + (60 / 140) * k),
    ...Array.from({ length: 175 }, (_, k) => 160.3 + 0.8 * k),
  ];
  const isV = (k: number) => k >= 125 && k < 265;
  const { base, sample, model } = vtRecord('vtmix', times, isV, [140, 160]);
  const vt = (a: Analysis) => a.episodes.filter((e) => e.type === 'VT');

  it('is widened to the run: sustained VT, not the model’s 20 s; another threshold starts again from the model’s extent', () => {
    const a = applyThreshold(base, 0.5);
    expect(vt(a).map((e) => [e.onsetSample, e.offsetSample, e.source])).toEqual([[sample[125], 160 * FS3, 'model']]);
    expect(vt(a)[0]!.explanation).toMatch(/widened to the run of ventricular beats/);
    expect(a.recording).toMatchObject({ label: 'VT' });
    expect(a.recording!.nonsustained).toBeUndefined();
    // no V beats at 0.999: the model's own episode, as it was
    const high = applyThreshold(a, 0.999);
    expect(vt(high)).toEqual([model]);
    expect(vt(applyThreshold(high, 0.5))).toEqual(vt(a));
  });
});

describe('a run of V beats before a rhythm-model VT episode that another run carries on past 30 s', () => {
  // 300 s at 250 Hz: sinus at 75 bpm; 10 s of V beats at 140 bpm from 75 s; then V beats from 110 s to
  // ~135 s; the model reads VT over 100-120 s: one stretch of VT of ~35 s (100-135 s), sustained
  const FS3 = 250;
  const sinus = (from: number, to: number) => Array.from({ length: Math.ceil((to - from) / 0.8) }, (_, k) => from + 0.8 * k);
  const vBeats = (from: number, count: number) => Array.from({ length: count }, (_, k) => from + (60 / 140) * k);
  const times = [...sinus(0.5, 74.5), ...vBeats(75, 23), ...sinus(85.3, 109.5), ...vBeats(110, 59), ...sinus(135.3, 299.5)];
  const vFrom1 = sinus(0.5, 74.5).length;
  const vFrom2 = vFrom1 + 23 + sinus(85.3, 109.5).length;
  const isV = (k: number) => (k >= vFrom1 && k < vFrom1 + 23) || (k >= vFrom2 && k < vFrom2 + 59);
  const { base, sample } = vtRecord('vtgap', times, isV, [100, 120]);
  const vt = (a: Analysis) => a.episodes.filter((e) => e.type === 'VT');

  it('stays sustained: the run joined across the gap does not shorten the contiguous VT the overlapping run makes', () => {
    const apart = applyThreshold(base, 0.5, ruleParams({ vtAdjoinSec: 0 }));
    expect(apart.recording).toMatchObject({ label: 'VT' });
    expect(apart.recording!.nonsustained).toBeUndefined();
    const a = applyThreshold(base, 0.5);
    expect(vt(a).map((e) => [e.onsetSample, e.offsetSample, e.source])).toEqual([[sample[vFrom1], sample[vFrom2 + 58], 'model']]);
    expect(vt(a)[0]!.longestRunSec).toBeCloseTo((sample[vFrom2 + 58]! - 100 * FS3) / FS3, 6);
    expect(a.recording).toMatchObject({ label: 'VT' });
    expect(a.recording!.nonsustained).toBeUndefined();
  });
});

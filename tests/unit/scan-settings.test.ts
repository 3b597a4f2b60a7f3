// Holter scan settings (pause limit, VT / SVT criteria): validated on the wire, re-cut pauses and
// VT runs in main without a model run, and drive the review summary's counts and jump targets.
import { describe, expect, it } from 'vitest';
import { channels } from '../../src/shared/contract';
import { DEFAULT_SCAN_SETTINGS, scanSettingsOf } from '../../src/shared/scan-settings';
import type { Analysis } from '../../src/shared/analysis';
import { applyThreshold } from '../../src/main/analysis/apply-threshold';
import { analysisOfGaps } from '../helpers/analysis';
import { heartRates } from '../../src/main/analysis/summary';
import { ruleParams, withScan } from '../../src/main/rules';
import { ReviewBeats } from '../../src/renderer/src/lib/beats';
import { reviewSummary } from '../../src/renderer/src/lib/review-summary';
import { hrExtremes, hrTrend } from '../../src/renderer/src/lib/hr-trend';

const FS = 100;

/** An analysis over beats at `gapsSec` intervals from frame 0, each called as in `calls` (N, S or V), with an AF episode over its first half second. */
const analysisOf = (gapsSec: number[], calls: string): Analysis =>
  analysisOfGaps(gapsSec, calls, [{ type: 'AF', onsetSample: 0, offsetSample: 50, confidence: 1, explanation: 'model', source: 'model' }], { fs: FS });

const beatsOf = (a: Analysis) =>
  new ReviewBeats({ origin: 'analysis', sample: a.beats.sample, probs: a.beats.probs, pvcScore: a.beats.pvcScore, baseLabel: a.beats.label }, null, 15);

describe('scan settings', () => {
  it('stored or typed values: each valid field kept, others fall back to the default', () => {
    expect(scanSettingsOf(null)).toEqual(DEFAULT_SCAN_SETTINGS);
    expect(scanSettingsOf({ pauseSec: 2.5, vtMinBeats: 1.5, svtMinRateBpm: 'x', extra: 1 })).toEqual({ ...DEFAULT_SCAN_SETTINGS, pauseSec: 2.5 });
    expect(DEFAULT_SCAN_SETTINGS).toMatchObject({ pauseSec: 2, vtMinBeats: 3, vtMinRateBpm: 100 });
    expect(ruleParams()).toMatchObject({ pauseSec: 2, vtMinBeats: 3, vtMinRateBpm: 100 });
  });

  it('analysis:threshold takes scan settings additively and refuses bad ones', () => {
    const req = channels['analysis:threshold'].request;
    expect(req.safeParse({ jobId: 'j', threshold: 0.5 }).success).toBe(true);
    expect(req.safeParse({ jobId: 'j', threshold: 0.5, scan: { ...DEFAULT_SCAN_SETTINGS, pauseSec: 3 } }).success).toBe(true);
    expect(req.safeParse({ jobId: 'j', threshold: 0.5, scan: { ...DEFAULT_SCAN_SETTINGS, pauseSec: 0 } }).success).toBe(false);
    expect(req.safeParse({ jobId: 'j', threshold: 0.5, scan: { pauseSec: 3 } }).success).toBe(false);
  });

  it('applyThreshold re-cuts pauses and VT runs under the settings; model episodes stay', () => {
    // pauses of 2.1 s and 3.0 s; a 4-beat V run at 0.5 s (120 bpm)
    const gaps = [0.8, 2.1, 0.8, 3.0, 0.8, 0.5, 0.5, 0.5, 0.5, 0.8, 0.8];
    const a = analysisOf(gaps, 'NNNNNNVVVVNN');
    const pauses = (x: Analysis) => x.episodes.filter((e) => e.type === 'PAUSE').length;
    const vts = (x: Analysis) => x.episodes.filter((e) => e.type === 'VT').length;
    expect([pauses(a), vts(a)]).toEqual([2, 1]);
    const strict = applyThreshold(a, 0.5, withScan(ruleParams(), { ...DEFAULT_SCAN_SETTINGS, pauseSec: 2.5, vtMinBeats: 5 }));
    expect([pauses(strict), vts(strict)]).toEqual([1, 0]);
    expect(strict.episodes.filter((e) => e.type === 'PAUSE')[0]!.explanation).toMatch(/> 2\.5 s/);
    expect(strict.episodes.some((e) => e.type === 'AF' && e.source === 'model')).toBe(true);
    const slowVt = applyThreshold(a, 0.5, withScan(ruleParams(), { ...DEFAULT_SCAN_SETTINGS, vtMinRateBpm: 130 }));
    expect(vts(slowVt)).toBe(0);
    expect(strict.beats.probs).toBe(a.beats.probs); // the cached model output, not a new run
  });

  it('a sure run of V labels is VT through applyThreshold with the rhythm model reading nothing, and stays at a lower threshold', () => {
    // beats 6-9 at 0.5 s (120 bpm), P(V) 0.995; beat 5 (the interval into the run) P(V) 0.3
    const gaps = [0.8, 0.8, 0.8, 0.8, 0.8, 0.5, 0.5, 0.5, 0.5, 0.8, 0.8];
    const base = analysisOf(gaps, 'NNNNNNVVVVNN');
    const n = base.beats.sample.length;
    const probs = new Float32Array(n * 5);
    const pv = Float32Array.from({ length: n }, (_, i) => (i >= 6 && i <= 9 ? 0.995 : i === 5 ? 0.3 : 0.01));
    pv.forEach((v, i) => ((probs[i * 5] = 1 - v), (probs[i * 5 + 2] = v)));
    const a: Analysis = {
      ...base,
      beats: { ...base.beats, probs, pvcScore: pv, wide: new Uint8Array(n) },
      rhythmVt: { startSample: Int32Array.of(0), pVt: Float32Array.of(0.01), windowSamples: 100 * FS },
    };
    const vt = (t: number) => applyThreshold(a, t).episodes.filter((e) => e.type === 'VT');
    expect(vt(0.5)).toHaveLength(1);
    expect(vt(0.5)[0]!.explanation).toMatch(/4 in a row called V with P\(V\) ≥ 0\.95/);
    // at 0.2 beat 5 joins the run (5 beats): still VT
    expect(vt(0.2)).toHaveLength(1);
    expect(vt(0.2)[0]!.onsetSample).toBe(a.beats.sample[5]);
    // the same run less sure: the rhythm model (P(VT) 0.01) and the QRS width (narrow) do not confirm it
    const unsure = Float32Array.from(pv, (v) => Math.min(v, 0.9));
    expect(applyThreshold({ ...a, beats: { ...a.beats, pvcScore: unsure } }, 0.5).episodes.filter((e) => e.type === 'VT')).toHaveLength(0);
  });

  it('with the rate criterion off, a lower threshold keeps every VT the sure-beat rule finds at a higher one (random P(V))', () => {
    // the sure-beat test reads a stretch of the run, so it does not depend on where the run ends; the
    // run's rate (over the whole run) is what can still drop a lengthened run, so it is off here
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const n = 60;
    const gaps = Array.from({ length: n - 1 }, () => 0.4 + 0.4 * rand());
    const base = analysisOf(gaps, 'N'.repeat(n));
    const p = ruleParams({ vtMinRateBpm: 0 });
    for (let trial = 0; trial < 200; trial++) {
      const pv = Float32Array.from({ length: n }, () => {
        const u = rand();
        return u < 0.5 ? 0.01 : u < 0.75 ? 0.2 + 0.7 * rand() : 0.96 + 0.04 * rand();
      });
      const probs = new Float32Array(n * 5);
      pv.forEach((v, i) => ((probs[i * 5] = 1 - v), (probs[i * 5 + 2] = v)));
      const a: Analysis = {
        ...base,
        episodes: [],
        beats: { ...base.beats, probs, pvcScore: pv, wide: new Uint8Array(n) },
        rhythmVt: { startSample: Int32Array.of(0), pVt: Float32Array.of(0.01), windowSamples: 100 * FS },
      };
      const vt = (t: number) => applyThreshold(a, t, p).episodes.filter((e) => e.type === 'VT');
      const ladder = [0.9, 0.7, 0.5, 0.3, 0.15, 0.05];
      for (let k = 1; k < ladder.length; k++) {
        const lower = vt(ladder[k]!);
        for (const e of vt(ladder[k - 1]!)) expect(lower.some((x) => x.onsetSample <= e.onsetSample && e.offsetSample <= x.offsetSample)).toBe(true);
      }
    }
  });

  it('the review summary counts pauses and VT / SVT runs under the settings, with where each is', () => {
    // S run of 3 at 0.4 s (150 bpm) at beat 2; V run of 3 at 0.5 s (120 bpm) at beat 7; a 2.4-s pause after beat 10
    const gaps = [0.8, 0.4, 0.4, 0.4, 0.8, 0.8, 0.5, 0.5, 0.5, 0.8, 2.4, 0.8, 2.1, 0.8];
    const a = analysisOf(gaps, 'NNSSSNNVVVNNNNN');
    const b = beatsOf(a);
    const o = { fs: FS, durationSec: a.durationSec };
    let s = reviewSummary(b, 0.5, [], o);
    expect([s.pauses, s.v.runs, s.s.runs]).toEqual([2, 1, 1]);
    expect(s.longestPauseAt).toBe(a.beats.sample[10]);
    expect(s.longestPauseSec).toBeCloseTo(2.4);
    expect(s.v.fastest).toMatchObject({ onsetSample: a.beats.sample[7], beats: 3 });
    expect(s.s.fastest!.onsetSample).toBe(a.beats.sample[2]);
    expect(s.s.fastest!.bpm).toBeGreaterThan(s.v.fastest!.bpm);
    s = reviewSummary(b, 0.5, [], { ...o, scan: { ...DEFAULT_SCAN_SETTINGS, pauseSec: 2.2, svtMinRateBpm: 160, vtMinBeats: 4 } });
    expect([s.pauses, s.v.runs, s.s.runs, s.s.fastest, s.v.fastest]).toEqual([1, 0, 0, null, null]);
    expect(s.scan.pauseSec).toBe(2.2);
  });
});

describe('HR trend', () => {
  it('per-minute mean, min and max bpm; the extremes are the summary min / max with the minute they start', () => {
    // minute 0 at 60 bpm, minute 1 at ≈ 120 bpm with one 0.4-s interval, minute 2 at 75 bpm
    const gaps = [...Array(60).fill(1.0), ...Array(118).fill(0.5), 0.4, ...Array(76).fill(0.8)];
    const a = analysisOf(gaps, '');
    const t = hrTrend(a.beats.sample, FS);
    expect(t.count.length).toBe(4);
    expect(t.mean[0]).toBeCloseTo(60, 3);
    expect(t.max[1]).toBeCloseTo(150, 3);
    expect(t.min[1]).toBeCloseTo(60, 3); // the 1-s interval closing at 01:00 belongs to minute 1
    const ext = hrExtremes(t);
    expect(ext.min!.minute).toBe(0);
    expect(ext.max!).toMatchObject({ minute: 1, startSample: 6000 });
    const hr = heartRates(a.beats.sample, FS);
    expect(ext.min!.meanBpm).toBeCloseTo(hr.min, 3);
    expect(ext.max!.meanBpm).toBeCloseTo(hr.max, 3);
    expect(t.meanBpm).toBeCloseTo(hr.mean, 6);
    const s = reviewSummary(beatsOf(a), 0.5, [], { fs: FS, durationSec: a.durationSec });
    expect([s.hr.minAt, s.hr.maxAt]).toEqual([0, 6000]);
  });

  it('no beats, no trend', () => {
    const t = hrTrend(new Int32Array(0), FS);
    expect(t.count.length).toBe(0);
    expect(hrExtremes(t)).toEqual({ min: null, max: null });
  });
});

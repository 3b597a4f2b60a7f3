// A lead flat for most of a record (an electrode off) is left out: the other lead is analysed alone,
// as with --leads, instead of every second being unreadable (src/main/quality/dead-lead.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeRecord } from '../../src/main/analysis';
import { DEAD_LEAD_SHARE, deadLead, flatShare, missingShare } from '../../src/main/quality';
import { keepLiveLeads } from '../../src/main/analysis/live-leads';
import type { AnalysisPlan } from '../../src/main/analysis/plan';
import { INVALID, StoredLead, openRecord, readAnnotations, writeRecord } from '../../src/main/wfdb';
import { compareBeats } from '../../src/main/evaluation';
import { embedLabelled, fromLabels, type Embedded } from '../../src/main/finetune';
import { defaultModelsDir, loadCatalog, openModel } from '../../src/main/inference';
import { AAMI_CLASSES, V_INDEX, type AamiClass, type Analysis } from '../../src/shared/analysis';
import { dataPath, needData } from '../helpers/data';
import { rewriteRecord } from '../helpers/rewrite-record';
import { summaryRow, SUMMARY_COLUMNS } from '../../src/cli/commands/analyze';

describe('dead lead', () => {
  const fs = 100;
  const wave = (sec: number) => Float32Array.from({ length: sec * fs }, (_, i) => Math.sin(i / 5));
  it('counts the flat seconds (peak-to-peak under 0.05 mV or mostly invalid) and leaves out a lead flat on half the record or more', () => {
    const x = wave(10);
    x.fill(0.01, 0, 4 * fs); // 4 s flat
    x.fill(NaN, 6 * fs, 6 * fs + 60); // more than half a second invalid
    expect(flatShare(x, fs)).toBeCloseTo(0.5, 10);
    expect(DEAD_LEAD_SHARE).toBe(0.5);
    expect(deadLead([wave(10), x], fs)).toEqual({ index: 1, flatShare: 0.5 });
    expect(deadLead([x, wave(10)], fs)).toEqual({ index: 0, flatShare: 0.5 });
    // both flat, or neither: nothing to choose
    expect(deadLead([x, x], fs)).toBeNull();
    const y = wave(10);
    y.fill(0, 0, 4 * fs);
    expect(flatShare(y, fs)).toBeCloseTo(0.4, 10);
    expect(deadLead([wave(10), y], fs)).toBeNull();
    expect(deadLead([wave(10)], fs)).toBeNull();
  });

  it('counts the same on the stored integers as on the physical values', () => {
    const gain = 200;
    const raw = Int16Array.from({ length: 20 * fs }, (_, i) => Math.round(gain * Math.sin(i / 5)));
    raw.fill(3, 0, 5 * fs); // flat
    for (let i = 5 * fs; i < 6 * fs; i++) raw[i] = i % 2 ? 4 : -5; // peak-to-peak 9 units = 0.045 mV: flat
    for (let i = 6 * fs; i < 7 * fs; i++) raw[i] = i % 2 ? 6 : -5; // 11 units = 0.055 mV: not flat
    raw.fill(INVALID, 8 * fs, 8 * fs + 51); // more than half invalid
    raw.fill(INVALID, 9 * fs, 9 * fs + 49); // less than half
    const physical = Float32Array.from(raw, (v) => (v === INVALID ? NaN : v / gain));
    const stored = new StoredLead({ samples: raw, adcGain: gain, baseline: 0 });
    expect(flatShare(stored, fs)).toBe(flatShare(physical, fs));
    expect(flatShare(stored, fs)).toBeCloseTo(7 / 20, 10);
    // 32-bit stored samples (formats beyond 16 bits), where INVALID is not the lowest value
    // a real sample below INVALID in the mostly invalid second: its lowest value is not INVALID, yet
    // the second is still mostly invalid (the 16-bit shortcut would read its range alone: 6/20)
    const wide = Int32Array.from(raw);
    wide[8 * fs + 60] = -40_000;
    expect(flatShare(new StoredLead({ samples: wide, adcGain: gain, baseline: 0 }), fs)).toBeCloseTo(7 / 20, 10);
  });

  it('says whether a lead left out holds no signal (invalid samples: nothing recorded) or is flat (an electrode off)', () => {
    const gain = 200;
    const lead = (samples: Int16Array) => new StoredLead({ samples, adcGain: gain, baseline: 0 });
    const live = lead(Int16Array.from({ length: 20 * fs }, (_, i) => Math.round(gain * Math.sin(i / 5))));
    const flat = lead(new Int16Array(20 * fs));
    const missing = lead(new Int16Array(20 * fs).fill(INVALID));
    expect([missingShare(missing, fs), missingShare(flat, fs), missingShare(live, fs)]).toEqual([1, 0, 0]);
    expect(missingShare(new Float32Array(20 * fs).fill(NaN), fs)).toBe(1);
    const plan = { fs, leads: [0, 1], leadNames: ['MLII', 'V1'], unitsPerMv: [1, 1], beat: {}, leftOut: [] } as unknown as AnalysisPlan;
    const reason = (v1: StoredLead) => keepLiveLeads({ signals: [live, v1], names: ['MLII', 'V1'] }, plan).plan.leftOut[0]!.reason;
    expect(reason(flat)).toBe('flat on 100 % of the record (an electrode off?): MLII analysed alone');
    expect(reason(missing)).toBe('no signal (invalid samples) on 100 % of the record: MLII analysed alone');
  });
});

describe.runIf(needData('mitdb'))('a record with a lead off', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hs-dead-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('MIT-BIH 119 with its V1 flat is analysed on MLII alone, as with --leads 0, not as unreadable', async () => {
    const src = dataPath('mitdb', '119');
    await rewriteRecord(src, dir, 'off', [
      { description: 'MLII', from: (x) => x[0]! },
      { description: 'V1', from: (x) => new Float32Array(x[1]!.length) },
    ]);
    const off = await analyzeRecord(join(dir, 'off'), { beats: 'reference', cacheDir: null, threads: 1 });
    const one = await analyzeRecord(src, { beats: 'reference', cacheDir: null, threads: 1, leads: [0] });
    expect(off.leads).toEqual([{ signal: 0, name: 'MLII' }]);
    expect(off.leadsLeftOut).toEqual([{ signal: 1, name: 'V1', reason: 'flat on 100 % of the record (an electrode off?): MLII analysed alone' }]);
    expect(off.threshold).toBe(one.threshold);
    expect([...off.beats.pvcScore]).toEqual([...one.beats.pvcScore]);
    // read with the flat lead, every second was unreadable: no heart rate, no pause
    expect(off.summary.unreadableSec ?? 0).toBeLessThan(60);
    expect(off.summary.meanHr).toBeGreaterThan(40);
    expect(off.summary).toEqual(one.summary);

    // the same with the helper worker reading and analysing beside it, and through the cache
    const helped = await analyzeRecord(join(dir, 'off'), { beats: 'reference', cacheDir: null, threads: 1, parallel: true });
    expect(helped.leads).toEqual(off.leads);
    expect(helped.summary).toEqual(off.summary);
    expect([...helped.beats.pvcScore]).toEqual([...off.beats.pvcScore]);
    const cacheDir = join(dir, 'cache');
    await analyzeRecord(join(dir, 'off'), { beats: 'reference', cacheDir, threads: 1 });
    const cached = await analyzeRecord(join(dir, 'off'), { beats: 'reference', cacheDir, threads: 1 });
    expect(cached.fromCache).toBe(true);
    expect(cached.leadsLeftOut).toEqual(off.leadsLeftOut);
    expect(cached.threshold).toBe(off.threshold);
    expect(cached.summary).toEqual(off.summary);

    // the fine-tune job reads the record as the analysis did: the P(V) and threshold it says the reviewer saw are the analysis's
    const job = await shownByTheJob(join(dir, 'off'), off, 7);
    for (const [k, i] of job.rows.entries()) expect(job.emb.shown[k * AAMI_CLASSES.length + V_INDEX]).toBeCloseTo(off.beats.pvcScore[i]!, 5);
    expect(job.rows.length).toBeGreaterThan(100);
    // and at the threshold the analysis showed them at (the single-lead one)
    expect(job.emb.thresholds[0]).toBeCloseTo(off.threshold, 6);
  }, 120_000);

  it('MIT-BIH 119 with its V1 off for the first 10 minutes keeps both leads, and those minutes stay readable', async () => {
    const src = dataPath('mitdb', '119');
    await rewriteRecord(src, dir, 'part', [
      { description: 'MLII', from: (x) => x[0]! },
      { description: 'V1', from: (x) => Float32Array.from(x[1]!).fill(0, 0, 600 * 360) },
    ]);
    const part = await analyzeRecord(join(dir, 'part'), { beats: 'reference', cacheDir: null, threads: 1 });
    const whole = await analyzeRecord(src, { beats: 'reference', cacheDir: null, threads: 1 });
    expect(part.leads).toEqual(whole.leads);
    expect(part.leadsLeftOut).toBeUndefined();
    // as unreadable as the record with V1 on (11 s of MLII noise), not 10 minutes more
    expect(part.summary.unreadableSec).toBe(whole.summary.unreadableSec);
    expect(part.summary.meanHr).toBeCloseTo(whole.summary.meanHr, 0);
  }, 120_000);

  it('MIT-BIH 100 with both leads off for 10 minutes: unreadable there, not VF', async () => {
    // the recorder off the patient: before, the rhythm model read the flat line as VT (P 0.57) and,
    // with no beats in it, the VF rule reported "VF 9.8 min" as the recording's call
    const src = dataPath('mitdb', '100');
    const flat = (x: Float32Array, level: number) => Float32Array.from(x).fill(level, 300 * 360, 900 * 360);
    await rewriteRecord(src, dir, 'all-off', [
      { description: 'MLII', from: (x) => flat(x[0]!, 0) },
      { description: 'V1', from: (x) => flat(x[1]!, 0.3) },
    ]);
    for (const beats of ['detector', 'reference'] as const) {
      const a = await analyzeRecord(join(dir, 'all-off'), { beats, cacheDir: null, threads: 1 });
      expect(a.episodes.filter((e) => e.type === 'VT')).toEqual([]);
      expect(a.recording?.label).toBe('NORMAL');
      const noise = a.episodes.filter((e) => e.type === 'NOISE' && e.source === 'rules');
      expect(noise.map((e) => [e.onsetSample, e.offsetSample])).toEqual([[300 * 360, 900 * 360]]);
      expect(a.summary.unreadableSec).toBe(600);
      // the CLI's summary table says it too
      expect(summaryRow(a, 0)[SUMMARY_COLUMNS.indexOf('unreadable s')]).toBe('600');
    }
  }, 120_000);

  it('MIT-BIH 119 with MLII off for 10 minutes: the PVCs after the stretch are found as before', async () => {
    // the amplitude scale's running median kept the flat beats' amplitudes for good: MLII's scale
    // stayed at its floor for the rest of the record and 218 of the 247 PVCs after it were missed
    const src = dataPath('mitdb', '119');
    await rewriteRecord(src, dir, 'mlii-off-119', [
      { description: 'MLII', from: (x) => Float32Array.from(x[0]!).fill(0, 300 * 360, 900 * 360) },
      { description: 'V1', from: (x) => x[1]! },
    ]);
    const after = (a: Analysis) => Array.from(a.beats.sample).filter((t, i) => t >= 900 * 360 && a.beats.label[i] === V_INDEX).length;
    const whole = await analyzeRecord(src, { beats: 'reference', cacheDir: null, threads: 1 });
    const off = await analyzeRecord(join(dir, 'mlii-off-119'), { beats: 'reference', cacheDir: null, threads: 1 });
    expect(after(whole)).toBeGreaterThan(200);
    expect(after(off)).toBeGreaterThan(0.95 * after(whole));
  }, 120_000);

  it('MIT-BIH 223 with MLII off for 10 minutes: its beats found and read on V1 there', async () => {
    // an electrode off for part of a Holter: before, the QRS detector took the flat lead for the
    // cleanest and found 1 % of those beats (on 119 the rhythm model then called the stretch VF), and the
    // beat model, given a flat lead 0, found 53 % of its PVCs (now 92 %)
    const src = dataPath('mitdb', '223');
    const [from, to] = [300, 900];
    await rewriteRecord(src, dir, 'mlii-off', [
      { description: 'MLII', from: (x) => Float32Array.from(x[0]!).fill(0, from * 360, to * 360) },
      { description: 'V1', from: (x) => x[1]! },
    ]);
    const ref = await readAnnotations(src, 'atr');
    const inside = { fs: 360, startSec: from + 1, endSec: to - 1 };
    const scored = (a: Analysis) => compareBeats(ref, { sample: a.beats.sample, code: Int32Array.from(a.beats.label, (l) => MIT_CODE[l]!) }, inside).stats;
    const detected = await analyzeRecord(join(dir, 'mlii-off'), { beats: 'detector', cacheDir: null, threads: 1 });
    expect(scored(detected).qrs.se).toBeGreaterThan(0.95); // 0.98: V1 alone (before: 0.01)
    expect(detected.recording?.label).not.toBe('VF');
    const onRef = await analyzeRecord(join(dir, 'mlii-off'), { beats: 'reference', cacheDir: null, threads: 1 });
    const v = scored(onRef).V;
    expect(v.tp + v.fn).toBeGreaterThan(100);
    expect(v.se).toBeGreaterThan(0.85);

    // the fine-tune job gives those beats the same input: the P(V) it says the reviewer saw are the analysis's
    const job = await shownByTheJob(join(dir, 'mlii-off'), onRef, 5);
    for (const [k, i] of job.rows.entries()) expect(job.emb.shown[k * AAMI_CLASSES.length + V_INDEX]).toBeCloseTo(onRef.beats.pvcScore[i]!, 5);
    const offBeats = job.rows.filter((i) => onRef.beats.sample[i]! / 360 > from + 1 && onRef.beats.sample[i]! / 360 < to - 1);
    expect(offBeats.length).toBeGreaterThan(100);
  }, 120_000);
});

/**
 * What the fine-tune job says the reviewer saw for every `every`-th beat of analysis `a` of the
 * record at `path`, each labelled as the analysis labelled it: the job's embedding and those beats' indices.
 */
async function shownByTheJob(path: string, a: Analysis, every: number): Promise<{ emb: Embedded; rows: number[] }> {
  const labels: (AamiClass | null)[] = Array.from(a.beats.label, (l, i) => (i % every === 0 ? AAMI_CLASSES[l]! : null));
  const cat = await loadCatalog(defaultModelsDir());
  const m = await openModel(cat.models.beat!, { provider: 'cpu', threads: 1 });
  try {
    const emb = await embedLabelled(m, [fromLabels(path, basename(path), a.beats.sample, labels)]);
    return { emb, rows: labels.flatMap((l, i) => (l ? [i] : [])) };
  } finally {
    await m.session.release();
  }
}

/** MIT-BIH beat codes of the AAMI classes N, S, V, F, Q (bxb maps them back). */
const MIT_CODE = [1, 8, 5, 6, 13];

describe.runIf(needData('cinc2017'))('a single-lead strip with the electrode off in the middle', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hs-strip-off-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('CinC A00085 (normal) with 9 s flat: the beats either side keep their labels, and no VT', async () => {
    // a handheld strip with the finger lifted: before, the 9-s interval across the flat part entered
    // the RR averages, every beat looked premature against them, and 5 more beats were called PVCs
    const src = dataPath('cinc2017', 'A00085');
    const rec = await openRecord(src);
    const [x] = await rec.readPhysical(0, rec.nFrames);
    await rec.close();
    const fs = rec.fs;
    const [from, to] = [10.5, 19.5];
    const flat = Float32Array.from(x!).fill(0, from * fs, to * fs);
    const spec = { format: 16 as const, adcGain: 1000, baseline: 0, units: 'mV', adcResolution: 16, adcZero: 0, description: 'ECG' };
    await writeRecord(dir, 'off', { fs, signals: [Int16Array.from(flat, (v) => Math.round(v * 1000))], specs: [spec] });
    const off = await analyzeRecord(join(dir, 'off'), { beats: 'detector', cacheDir: null, threads: 1 });
    const stored = await analyzeRecord(src, { beats: 'detector', cacheDir: null, threads: 1 });
    expect(off.episodes.filter((e) => e.type === 'VT')).toEqual([]);
    expect(off.recording?.label).not.toMatch(/^V[TF]$/);
    const labelAt = new Map(Array.from(stored.beats.sample, (s, i) => [s, stored.beats.label[i]!]));
    const outside = Array.from(off.beats.sample.keys()).filter((i) => labelAt.has(off.beats.sample[i]!));
    expect(outside.length).toBeGreaterThan(20);
    const same = outside.filter((i) => labelAt.get(off.beats.sample[i]!) === off.beats.label[i]).length;
    expect(same / outside.length).toBeGreaterThanOrEqual(0.95);
  }, 60_000);
});

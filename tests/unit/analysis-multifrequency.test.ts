// A multi-frequency record (ICU databases: ECG at several samples per frame beside slower ABP) is
// analysed at its ECG's own rate, end to end: MIT-BIH 100 (360 Hz) stored as a 90 Hz frame record
// with its two leads at 4 samples per frame and an ABP at 1 gives record 100's beats, labels and
// episodes, and the files the app writes of it read back, through the app and by WFDB's rules, at the
// same times. 03700181 (MIMIC: MCL1 at 4 × 125 Hz) is analysed with its beats on its R peaks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import type { Analysis } from '../../src/shared/analysis';
import { analyzeRecord } from '../../src/main/analysis';
import { analysisAnnotations } from '../../src/main/analysis/outputs';
import {
  asRdann,
  encodeAnnotations,
  isQrs,
  openRecord,
  readAnnotationFile,
  readAnnotations,
  readPhysicalAt,
  timeResolutionOf,
  withTimeResolution,
  writeAnnotations,
  writeRecord,
  type WriteSpec,
} from '../../src/main/wfdb';
import { main } from '../../src/cli/index';
import { importReview, writeExport } from '../../src/main/export';
import { fromAnnotationFile } from '../../src/main/finetune/data';
import { RecordStore } from '../../src/main/review/records';
import { loadAnnotationSet } from '../../src/main/review/annotations';
import { recordOf } from '../../src/main/report';
import { REVIEW_FORMAT, type ReviewExport } from '../../src/shared/review';
import { dataPath, needData } from '../helpers/data';
import { quiet } from '../helpers/cli-output';

const K = 4;

/** `src` stored at a frame rate K times lower, its leads at K samples a frame, an ABP (its lead 0 every K-th sample, in mmHg) at 1; the .atr as `atr` makes it. */
async function asMultiFrequency(src: string, dir: string, name: string, atr: (anns: Awaited<ReturnType<typeof readAnnotationFile>>) => typeof anns) {
  const rec = await openRecord(src);
  const raw = await rec.readRaw(0, rec.nFrames - (rec.nFrames % K));
  const specs: WriteSpec[] = rec.header.signals.map((s) => ({
    format: 212,
    adcGain: s.adcGain,
    baseline: s.baseline,
    units: s.units,
    adcResolution: s.adcResolution,
    adcZero: s.adcZero,
    description: s.description,
    samplesPerFrame: K,
  }));
  const abp = raw[0]!.filter((_, i) => i % K === 0);
  await writeRecord(dir, name, {
    fs: rec.fs / K,
    signals: [...raw, abp],
    specs: [...specs, { format: 212, adcGain: 10, baseline: 0, units: 'mmHg', adcResolution: 12, adcZero: 0, description: 'ABP' }],
  });
  await rec.close();
  await writeAnnotations(join(dir, `${name}.atr`), atr(await readAnnotationFile(`${src}.atr`)));
  return join(dir, name);
}

const beatsOf = (anns: readonly { sample: number; code: number }[]) => anns.filter((a) => isQrs(a.code)).map((a) => a.sample);

/** What an analysis says, less who it is of and how long it took. */
function comparable(a: Analysis) {
  const { record: _r, recordHash: _h, timingsMs: _t, frameFs: _f, ...rest } = a;
  return rest;
}

describe.runIf(needData('mitdb'))('mitdb 100 as a multi-frequency record (90 Hz frames, MLII and V5 at 4 samples a frame, ABP at 1)', () => {
  const src = dataPath('mitdb', '100');
  let dir: string;
  let mf: string;
  const ref: Record<string, Analysis> = {};
  const got: Record<string, Analysis> = {};
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hb-multifreq-'));
    // the reference beats at the leads' rate, as WFDB writes them: led by the time-resolution note
    mf = await asMultiFrequency(src, dir, '100mf', (anns) => withTimeResolution(anns, 360, 90));
    for (const beats of ['reference', 'detector'] as const) {
      ref[beats] = await analyzeRecord(src, { cacheDir: null, beats, threads: 1 });
      got[beats] = await analyzeRecord(mf, { cacheDir: null, beats, threads: 1 });
    }
  }, 120_000);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('the record reads as stored: 90 Hz frames, the leads at 4 samples a frame', async () => {
    const rec = await openRecord(mf);
    expect([rec.fs, rec.nFrames, rec.header.signals.map((s) => `${s.description} x${s.samplesPerFrame}`)]).toEqual([
      90,
      162_500,
      ['MLII x4', 'V5 x4', 'ABP x1'],
    ]);
    await rec.close();
  });

  it.each(['reference', 'detector'] as const)('beats from the %s: the same beats, labels, scores and episodes as record 100, at 360 Hz', (beats) => {
    const a = got[beats]!;
    expect([a.fs, a.frameFs, a.durationSec]).toEqual([360, 90, 1805.5555555555557]);
    expect(a.leads).toEqual([
      { signal: 0, name: 'MLII' },
      { signal: 1, name: 'V5' },
    ]); // ABP is not analysed
    expect(a.beats.source).toBe(beats);
    expect(a.beats.sample.length).toBeGreaterThan(2200);
    expect(Array.from(a.beats.sample)).toEqual(Array.from(ref[beats]!.beats.sample));
    expect(Array.from(a.beats.label)).toEqual(Array.from(ref[beats]!.beats.label));
    expect(comparable(a)).toEqual(comparable(ref[beats]!));
  });

  it('the .pvc analyze writes says its time resolution and reads back at the beats; WFDB readers see them in frames', async () => {
    const a = got.detector!;
    const anns = analysisAnnotations(a);
    expect(anns[0]).toMatchObject({ sample: 0, aux: '## time resolution: 360' });
    // after the note, what record 100's .pvc holds
    expect(anns.slice(1)).toEqual(analysisAnnotations(ref.detector!));
    const file = join(dir, '100mf.pvc');
    await writeAnnotations(file, anns);
    expect(timeResolutionOf(await readAnnotationFile(file))).toBe(360);
    expect(beatsOf(await readAnnotations(mf, 'pvc', K))).toEqual(Array.from(a.beats.sample));
    // rdann's frames: the note's 360 Hz scaled to 90 Hz
    expect(beatsOf(await readAnnotations(mf, 'pvc'))).toEqual(Array.from(a.beats.sample, (s) => Math.round(s / K)));
  });

  it('analyze --out writes the JSON at 360 Hz (frameFs 90) and the .pvc with the note', async () => {
    const out = join(dir, 'out');
    const { value: rc } = await quiet(() => main(['analyze', mf, '--beats', 'reference', '--no-cache', '--out', out]));
    expect(rc).toBe(0);
    const json = JSON.parse(await readFile(join(out, '100mf.json'), 'utf8'));
    expect([json.fs, json.frameFs, json.beats]).toEqual([360, 90, got.reference!.beats.sample.length]);
    const pvc = await readAnnotationFile(join(out, '100mf.pvc'));
    expect(timeResolutionOf(pvc)).toBe(360);
    expect(beatsOf(asRdann(pvc, 90, 360))).toEqual(Array.from(got.reference!.beats.sample));
  });

  it('detect writes the .qrs at 360 Hz with the note: record 100’s detections', async () => {
    const [q1, q2] = [join(dir, 'q1'), join(dir, 'q2')];
    await Promise.all([mkdir(q1), mkdir(q2)]);
    expect((await quiet(() => main(['detect', mf, '--out', q1]))).value).toBe(0);
    expect((await quiet(() => main(['detect', src, '--out', q2]))).value).toBe(0);
    const qrs = await readAnnotationFile(join(q1, '100mf.qrs'));
    expect(timeResolutionOf(qrs)).toBe(360);
    const own = await readAnnotationFile(join(q2, '100.qrs'));
    expect(timeResolutionOf(own)).toBeNull(); // a record of one sample a frame: as before, no note
    expect(beatsOf(asRdann(qrs, 90, 360))).toEqual(beatsOf(own));
  });

  it('evaluate --test-dir compares at 360 Hz: the figures of record 100', async () => {
    const [d1, d2] = [join(dir, 'e1'), join(dir, 'e2')];
    await Promise.all([mkdir(d1), mkdir(d2)]);
    await writeAnnotations(join(d1, '100mf.pvc'), analysisAnnotations(got.detector!));
    await writeAnnotations(join(d2, '100.pvc'), analysisAnnotations(ref.detector!));
    const run = async (rec: string, d: string) => {
      const json = join(d, 'eval.json');
      expect((await quiet(() => main(['evaluate', '--test', 'pvc', '--test-dir', d, '--json', json, rec]))).value).toBe(0);
      return JSON.parse(await readFile(json, 'utf8'));
    };
    const [a, b] = [await run(mf, d1), await run(src, d2)];
    expect(a.gross).toEqual(b.gross);
    expect(a.gross.qrs.tp).toBeGreaterThan(2200);
    // the RR error too, which frames (11 ms apart at 90 Hz) would coarsen
    expect({ ...a.records[0], record: '' }).toEqual({ ...b.records[0], record: '' });
  });

  it('a review opens at 360 Hz: the trace, the reference beats, a WFDB export and its import', async () => {
    const store = new RecordStore(openRecord);
    try {
      const info = await store.info(mf);
      expect([info.fs, info.frameFs, info.nFrames, info.durationSec]).toEqual([360, 90, 650_000, 650_000 / 360]);
      const own = await store.info(src);
      expect(own.frameFs).toBeUndefined();
      // a window of the trace: record 100's samples; the ABP repeated 4 times a frame
      for (const [from, to, points] of [
        [1000, 1360, 4000],
        [100_001, 110_003, 4000],
        [0, 650_000, 2000],
      ] as const) {
        const w = await store.window(mf, from, to, points);
        const o = await store.window(src, from, to, points);
        expect([w.from, w.to, w.bucket]).toEqual([o.from, o.to, o.bucket]);
        expect(Array.from(w.min[0]!)).toEqual(Array.from(o.min[0]!));
        expect(Array.from(w.max[1]!)).toEqual(Array.from(o.max[1]!));
      }
      const w = await store.window(mf, 1000, 1016);
      expect(Array.from(w.min[2]!)).toEqual(Array.from({ length: 16 }, (_, i) => w.min[2]![i - (i % 4)]));
      const atr = await loadAnnotationSet(info.path, 'atr', { fs: info.fs, frameFs: info.frameFs! });
      expect(Array.from(atr.sample)).toEqual(Array.from((await loadAnnotationSet(src, 'atr')).sample));
      // the review as a WFDB file says its resolution; imported, the beats are where they were
      const a = got.reference!;
      const review: ReviewExport = {
        format: REVIEW_FORMAT,
        version: 1,
        record: { name: '100mf', hash: '', fs: info.fs },
        threshold: a.threshold,
        exportedAt: '',
        reviewer: 'test',
        beats: Array.from(a.beats.sample, (sample, i) => ({ sample, label: a.beats.label[i] === 2 ? 'V' : 'N', status: 'unreviewed' as const })),
        episodes: [],
      };
      const out = join(dir, 'exports');
      await mkdir(out);
      const req = { review, recordPath: mf, format: 'wfdb' as const, annotator: 'rev', outDir: out };
      const { file } = await writeExport(req, { fallbackDir: out, allowedDirs: () => [out] }, '', info.frameFs);
      expect(timeResolutionOf(await readAnnotationFile(file))).toBe(360);
      const back = await importReview(file, { name: '100mf', hash: '', fs: info.fs, frameFs: info.frameFs! });
      expect(back.beats.map((b) => b.sample)).toEqual(Array.from(a.beats.sample));
      // the report shows the record at the same rate
      const rec = await openRecord(mf);
      expect([recordOf(rec).fs, recordOf(rec).nFrames]).toEqual([360, 650_000]);
      await rec.close();
    } finally {
      await store.closeAll();
    }
  });

  it('a fine-tune from the .atr reads the beats at 360 Hz', async () => {
    const beats = await fromAnnotationFile(mf, join(dir, '100mf.atr'), '100mf');
    const own = await fromAnnotationFile(src, `${src}.atr`, '100');
    expect(Array.from(beats.sample)).toEqual(Array.from(own.sample));
    expect(Array.from(beats.label)).toEqual(Array.from(own.label));
  });

  it('a reference .atr in frames (no note) is read at the leads’ rate: beats within half a frame, the same labels', async () => {
    const fr = await asMultiFrequency(src, dir, '100fr', (anns) => anns.map((x) => ({ ...x, sample: Math.round(x.sample / K) })));
    const a = await analyzeRecord(fr, { cacheDir: null, beats: 'reference', threads: 1 });
    const r = ref.reference!;
    expect(a.fs).toBe(360);
    expect(a.beats.sample.length).toBe(r.beats.sample.length);
    expect(Math.max(...Array.from(a.beats.sample, (s, i) => Math.abs(s - r.beats.sample[i]!)))).toBeLessThanOrEqual(K / 2);
    const same = Array.from(a.beats.label).filter((l, i) => l === r.beats.label[i]).length;
    expect(same / a.beats.label.length).toBeGreaterThan(0.99);
  }, 60_000);

  it('the app’s own files written for a record of one sample a frame carry no note (as before)', () => {
    expect(timeResolutionOf(analysisAnnotations(ref.reference!))).toBeNull();
    expect(encodeAnnotations(analysisAnnotations(ref.reference!), 'x')[1]! >> 2).toBe(22); // a NOTE at 0: the model-calls mark
  });
});

describe.runIf(needData('wfdb-formats'))('03700181 (MIMIC: MCL1 at 4 samples per 125 Hz frame, ABP at 1, RESP at 1)', () => {
  const path = dataPath('wfdb-formats', '03700181');
  let a: Analysis;
  let ecg: Float32Array;
  let abp: Float32Array;
  beforeAll(async () => {
    a = await analyzeRecord(path, { cacheDir: null, beats: 'detector', threads: 1 });
    const rec = await openRecord(path);
    [ecg, abp] = (await readPhysicalAt(rec, K, 0, rec.nFrames * K)) as [Float32Array, Float32Array];
    await rec.close();
  }, 60_000);

  it('is analysed on MCL1 at 500 Hz, ABP and RESP left alone', () => {
    expect([a.fs, a.frameFs, a.durationSec]).toEqual([500, 125, 600]);
    expect(a.leads).toEqual([{ signal: 0, name: 'MCL1' }]);
    expect(a.leadsLeftOut).toBeUndefined();
    expect(a.beats.sample.length).toBeGreaterThan(1100); // ~123 a minute for 10 minutes
  });

  it('its beats fall on the QRS (the largest deflection of MCL1 within ±60 ms) and each is followed by an arterial pulse', () => {
    const fs = a.fs;
    const reach = Math.round(0.06 * fs);
    let onPeak = 0;
    let pulsed = 0;
    for (const s of a.beats.sample) {
      const around = Array.from(ecg.subarray(Math.max(0, s - 75), s + 75)).sort((x, y) => x - y);
      const median = around[around.length >> 1]!;
      let peak = s;
      for (let i = Math.max(0, s - reach); i < Math.min(ecg.length, s + reach); i++) if (Math.abs(ecg[i]! - median) > Math.abs(ecg[peak]! - median)) peak = i;
      if (Math.abs(peak - s) <= 0.01 * fs) onPeak++;
      // the ABP's systolic peak 80–400 ms after the QRS (measured: 1224 of 1226 beats)
      let top = s;
      for (let i = s; i < Math.min(abp.length, s + Math.round(0.45 * fs)); i++) if (abp[i]! > abp[top]!) top = i;
      if (top - s > 0.08 * fs && top - s < 0.4 * fs) pulsed++;
    }
    const n = a.beats.sample.length;
    expect(onPeak / n).toBeGreaterThan(0.99); // measured: every beat within 2 samples (4 ms)
    expect(pulsed / n).toBeGreaterThan(0.98);
  });

  it('its cached analysis keeps the rates', async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), 'hb-multifreq-cache-'));
    try {
      await analyzeRecord(path, { cacheDir, beats: 'detector', threads: 1 });
      const cached = await analyzeRecord(path, { cacheDir, beats: 'detector', threads: 1 });
      expect([cached.fromCache, cached.fs, cached.frameFs]).toEqual([true, 500, 125]);
      expect(Array.from(cached.beats.sample)).toEqual(Array.from(a.beats.sample));
      expect(timeResolutionOf(analysisAnnotations(cached))).toBe(500);
    } finally {
      await rm(cacheDir, { recursive: true, force: true });
    }
  }, 60_000);

  it('readPhysicalAt lays the signals out as rdsamp -H does (one row per MCL1 sample, ABP and RESP repeated)', async () => {
    const rows = gunzipSync(await readFile(dataPath('reference/wfdb-formats/03700181.rdsamp-H.txt.gz')))
      .toString()
      .trimEnd()
      .split('\n')
      .map((l) => l.trim().split(/\s+/).map(Number));
    const rec = await openRecord(path);
    const specs = rec.header.signals;
    for (const [from, to] of [
      [0, 40],
      [150_001, 150_203],
      [rows.length - 9, rows.length],
    ] as const) {
      const got = await readPhysicalAt(rec, K, from, to);
      for (let s = 0; s < 3; s++)
        expect(Array.from(got[s]!)).toEqual(rows.slice(from, to).map((r) => Math.fround((r[s + 1]! - specs[s]!.baseline) / specs[s]!.adcGain)));
    }
    await rec.close();
  });

  it('the review opens it at 500 Hz: MCL1 as stored, ABP repeated over each frame', async () => {
    const store = new RecordStore(openRecord);
    try {
      const info = await store.info(path);
      expect([info.fs, info.frameFs, info.nFrames]).toEqual([500, 125, 300_000]);
      const w = await store.window(path, 150_000, 150_400);
      expect(w.bucket).toBe(1);
      expect(Array.from(w.min[0]!)).toEqual(Array.from(ecg.subarray(150_000, 150_400)));
      expect(Array.from(w.min[1]!)).toEqual(Array.from(abp.subarray(150_000, 150_400)));
    } finally {
      await store.closeAll();
    }
  });

  it('ECG leads of two rates: the faster analysed, the slower left out and why', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hb-multifreq-'));
    try {
      const rec = await openRecord(path);
      const [mcl1, abpRaw] = await rec.readRaw(0, rec.nFrames);
      const spec = rec.header.signals[0]!;
      const as = (description: string, samplesPerFrame: number): WriteSpec => ({
        format: 212,
        adcGain: spec.adcGain,
        baseline: spec.baseline,
        units: 'mV',
        adcResolution: 12,
        adcZero: 0,
        description,
        samplesPerFrame,
      });
      await rec.close();
      // II at 125 Hz (MCL1's first sample of each frame) before MCL1 at 500 Hz, and the ABP
      const ii = mcl1!.filter((_, i) => i % K === 0);
      await writeRecord(dir, 'two', {
        fs: 125,
        signals: [ii, mcl1!, abpRaw!],
        specs: [as('II', 1), as('MCL1', K), { ...as('ABP', 1), units: 'mmHg', adcGain: 12.84 }],
      });
      const b = await analyzeRecord(join(dir, 'two'), { cacheDir: null, beats: 'detector', threads: 1 });
      expect(b.fs).toBe(500);
      expect(b.leads).toEqual([{ signal: 1, name: 'MCL1' }]);
      expect(b.leadsLeftOut).toEqual([{ signal: 0, name: 'II', reason: 'sampled at 125 Hz, MCL1 at 500 Hz: the leads are analysed at one rate' }]);
      expect(Array.from(b.beats.sample)).toEqual(Array.from(a.beats.sample));
      // the lead at the frame rate alone, asked for: analysed at 125 Hz
      const c = await analyzeRecord(join(dir, 'two'), { cacheDir: null, beats: 'detector', threads: 1, leads: [0] });
      expect([c.fs, c.frameFs, c.leads]).toEqual([125, undefined, [{ signal: 0, name: 'II' }]]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

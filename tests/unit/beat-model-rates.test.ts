// The shipped beat model on other hospitals' kinds of record: a 128 Hz Holter and its 360 Hz
// resampled twin get the same labels (and a 360 Hz record its 500 Hz twin), a record analysed on one lead takes the single-lead path, and
// the leads read by default are the record's ECG leads (one beside a blood pressure: single-lead;
// lead II and V1 of a 12-lead record).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeRecord } from '../../src/main/analysis';
import { mapIndex, resample } from '../../src/main/dsp';
import { openRecord, readAnnotations, writeAnnotations, writeRecord } from '../../src/main/wfdb';
import { dataPath, needData } from '../helpers/data';
import { rewriteRecord, type RewrittenSignal } from '../helpers/rewrite-record';

const has = needData('svdb');

/** `src` resampled to `to` Hz by the app's resampler and written as `dir/name` (format 16), with its reference beats moved to the new rate. */
async function twinAt(src: string, dir: string, name: string, to: number): Promise<string> {
  const rec = await openRecord(src);
  const sigs = await rec.readPhysical(0, rec.nFrames);
  const specs = rec.header.signals;
  const fs = rec.fs;
  await rec.close();
  const resampled = sigs.map((x, i) => {
    const y = resample(x, fs, to);
    const g = specs[i]!.adcGain || 200;
    return Int16Array.from(y, (v) => Math.round(v * g) + specs[i]!.baseline);
  });
  await writeRecord(dir, name, {
    fs: to,
    signals: resampled,
    specs: specs.map((s) => ({
      format: 16 as const,
      adcGain: s.adcGain || 200,
      baseline: s.baseline,
      units: s.units || 'mV',
      adcResolution: 16,
      adcZero: 0,
      description: s.description,
    })),
  });
  const anns = await readAnnotations(src, 'atr');
  await writeAnnotations(
    join(dir, `${name}.atr`),
    anns.map((a) => ({ ...a, sample: mapIndex(a.sample, fs, to) }))
  );
  return join(dir, name);
}

/** Share of beats two analyses of the same beats label alike. */
function sameLabels(a: Uint8Array, b: Uint8Array): number {
  expect(b.length).toBe(a.length);
  let same = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) same++;
  return same / a.length;
}

describe.skipIf(!has)('shipped beat model across sampling rates and lead counts', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hs-rates-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  // 841: a 128 Hz svdb Holter with 254 PVCs among 1,854 beats, hard for the model (premature, narrow PVCs)
  const src = dataPath('svdb', '841');

  it('labels a 128 Hz record and its 360 Hz twin alike on >= 99 % of beats', async () => {
    const high = await analyzeRecord(await twinAt(src, dir, 'twin', 360), { beats: 'reference', cacheDir: null, threads: 1 });
    const low = await analyzeRecord(src, { beats: 'reference', cacheDir: null, threads: 1 });
    expect(low.models.find((m) => m.task === 'beat')!.provider).not.toBe('rules');
    expect(sameLabels(low.beats.label, high.beats.label)).toBeGreaterThanOrEqual(0.99);
    // not trivially: the record's PVC calls agree too, not only its many normal beats
    expect(low.summary.pvcCount).toBeGreaterThan(20);
    expect(Math.abs(high.summary.pvcCount - low.summary.pvcCount)).toBeLessThanOrEqual(0.1 * low.summary.pvcCount);
  }, 120_000);

  it('analyses one lead through the single-lead input the model declares', async () => {
    const one = await analyzeRecord(src, { beats: 'reference', cacheDir: null, threads: 1, leads: [0] });
    const two = await analyzeRecord(src, { beats: 'reference', cacheDir: null, threads: 1 });
    const beat1 = one.models.find((m) => m.task === 'beat')!;
    expect(beat1.singleLeadInput).toBe('zeros');
    expect(two.models.find((m) => m.task === 'beat')!.singleLeadInput).toBeUndefined();
    // a different input, so different scores
    let diff = 0;
    for (let i = 0; i < one.beats.pvcScore.length; i++) diff = Math.max(diff, Math.abs(one.beats.pvcScore[i]! - two.beats.pvcScore[i]!));
    expect(diff).toBeGreaterThan(0.01);
  }, 120_000);

  const rewritten = (name: string, layout: RewrittenSignal[]) => rewriteRecord(src, dir, name, layout);
  const pressure = (x: Float32Array[]) => Float32Array.from(x[0]!, (_, i) => 90 + 30 * Math.sin(i / 50)) as Float32Array;
  const same = (a: Float32Array, b: Float32Array) => a.length === b.length && a.every((v, i) => v === b[i]);

  it('a record with one ECG signal beside a blood pressure gets the single-lead path on that signal', async () => {
    const path = await rewritten('ecg-abp', [
      { description: 'ABP', units: 'mmHg', from: pressure },
      { description: 'ECG', from: (x) => x[0]! },
    ]);
    const auto = await analyzeRecord(path, { beats: 'reference', cacheDir: null, threads: 1 });
    // the same values as 841's lead 0 analysed alone, and its two leads at another threshold
    const asked = await analyzeRecord(src, { beats: 'reference', cacheDir: null, threads: 1, leads: [0] });
    const two = await analyzeRecord(src, { beats: 'reference', cacheDir: null, threads: 1 });
    expect(auto.leads).toEqual([{ signal: 1, name: 'ECG' }]);
    expect(auto.models.find((m) => m.task === 'beat')!.singleLeadInput).toBe('zeros');
    expect(auto.threshold).toBe(asked.threshold);
    expect(auto.threshold).not.toBe(two.threshold);
    expect(same(auto.beats.pvcScore, asked.beats.pvcScore)).toBe(true);
    expect(auto.summary.pvcCount).toBe(asked.summary.pvcCount);
    // the pressure is not read as a lead: its first two signals analysed give other scores
    const firstTwo = await analyzeRecord(path, { beats: 'reference', cacheDir: null, threads: 1, leads: [0, 1] });
    expect(same(firstTwo.beats.pvcScore, auto.beats.pvcScore)).toBe(false);
  }, 120_000);

  it('a 12-lead record is analysed on lead II and V1, as the two-lead record they came from', async () => {
    const names = ['I', 'II', 'III', 'aVR', 'aVL', 'aVF', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6'];
    const path = await rewritten(
      'twelve',
      names.map((description) => ({
        description,
        from: (x: Float32Array[]) =>
          description === 'II' ? x[0]! : description === 'V1' ? x[1]! : Float32Array.from(x[0]!, (v, i) => 0.5 * v - 0.3 * x[1]![i]!),
      }))
    );
    const twelve = await analyzeRecord(path, { beats: 'reference', cacheDir: null, threads: 1 });
    // the same values as 841 itself, its two leads being II and V1 here
    const asTwo = await analyzeRecord(src, { beats: 'reference', cacheDir: null, threads: 1 });
    expect(twelve.leads).toEqual([
      { signal: 1, name: 'II' },
      { signal: 6, name: 'V1' },
    ]);
    expect(twelve.models.find((m) => m.task === 'beat')!.singleLeadInput).toBeUndefined();
    expect(same(twelve.beats.pvcScore, asTwo.beats.pvcScore)).toBe(true);
    expect(twelve.summary.pvcCount).toBeGreaterThan(20);
  }, 120_000);
});

// Hospital ECG carts and many recorders store 500 Hz: a 360 Hz MIT-BIH record and its 500 Hz twin.
describe.skipIf(!needData('mitdb'))('shipped beat model on a 500 Hz record', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hs-rates-500-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('labels a 360 Hz record and its 500 Hz twin alike on >= 99 % of beats', async () => {
    // 208: 992 PVCs and 373 fusion beats among 2,955
    const src = dataPath('mitdb', '208');
    const at360 = await analyzeRecord(src, { beats: 'reference', cacheDir: null, threads: 1 });
    const at500 = await analyzeRecord(await twinAt(src, dir, 'twin500', 500), { beats: 'reference', cacheDir: null, threads: 1 });
    expect(at500.fs).toBe(500);
    expect(at500.models.find((m) => m.task === 'beat')!.provider).not.toBe('rules');
    expect(sameLabels(at360.beats.label, at500.beats.label)).toBeGreaterThanOrEqual(0.99);
    expect(at360.summary.pvcCount).toBeGreaterThan(900);
    expect(Math.abs(at500.summary.pvcCount - at360.summary.pvcCount)).toBeLessThanOrEqual(0.02 * at360.summary.pvcCount);
  }, 120_000);
});

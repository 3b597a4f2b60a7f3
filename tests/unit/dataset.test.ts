import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  detectorMarks,
  parseNpy,
  resolveRecords,
  writeBeatDataset,
  writeRhythmDataset,
  type BeatDatasetMeta,
  type RhythmDatasetMeta,
} from '../../src/main/dataset';
import { detectQrs } from '../../src/main/qrs';
import { BEAT_FLAG } from '../../src/main/beats';
import { main } from '../../src/cli/index';
import { dataPath, needData } from '../helpers/data';

const dir = mkdtempSync(join(tmpdir(), 'hs-dataset-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function load(out: string, file: string) {
  return parseNpy(readFileSync(join(out, file)), file);
}

// Independent of the app's mapping: the AAMI classes as ../shared/data/README.md lists them.
const AAMI: Record<string, number> = { N: 0, L: 0, R: 0, e: 0, j: 0, A: 1, a: 1, J: 1, S: 1, V: 2, E: 2, F: 3, '/': 4, f: 4, Q: 4 };

/** Beats of WFDB rdann's own listing (reference/mitdb/<rec>.atr.txt): sample and class index. */
function rdannBeats(rec: string): { sample: number[]; cls: number[] } {
  const sample: number[] = [];
  const cls: number[] = [];
  for (const line of readFileSync(dataPath('reference/mitdb', `${rec}.atr.txt`), 'latin1').split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 3 || !(f[2]! in AAMI)) continue;
    sample.push(Number(f[1]));
    cls.push(AAMI[f[2]!]!);
  }
  return { sample, cls };
}

const has = needData('mitdb') && needData('reference/mitdb');

describe('a dataset written whole', () => {
  it('a run that fails leaves the dataset there as it was; a folder of other files is refused', async () => {
    const { writeSynthRecord } = await import('../../src/main/synth');
    const { readdirSync, writeFileSync, mkdirSync } = await import('node:fs');
    const a = join(dir, 'whole', 'a');
    const c = join(dir, 'whole', 'c');
    await writeSynthRecord(a, { scenario: 'pvc', minutes: 1, seed: 2 });
    await writeSynthRecord(c, { scenario: 'pvc', minutes: 1, seed: 4 });
    const out = join(dir, 'whole', 'out');
    const meta = await writeBeatDataset(resolveRecords([a, c]), out);
    const files = readdirSync(out).sort();
    expect(files).toEqual([...Object.keys(meta.files), 'meta.json'].sort());
    const before = files.map((f) => readFileSync(join(out, f)));
    const { hostname } = await import('node:os');
    mkdirSync(join(out, `.staging-999999@${hostname()}+abc123`)); // left by an interrupted run of this machine: gone with the next run
    mkdirSync(join(out, '.staging-999999@another-host+abc123')); // another machine's (a shared folder): left to it
    const b = join(dir, 'whole', 'b');
    await writeSynthRecord(b, { scenario: 'pvc', minutes: 1, seed: 3 });
    rmSync(`${b}.dat`); // its signals gone: the run fails at its second record
    await expect(writeBeatDataset(resolveRecords([a, b]), out)).rejects.toThrow(/b\.dat/);
    expect(readdirSync(out).sort()).toEqual([...files, '.staging-999999@another-host+abc123'].sort()); // no staging folder of this machine left
    expect(files.map((f, i) => readFileSync(join(out, f)).equals(before[i]!))).toEqual(files.map(() => true));
    rmSync(join(out, '.staging-999999@another-host+abc123'), { recursive: true });
    const mine = join(dir, 'whole', 'mine');
    mkdirSync(mine);
    writeFileSync(join(mine, 'meta.json'), '{"project": "mine"}');
    await expect(writeBeatDataset(resolveRecords([a]), mine)).rejects.toThrow(/is not the meta\.json of a heartbeat-sensei-beats dataset/);
    expect(readdirSync(mine)).toEqual(['meta.json']);
    await expect(writeRhythmDataset(resolveRecords([a]), out)).rejects.toThrow(/is not the meta\.json of a heartbeat-sensei-rhythm dataset/);
  }, 60_000);
});

describe.skipIf(!has)('beat dataset on real records', () => {
  const out = join(dir, 'beats');
  const recs = ['100', '208'];
  let meta: BeatDatasetMeta;

  it('writes every reference beat of the .atr with its AAMI label and sample', async () => {
    meta = await writeBeatDataset(resolveRecords(recs.map((r) => dataPath('mitdb', `${r}.hea`))), out);
    const refs = recs.map(rdannBeats);
    const n = refs.reduce((s, r) => s + r.sample.length, 0);
    expect(meta.n).toBe(n);
    const labels = load(out, 'labels.npy');
    const sample = load(out, 'sample.npy');
    const record = load(out, 'record.npy');
    expect(labels.shape).toEqual([n]);
    expect(labels.descr).toBe('|u1');
    expect(Array.from(labels.data)).toEqual(refs.flatMap((r) => r.cls));
    expect(Array.from(sample.data)).toEqual(refs.flatMap((r) => r.sample));
    expect(Array.from(record.data)).toEqual(refs.flatMap((r, i) => r.sample.map(() => i)));
    // 208 holds PVCs and fusion beats: the classes the beat model is for
    expect(meta.counts.V).toBe(refs.flatMap((r) => r.cls).filter((c) => c === 2).length);
    expect(meta.counts.V).toBeGreaterThan(900);
    expect(meta.counts.F).toBeGreaterThan(300);
    expect(meta.records.map((r) => [r.name, r.nBeats, r.split])).toEqual([
      ['100', refs[0]!.sample.length, 'DS2'],
      ['208', refs[1]!.sample.length, 'DS1'],
    ]);
  });

  it('writes windows, RR features, flags and scales of matching shapes, with R at index 90', () => {
    const onDisk = JSON.parse(readFileSync(join(out, 'meta.json'), 'utf8')) as BeatDatasetMeta;
    expect(onDisk.format).toBe('heartbeat-sensei-beats');
    expect([onDisk.fs, onDisk.windowLength, onDisk.rIndex]).toEqual([360, 216, 90]);
    expect(onDisk.classes).toEqual(['N', 'S', 'V', 'F', 'Q']);
    const n = onDisk.n;
    const w = load(out, 'windows.npy');
    expect(w.shape).toEqual([n, 2, 216]);
    expect(load(out, 'rr.npy').shape).toEqual([n, onDisk.rrFeatures.length]);
    expect(load(out, 'scale.npy').shape).toEqual([n, 2]);
    const flags = load(out, 'flags.npy').data;
    expect(flags[0]).toBe(1); // 100's first beat is at sample 77: its window starts before the record
    expect(flags.filter((f) => (f & ~BEAT_FLAG.LEAD0_OFF) !== 0).length).toBeLessThan(6);
    // 208's MLII drops out around 1385 s: those beats are read on V1 (lead 0 off), no other of 100 and 208
    const [sample, ofRecord] = [load(out, 'sample.npy').data, load(out, 'record.npy').data];
    const off = Array.from(flags.keys()).filter((i) => flags[i]! & BEAT_FLAG.LEAD0_OFF);
    expect(off.filter((i) => ofRecord[i] === 1 && Math.abs(sample[i]! / 360 - 1386) < 3).length).toBeGreaterThanOrEqual(5);
    expect(off.length).toBeLessThanOrEqual(8);
    // the mean normal beat of record 100's MLII peaks at the R index
    const mean = new Float64Array(216);
    let k = 0;
    const labels = load(out, 'labels.npy').data;
    const record = load(out, 'record.npy').data;
    for (let i = 0; i < n; i++) {
      if (record[i] !== 0 || labels[i] !== 0) continue;
      for (let t = 0; t < 216; t++) mean[t]! += w.data[i * 432 + t]!;
      k++;
    }
    let arg = 0;
    for (let t = 0; t < 216; t++) if (mean[t]! > mean[arg]!) arg = t;
    expect(arg).toBe(90);
    expect(mean[90]! / k).toBeGreaterThan(0.6);
    expect(mean[90]! / k).toBeLessThan(1.2);
    // RR of record 100's second beat (samples 77, 370, 662 at 360 Hz)
    const rr = load(out, 'rr.npy').data;
    expect(rr[7]).toBeCloseTo((370 - 77) / 360, 5);
    expect(rr[8]).toBeCloseTo((662 - 370) / 360, 5);
  });

  it('labels detector beats by the nearest reference beat within 150 ms', async () => {
    const outD = join(dir, 'beats-detect');
    const m = await writeBeatDataset(resolveRecords([dataPath('mitdb', '100')]), outD, { beats: 'detector', detector: detectQrs });
    const ref = rdannBeats('100');
    const r = m.records[0]!;
    expect(r.detections).toBe(r.nBeats + r.unmatched!);
    expect(r.nBeats).toBeGreaterThan(0.99 * ref.sample.length);
    expect(r.nBeats).toBeLessThanOrEqual(ref.sample.length);
    const sample = load(outD, 'sample.npy').data;
    const labels = load(outD, 'labels.npy').data;
    // every written detection lies within 54 samples of a reference beat of the same class
    let j = 0;
    for (let i = 0; i < sample.length; i++) {
      while (j + 1 < ref.sample.length && Math.abs(ref.sample[j + 1]! - sample[i]!) <= Math.abs(ref.sample[j]! - sample[i]!)) j++;
      expect(Math.abs(ref.sample[j]! - sample[i]!)).toBeLessThanOrEqual(54);
      expect(labels[i]).toBe(ref.cls[j]);
    }
  });
});

describe('detector marks of reference beats', () => {
  it('moves each reference beat to its matched detection and keeps the others, still increasing', () => {
    const reference = Int32Array.from([100, 400, 700, 1000]);
    // 395 and 420 both claim 400 (the closer keeps it), 760 is beyond the window, 1003 matches 1000
    const detections = Int32Array.from([105, 395, 420, 760, 1003]);
    const { positions, marked } = detectorMarks(reference, detections, 54);
    expect([...positions]).toEqual([105, 395, 700, 1003]);
    expect(marked).toEqual({ detectorMarked: 3, missed: 1 });
  });

  it('keeps the beats in order and moves each only to a detection within the window (random beats)', () => {
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let trial = 0; trial < 50; trial++) {
      const reference: number[] = [];
      const detections: number[] = [];
      for (let t = 50; reference.length < 40; t += 40 + Math.floor(rand() * 300)) reference.push(t);
      for (const r of reference) for (let k = 0; k < 3; k++) if (rand() < 0.5) detections.push(r + Math.floor((rand() - 0.5) * 160));
      detections.sort((x, y) => x - y);
      const det = Int32Array.from(new Set(detections));
      const { positions, marked } = detectorMarks(Int32Array.from(reference), det, 54);
      let moved = 0;
      for (let i = 0; i < positions.length; i++) {
        if (i > 0) expect(positions[i]).toBeGreaterThan(positions[i - 1]!);
        expect(Math.abs(positions[i]! - reference[i]!)).toBeLessThanOrEqual(54);
        if (positions[i] !== reference[i]) {
          expect(det.includes(positions[i]!)).toBe(true);
          moved++;
        }
      }
      expect(moved).toBeLessThanOrEqual(marked.detectorMarked);
    }
  });
});

describe.skipIf(!has)("beat dataset at the detector's marks", () => {
  it('holds the reference beats in the same order with the same labels, each cut where the detector marks it', async () => {
    const recs = resolveRecords([dataPath('mitdb', '208')]);
    const outR = join(dir, 'marks-ref');
    const outD = join(dir, 'marks-det');
    await writeBeatDataset(recs, outR);
    const m = await writeBeatDataset(recs, outD, { marks: 'detector', detector: detectQrs });
    expect(m.marks).toBe('detector');
    const r = m.records[0]!;
    expect(r.detectorMarked! + r.missed!).toBe(r.nBeats);
    expect(r.missed!).toBeLessThan(0.01 * r.nBeats);
    expect([...load(outD, 'labels.npy').data]).toEqual([...load(outR, 'labels.npy').data]);
    const a = load(outR, 'sample.npy').data;
    const b = load(outD, 'sample.npy').data;
    let moved = 0;
    for (let i = 0; i < a.length; i++) {
      expect(Math.abs(b[i]! - a[i]!)).toBeLessThanOrEqual(54);
      if (b[i] !== a[i]) moved++;
    }
    expect(moved).toBeGreaterThan(0);
    await expect(writeBeatDataset(recs, join(dir, 'marks-bad'), { marks: 'detector' })).rejects.toThrow(/needs a QRS detector/);
  });
});

describe.skipIf(!has)('heartbeat-sensei dataset', () => {
  it('keeps only the MIT-BIH records of the named split and refuses bad options', async () => {
    const out = join(dir, 'cli');
    const log = console.log;
    const lines: string[] = [];
    console.log = (m: string) => lines.push(m);
    try {
      expect(await main(['dataset', dataPath('mitdb', '100'), dataPath('mitdb', '101.hea'), '--split', 'DS1', '--out', out])).toBe(0);
    } finally {
      console.log = log;
    }
    const meta = JSON.parse(readFileSync(join(out, 'meta.json'), 'utf8')) as BeatDatasetMeta;
    expect(meta.records.map((r) => r.name)).toEqual(['101']);
    expect(meta.n).toBe(rdannBeats('101').sample.length);
    expect(lines.join('\n')).toMatch(new RegExp(`^${meta.n} beats from 1 records`));
    const err = console.error;
    console.error = () => {};
    try {
      expect(await main(['dataset', dataPath('mitdb', '100'), '--split', 'DS3', '--out', out])).toBe(2);
      expect(await main(['dataset', dataPath('mitdb', '100'), '--split', 'DS1', '--out', out])).toBe(2);
      expect(await main(['dataset', dataPath('mitdb', '100')])).toBe(2);
      expect(await main(['dataset', dataPath('mitdb', '100'), '--marks', 'peak', '--out', out])).toBe(2);
      expect(await main(['dataset', dataPath('mitdb', '100'), '--beats', 'detector', '--marks', 'detector', '--out', out])).toBe(2);
      expect(await main(['dataset', dataPath('mitdb', 'nope'), '--out', out])).toBe(2);
    } finally {
      console.error = err;
    }
  });
});

/** Per-sample rhythm class of a record from rdann's listing ('+' lines), for an independent check. */
function rdannRhythm(rec: string, n: number): Uint8Array {
  const cls = new Uint8Array(n);
  let cur = 0;
  let from = 0;
  for (const line of readFileSync(dataPath('reference/mitdb', `${rec}.atr.txt`), 'latin1').split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f[2] !== '+') continue;
    const at = Number(f[1]);
    cls.fill(cur, from, at);
    const aux = f[f.length - 1]!.replace(/\0/g, '');
    cur = aux === '(AFIB' ? 1 : aux === '(VT' || aux === '(VFL' ? 2 : 0;
    from = at;
  }
  cls.fill(cur, from);
  return cls;
}

describe.skipIf(!has || !needData('cinc2017') || !needData('cudb'))('rhythm dataset on real records', () => {
  it('labels mitdb windows from the rhythm annotations, cudb VF episodes as VT and CinC recordings from REFERENCE.csv', async () => {
    const out = join(dir, 'rhythm');
    const refs = resolveRecords([dataPath('mitdb', '201'), dataPath('cudb', 'cu01'), ...['A00003', 'A00004', 'A00056'].map((r) => dataPath('cinc2017', r))]);
    const meta: RhythmDatasetMeta = await writeRhythmDataset(refs, out, { strideSec: 5 });
    const x = load(out, 'x.npy');
    const labels = load(out, 'labels.npy').data;
    const record = load(out, 'record.npy').data;
    const start = load(out, 'start.npy').data;
    expect(x.shape).toEqual([meta.n, 1, 1250]);
    expect(meta.fs).toBe(125);
    // mitdb 201: 650000 samples at 360 Hz; each window labelled by its majority rhythm
    const truth = rdannRhythm('201', 650000);
    let checked = 0;
    let af = 0;
    for (let i = 0; i < meta.n; i++) {
      if (record[i] !== 0) continue;
      const cover = [0, 0, 0];
      for (let s = start[i]!; s < start[i]! + 3600; s++) cover[truth[s]!]!++;
      expect(cover[labels[i]!]!).toBeGreaterThanOrEqual(1800);
      checked++;
      if (labels[i] === 1) af++;
    }
    expect(checked).toBe(meta.records[0]!.nWindows);
    expect(checked + meta.records[0]!.skipped).toBe(361); // 1805.6 s: 360 starts every 5 s up to 1795 s, plus one ending at the record's end
    expect(af).toBeGreaterThan(50);
    // cudb cu01: VF from sample 53546 ('[') to the end
    const cu = meta.records[1]!;
    expect(cu.counts[2]).toBeGreaterThan(0);
    for (let i = 0; i < meta.n; i++) if (record[i] === 1 && start[i]! >= 53546) expect(labels[i]).toBe(2);
    for (let i = 0; i < meta.n; i++) if (record[i] === 1 && start[i]! + 2500 <= 53546) expect(labels[i]).toBe(0);
    // CinC: A00003 (N, 60 s: 11 windows), A00004 (A), A00056 (~)
    expect(meta.records.slice(2).map((r) => [r.name, r.labelSource, r.counts])).toEqual([
      ['A00003', 'REFERENCE.csv', [11, 0, 0, 0]],
      ['A00004', 'REFERENCE.csv', [0, meta.records[3]!.nWindows, 0, 0]],
      ['A00056', 'REFERENCE.csv', [0, 0, 0, meta.records[4]!.nWindows]],
    ]);
    expect(x.data.every(Number.isFinite)).toBe(true);
  });
});

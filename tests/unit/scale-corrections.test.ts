// Pooled corrections: review exports → a beat dataset with the app's preprocessing and the
// reviewed beats marked (src/main/batch/corrections.ts), then training's merge
// (training/hbs/corrections.py): a relabelled beat changes the label of the same beat in the
// training data, an added beat is a new row of the same record (same patient, same fold), the
// latest export of a record wins, and nothing is written beside the record.
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSynthRecord } from '../../src/main/synth';
import { parseNpy, referenceBeats, writeBeatDataset } from '../../src/main/dataset';
import { openRecord, readAnnotations } from '../../src/main/wfdb';
import { recordContentHash } from '../../src/main/analysis/record';
import { reviewedMask, writeCorrectionsDataset } from '../../src/main/batch/corrections';
import { AAMI_CLASSES } from '../../src/shared/analysis';
import { REVIEW_FORMAT, type ReviewExport, type ReviewedBeat } from '../../src/shared/review';

const ROOT = resolve(import.meta.dirname, '../..');
const PY = process.env.PYTHON ?? '/usr/bin/python3';

function hasNumpyTorch(): boolean {
  if (spawnSync(PY, ['-c', 'import numpy, torch'], { stdio: 'ignore' }).status === 0) return true;
  const msg = `${PY} lacks numpy/torch (apt-get install python3-torch)`;
  if (process.env.CI === 'true') throw new Error(`${msg}: required under CI`);
  console.warn(`${msg}: skipping the training side of the corrections test`);
  return false;
}

const npy = async (dir: string, name: string) => parseNpy(new Uint8Array(await readFile(join(dir, `${name}.npy`))));

describe('pooled corrections', () => {
  let dir: string;
  let record: string;
  let review: ReviewExport;
  let beats: ReviewedBeat[];
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hbs-corrections-'));
    record = join(dir, 'clinic', 'rec');
    await writeSynthRecord(record, { scenario: 'demo', minutes: 1, seed: 5 });
    const ref = referenceBeats(await readAnnotations(record, 'atr'));
    const rec = await openRecord(record);
    const hash = await recordContentHash(rec, record);
    const fs = rec.header.fs;
    await rec.close();
    beats = Array.from(ref.sample, (s, k): ReviewedBeat => ({ sample: s, label: AAMI_CLASSES[ref.label[k]!]!, status: 'unreviewed' }));
    for (let k = 0; k < 10; k++) beats[k]!.status = 'confirmed';
    // Five N beats relabelled V by the reviewer.
    const ns = beats
      .map((b, k) => [b, k] as const)
      .filter(([b, k]) => b.label === 'N' && k >= 10)
      .slice(0, 5);
    for (const [b] of ns) Object.assign(b, { label: 'V', status: 'relabelled', predicted: 'N' });
    beats[20]!.status = 'deleted';
    // Two beats the detector missed, midway between two beats (no beat within 150 ms).
    for (const k of [30, 40]) beats.push({ sample: Math.round((beats[k]!.sample + beats[k + 1]!.sample) / 2), label: 'V', status: 'added' });
    beats.sort((a, b) => a.sample - b.sample);
    review = {
      format: REVIEW_FORMAT,
      version: 1,
      record: { name: 'rec', hash, fs },
      threshold: 0.5,
      exportedAt: '2026-12-04T10:00:00Z',
      reviewer: 'dr-a',
      beats,
      episodes: [],
    };
    await mkdir(join(dir, 'reviews', 'dr-b'), { recursive: true });
    await writeFile(join(dir, 'reviews', 'latest.json'), JSON.stringify(review));
    // An earlier export of the same record by another reviewer: superseded.
    await writeFile(
      join(dir, 'reviews', 'dr-b', 'older.json'),
      JSON.stringify({ ...review, reviewer: 'dr-b', exportedAt: '2026-12-01T10:00:00Z', beats: beats.map((b) => ({ ...b, status: 'unreviewed' })) })
    );
  }, 60_000);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("writes the record's beats with the reviewed ones marked, the latest export winning, nothing beside the record", async () => {
    const before = await readdir(join(dir, 'clinic'));
    const out = join(dir, 'corrections');
    const s = await writeCorrectionsDataset(join(dir, 'reviews'), [join(dir, 'clinic')], out);
    expect(await readdir(join(dir, 'clinic'))).toEqual(before);
    expect(s.superseded).toEqual([join(dir, 'reviews', 'dr-b', 'older.json')]);
    expect(s.records).toMatchObject([{ name: 'rec', db: 'clinic', path: record, reviewer: 'dr-a', reviewed: 17 }]);
    const meta = JSON.parse(await readFile(join(out, 'meta.json'), 'utf8'));
    expect(meta.records[0].path).toBe(record);
    const mask = (await npy(out, 'reviewed')).data as Uint8Array;
    const labels = (await npy(out, 'labels')).data as Uint8Array;
    const sample = (await npy(out, 'sample')).data as Int32Array;
    expect(mask).toEqual(reviewedMask(review));
    // Rows are the review's beats less the deleted one; each reviewed row carries the reviewer's label.
    const kept = beats.filter((b) => b.status !== 'deleted');
    expect(Array.from(sample)).toEqual(kept.map((b) => b.sample));
    kept.forEach((b, k) => expect(AAMI_CLASSES[labels[k]!]).toBe(b.label));
    expect(mask.reduce((a, x) => a + x, 0)).toBe(17);
  }, 60_000);

  it('a review of a record that is not under the record folders is an error naming the export', async () => {
    const elsewhere = join(dir, 'other');
    await mkdir(elsewhere);
    await expect(writeCorrectionsDataset(join(dir, 'reviews'), [elsewhere], join(dir, 'c2'))).rejects.toThrow(/latest\.json: record rec .* not found under/);
  });

  it.skipIf(!hasNumpyTorch())(
    'training merges them patient-wise: relabels in place, adds rows to the same record',
    async () => {
      const base = join(dir, 'base');
      await writeBeatDataset([{ name: 'rec', db: 'clinic', path: record }], base, { annotator: 'atr' });
      const code = `
import json
from hbs.beats import load_data
from hbs.corrections import add_corrections, load_corrections
import numpy as np
d, _ = load_data([${JSON.stringify(base)}], [], True)
before = d.lab.copy()
m = add_corrections(d, [${JSON.stringify(base)}], [${JSON.stringify(join(dir, 'corrections'))}], True)
print(json.dumps({"n0": int(d.n), "n1": int(m.n), "changed": int((before != m.lab[: d.n]).sum()), "toV": int(((before != m.lab[: d.n]) & (m.lab[: d.n] == 2)).sum()),
  "newRecs": sorted(set(m.rec[d.n:].tolist())), "newLabels": m.lab[d.n:].tolist(), "winSame": bool(np.array_equal(m.win[: d.n], d.win[: d.n])), "db": sorted(set(m.db.tolist()))}))
`;
      const r = spawnSync(PY, ['-c', code], { cwd: ROOT, env: { ...process.env, PYTHONPATH: join(ROOT, 'training') }, encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      const res = JSON.parse(r.stdout.trim().split('\n').at(-1)!);
      expect(res).toEqual({ n0: res.n0, n1: res.n0 + 2, changed: 5, toV: 5, newRecs: ['rec'], newLabels: [2, 2], winSame: true, db: ['clinic'] });
    },
    120_000
  );
});

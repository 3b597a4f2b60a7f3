// Review export: WFDB annotation file (written by the project's writer, read back by its reader),
// CSV and JSON round trips, the .atr guard, default places, and re-import.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, mkdir, rm, writeFile, readFile, copyFile, readdir, realpath } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeExport, importReview, exportTarget, ExportError } from '../../src/main/export';
import { annotationsToReview, reviewToAnnotations } from '../../src/main/export/wfdb';
import { csvParseRows } from 'd3-dsv';
import { reviewToCsv, csvToReview } from '../../src/main/export/csv';
import { readAnnotations, writeAnnotations } from '../../src/main/wfdb/annotations';
import { MAX_SAMPLE, MODEL_CALLS_NOTE, REVIEW_FORMAT, ReviewExport } from '../../src/shared/review';

let dir: string;
const review: ReviewExport = {
  format: REVIEW_FORMAT,
  version: 1,
  record: { name: 'rec', hash: 'abc', fs: 360 },
  threshold: 0.5,
  exportedAt: '2026-11-22T10:00:00.000Z',
  reviewer: 'Dr "Q", cardiology',
  beats: [
    { sample: 100, label: 'N', status: 'unreviewed', predicted: 'N', pvcScore: 0.01, reference: 'N' },
    { sample: 460, label: 'V', status: 'confirmed', predicted: 'V', pvcScore: 0.93, reviewer: 'ana', reviewedAt: '2026-11-22T09:00:00.000Z' },
    { sample: 800, label: 'N', status: 'relabelled', predicted: 'V', pvcScore: 0.61, reviewer: 'ana', reviewedAt: '2026-11-22T09:01:00.000Z' },
    { sample: 900, label: 'X', status: 'deleted', predicted: 'N', pvcScore: 0.2 },
    { sample: 1000, label: 'X', status: 'relabelled', predicted: 'N', pvcScore: 0.1 },
    { sample: 1200, label: 'S', status: 'added', reviewer: 'ana', reviewedAt: '2026-11-22T09:02:00.000Z' },
  ],
  episodes: [
    {
      type: 'AF',
      onsetSample: 1000,
      offsetSample: 5000,
      confidence: 0.9,
      explanation: 'irregular, no P waves',
      status: 'confirmed',
      reviewer: 'ana',
      reviewedAt: '2026-11-22T09:03:00.000Z',
    },
    { type: 'PAUSE', onsetSample: 6000, offsetSample: 7080, confidence: 1, explanation: 'RR 3.0 s', status: 'unreviewed' },
    { type: 'VT', onsetSample: 8000, offsetSample: 9000, confidence: 0.4, explanation: 'x', status: 'rejected' },
  ],
};

beforeAll(async () => {
  dir = await realpath(await mkdtemp(join(tmpdir(), 'hb-export-')));
  await writeFile(join(dir, 'rec.hea'), 'rec 1 360 10000\nrec.dat 16 200 16 0 0 0 0 MLII\n');
  await writeFile(join(dir, 'rec.dat'), new Uint8Array(20000));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('review export', () => {
  it('writes a WFDB annotation file the project reader reads back (deleted beats out, X as artifact, rhythms)', async () => {
    const res = await writeExport({ recordPath: join(dir, 'rec'), format: 'wfdb', annotator: 'rev', review }, { fallbackDir: join(dir, 'fb') });
    expect(res.file).toBe(join(dir, 'rec.rev'));
    const anns = await readAnnotations(join(dir, 'rec'), 'rev');
    expect(anns.map((a) => [a.sample, a.code, (a.aux ?? '').replace(/\0+$/, '')])).toEqual([
      [0, 22, MODEL_CALLS_NOTE],
      [100, 28, '(N'],
      [100, 1, ''],
      [460, 5, ''],
      [800, 1, ''],
      [1000, 28, '(AFIB'],
      [1000, 16, ''],
      [1200, 8, ''],
      [5000, 28, '(N'],
      [6000, 22, 'PAUSE 3.000s'],
    ]);
    expect((await readdir(dir)).filter((f) => f.includes('tmp'))).toEqual([]);
    const back = await importReview(res.file, { name: 'rec', hash: 'abc', fs: 360 });
    expect(back.beats.map((b) => [b.sample, b.label])).toEqual([
      [100, 'N'],
      [460, 'V'],
      [800, 'N'],
      [1000, 'X'],
      [1200, 'S'],
    ]);
    expect(back.episodes.map((e) => [e.type, e.onsetSample, e.offsetSample])).toEqual([
      ['AF', 1000, 5000],
      ['PAUSE', 6000, 7080],
    ]);
    // the app's own file holds the model's calls: labels only; a reference written elsewhere is decisions
    expect(back.labelsOnly).toBe(true);
    expect(reviewToAnnotations({ ...review, threshold: null }).some((a) => a.aux === MODEL_CALLS_NOTE)).toBe(false);
    await writeAnnotations(join(dir, 'rec.ref'), anns.slice(1));
    expect((await importReview(join(dir, 'rec.ref'), { name: 'rec', hash: 'abc', fs: 360 })).labelsOnly).toBeUndefined();
    // another record's annotation file (the app's import, as report --review): its labels are not this record's
    await writeAnnotations(join(dir, 'other.ref'), anns.slice(1));
    await expect(importReview(join(dir, 'other.ref'), { name: 'rec', hash: 'abc', fs: 360 })).rejects.toThrow(
      /other\.ref: belongs to another record \(other\), not rec/
    );
    expect((await importReview(join(dir, 'other.ref'), { name: 'other', hash: 'abc', fs: 360 })).beats).toHaveLength(5);
  });

  it('writes overlapping episodes as the rhythm state analyze writes (VT inside AF, then AF again; VF; noise a note) and reads them back whole', async () => {
    const ep = (type: 'AF' | 'VT' | 'NOISE', a: number, b: number, rhythm?: 'VT' | 'VF') => ({
      type,
      onsetSample: a,
      offsetSample: b,
      confidence: 0.9,
      explanation: 'x',
      status: 'confirmed' as const,
      ...(rhythm ? { rhythm } : {}),
    });
    const r = { ...review, episodes: [ep('AF', 1000, 9000), ep('VT', 3000, 4000, 'VT'), ep('VT', 12000, 15000, 'VF'), ep('NOISE', 20000, 21000)] };
    const anns = reviewToAnnotations(r).filter((a) => a.code === 28 || a.code === 22);
    expect(anns.map((a) => [a.sample, a.aux])).toEqual([
      [0, MODEL_CALLS_NOTE],
      [100, '(N'],
      [1000, '(AFIB'],
      [3000, '(VT'],
      [4000, '(AFIB'],
      [9000, '(N'],
      [12000, '(VF'],
      [15000, '(N'],
      [20000, 'NOISE 2.778s'],
    ]);
    // read back: the AF the VT interrupted is one AF again, so an import of the app's own file adds no episode
    const back = annotationsToReview(reviewToAnnotations(r), { name: 'rec', hash: 'abc', fs: 360 });
    expect(back.episodes.map((e) => [e.type, e.rhythm ?? null, e.onsetSample, e.offsetSample])).toEqual([
      ['AF', null, 1000, 9000],
      ['VT', 'VT', 3000, 4000],
      ['VT', 'VF', 12000, 15000],
      ['NOISE', null, 20000, 21000],
    ]);
  });

  it('never replaces the record’s .atr without an explicit confirmation', async () => {
    await writeFile(join(dir, 'rec.atr'), new Uint8Array([0, 0]));
    await expect(writeExport({ recordPath: join(dir, 'rec'), format: 'wfdb', annotator: 'atr', review }, { fallbackDir: dir })).rejects.toBeInstanceOf(
      ExportError
    );
    expect(Array.from(await readFile(join(dir, 'rec.atr')))).toEqual([0, 0]);
    await writeExport({ recordPath: join(dir, 'rec'), format: 'wfdb', annotator: 'atr', confirmOverwrite: join(dir, 'rec.atr'), review }, { fallbackDir: dir });
    expect((await readAnnotations(join(dir, 'rec'), 'atr')).length).toBe(10);
    await expect(writeExport({ recordPath: join(dir, 'rec'), format: 'wfdb', annotator: 'dat', review }, { fallbackDir: dir })).rejects.toThrow(/signal file/);
  });

  it('refuses a review whose sample numbers do not fit the Int32Arrays the app holds them in', () => {
    expect(ReviewExport.safeParse(review).success).toBe(true);
    const beyond = { ...review, beats: [...review.beats, { sample: MAX_SAMPLE + 1, label: 'N', status: 'added' }] };
    expect(ReviewExport.safeParse(beyond).success).toBe(false);
    const episode = { ...review, episodes: [{ ...review.episodes[0]!, offsetSample: 2 ** 32 + 5 }] };
    expect(ReviewExport.safeParse(episode).success).toBe(false);
  });

  it('round-trips CSV (quoting, who/when) and JSON exactly', async () => {
    const csv = reviewToCsv(review);
    expect(csv.split('\n')[1]).toBe(
      'kind,sample,end_sample,time_s,label,status,predicted,pvc_score,reference,confidence,explanation,reviewer,reviewed_at,source'
    );
    const back = csvToReview(csv, 'x.csv');
    expect(back.reviewer).toBe(review.reviewer);
    expect(back.beats.map((b) => [b.sample, b.label, b.status, b.reviewer])).toEqual(review.beats.map((b) => [b.sample, b.label, b.status, b.reviewer]));
    // scores in full: a score just under the threshold is not read back as on it
    const fine = { ...review, beats: [{ ...review.beats[0]!, pvcScore: Math.fround(0.09996) }] };
    expect(csvToReview(reviewToCsv(fine), 'x.csv').beats[0]!.pvcScore).toBe(Math.fround(0.09996));
    expect(back.episodes).toEqual(review.episodes.map((e) => ({ ...e, confidence: Number(e.confidence.toFixed(3)) })));
    // a VF episode reads VF in the CSV and comes back a VT episode of rhythm VF
    const vf = { ...review, episodes: [{ ...review.episodes[0]!, type: 'VT' as const, rhythm: 'VF' as const }] };
    const vfCsv = reviewToCsv(vf);
    expect(vfCsv).toContain('episode,1000,5000,2.778,"VF"');
    expect(csvToReview(vfCsv, 'x.csv').episodes[0]).toMatchObject({ type: 'VT', rhythm: 'VF' });
    expect(csvParseRows('a,"b,""c""\nd",e\n')).toEqual([['a', 'b,"c"\nd', 'e']]);
    // the models the review was made under travel in the meta line
    const models = [
      { task: 'beat', id: 'beat-pvc-ft2', version: '3.7.0-ft.2' },
      { task: 'rhythm', id: 'rhythm', version: '1.1.0' },
    ];
    expect(csvToReview(reviewToCsv({ ...review, models }), 'x.csv').models).toEqual(models);
    expect(back.models).toBeUndefined();
    const res = await writeExport({ recordPath: join(dir, 'rec'), format: 'json', review }, { fallbackDir: dir });
    expect(res.file).toBe(join(dir, 'rec.review.json'));
    expect(await importReview(res.file, { name: '', hash: '', fs: 1 })).toEqual(review);
    const c = await writeExport({ recordPath: join(dir, 'rec'), format: 'csv', review }, { fallbackDir: dir });
    expect((await importReview(c.file, { name: '', hash: '', fs: 1 })).beats).toHaveLength(6);
  });

  it("writes each episode's source (the rhythm model's NOISE and VT apart from the rules') in an appended column, and reads it back; a CSV without it still reads", () => {
    const noise = { type: 'NOISE' as const, onsetSample: 2000, offsetSample: 2900, confidence: 0.7, explanation: 'n', status: 'unreviewed' as const };
    const sourced: ReviewExport = {
      ...review,
      episodes: [
        { ...noise, source: 'model' },
        { ...noise, onsetSample: 3000, offsetSample: 3900, source: 'rules' },
        { ...review.episodes[2]!, source: 'model' },
        { ...review.episodes[0]!, source: 'reference' },
        { ...review.episodes[1]!, status: 'added' }, // the reviewer's own: no source
      ],
    };
    const csv = reviewToCsv(sourced);
    const rows = csvParseRows(csv.split('\n').slice(1).join('\n'));
    const header = rows[0]!;
    expect(header.indexOf('source')).toBe(header.length - 1);
    expect(header.slice(0, 13)).toEqual([
      'kind',
      'sample',
      'end_sample',
      'time_s',
      'label',
      'status',
      'predicted',
      'pvc_score',
      'reference',
      'confidence',
      'explanation',
      'reviewer',
      'reviewed_at',
    ]);
    const episodeRows = rows.filter((r) => r[0] === 'episode');
    expect(episodeRows.map((r) => [r[4], r[13]])).toEqual([
      ['NOISE', 'model'],
      ['NOISE', 'rules'],
      ['VT', 'model'],
      ['AF', 'reference'],
      ['PAUSE', ''],
    ]);
    expect(rows.filter((r) => r[0] === 'beat').every((r) => r.length === header.length && r[13] === '')).toBe(true);
    expect(csvToReview(csv, 'x.csv').episodes.map((e) => e.source)).toEqual(['model', 'rules', 'model', 'reference', undefined]);
    // an export written before the column: the same rows less their last cell
    const older = csv
      .split('\n')
      .map((l, i) => (i === 0 || l === '' ? l : l.slice(0, l.lastIndexOf(','))))
      .join('\n');
    expect(older.split('\n')[1]).toBe('kind,sample,end_sample,time_s,label,status,predicted,pvc_score,reference,confidence,explanation,reviewer,reviewed_at');
    const back = csvToReview(older, 'old.csv');
    expect(back.episodes.map((e) => e.source)).toEqual([undefined, undefined, undefined, undefined, undefined]);
    expect(back.episodes.map((e) => [e.type, e.onsetSample, e.status])).toEqual(sourced.episodes.map((e) => [e.type, e.onsetSample, e.status]));
    expect(() => csvToReview(csv.replace(',source\n', ',source,more\n'), 'x.csv')).toThrow(/column header/);
  });

  it('exports the read-only demo into the data folder, and names bad files in errors', async () => {
    await mkdir(join(dir, 'res', 'demo'), { recursive: true });
    await copyFile(join(dir, 'rec.hea'), join(dir, 'res', 'demo', 'rec.hea'));
    expect(
      (
        await exportTarget(
          { recordPath: join(dir, 'res', 'demo', 'rec'), format: 'csv' },
          { readOnlyDir: join(dir, 'res'), fallbackDir: join(dir, 'hs', 'exports') }
        )
      ).file
    ).toBe(join(dir, 'hs', 'exports', 'rec.review.csv'));
    await mkdir(join(dir, 'reviews'));
    expect(
      (
        await exportTarget(
          { recordPath: join(dir, 'rec.hea'), format: 'wfdb', annotator: 'rev', outDir: join(dir, 'reviews') },
          { fallbackDir: '/x', allowedDirs: () => [join(dir, 'reviews')] }
        )
      ).file
    ).toBe(join(dir, 'reviews', 'rec.rev'));
    await writeFile(join(dir, 'bad.json'), '{"format":"nope"}');
    await expect(importReview(join(dir, 'bad.json'), { name: '', hash: '', fs: 1 })).rejects.toThrow(/bad\.json: not a Heartbeat Sensei review/);
    await copyFile(join(dir, 'rec.hea'), join(dir, 'x.csv'));
    await expect(importReview(join(dir, 'x.csv'), { name: '', hash: '', fs: 1 })).rejects.toThrow(/x\.csv: not a Heartbeat Sensei review CSV/);
    await expect(importReview(join(dir, 'missing.json'), { name: '', hash: '', fs: 1 })).rejects.toThrow(/missing\.json: file not found/);
  });
});

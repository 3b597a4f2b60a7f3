// summarize DIR: every analysis under a batch's folder as one row, the same in CSV and Parquet;
// failed records as rows with their status; other files left out by name; unreadable input is exit 2.
import { csvParse } from 'd3-dsv';
import { parquetReadObjects } from 'hyparquet';
import { mkdir, mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/index';
import { writeSynthRecord } from '../../src/main/synth';
import { readSummary, rowOfAnalysis, SUMMARY_COLUMNS, summaryCsv } from '../../src/main/batch/summary';
import { quiet } from '../helpers/cli-output';

describe('summarize', () => {
  let dir: string;
  let out: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hbs-summarize-'));
    out = join(dir, 'out');
    for (const [db, seed] of [
      ['alpha', 1],
      ['beta', 2],
    ] as const) {
      await mkdir(join(dir, db));
      await writeSynthRecord(join(dir, db, 'r1'), { scenario: 'demo', minutes: 1, seed });
    }
    const code = await quiet(() =>
      main([
        'analyze',
        join(dir, 'alpha', 'r1'),
        join(dir, 'beta', 'r1'),
        join(dir, 'gone', 'r9'),
        '--rules',
        '--no-cache',
        '--beats',
        'atr',
        '--out',
        out,
        '--layout',
        'database',
        '--status',
      ])
    );
    expect(code.value).toBe(2);
    // Another tool's JSON in the folder is left out, by name.
    await writeFile(join(out, 'eval.json'), JSON.stringify({ se: 0.9 }));
  }, 120_000);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('one row per record, sorted by path, with the analysis figures and the failed record', async () => {
    const { rows, skipped } = await readSummary(out);
    expect(skipped).toEqual([join(out, 'eval.json')]);
    expect(rows.map((r) => [r.path, r.record, r.status])).toEqual([
      ['alpha/r1', 'r1', 'done'],
      ['beta/r1', 'r1', 'done'],
      ['gone/r9', 'r9', 'bad-input'],
    ]);
    const j = JSON.parse(await readFile(join(out, 'alpha', 'r1.json'), 'utf8'));
    expect(rows[0]).toMatchObject({
      beats: j.beats,
      pvcCount: j.pvcCount,
      pvcBurden: j.pvcBurden,
      afBurden: j.afBurden,
      longestPauseSec: j.summary.longestPauseSec,
      provider: 'rules',
      seconds: j.wallSec,
    });
    expect(rows[0]!.recording).toBe(j.recording?.label ?? null);
    expect(rows[2]).toMatchObject({ beats: null, pvcCount: null, message: expect.stringContaining('r9.hea') });
  });

  it('CSV and Parquet hold the same table', async () => {
    const csvFile = join(dir, 'summary.csv');
    const pqFile = join(dir, 'summary.parquet');
    const r = await quiet(() => main(['summarize', out, '--csv', csvFile, '--parquet', pqFile]));
    expect(r.value).toBe(0);
    expect(r.err).toMatch(/eval\.json: not an analysis/);
    const csv = csvParse(await readFile(csvFile, 'utf8'));
    expect(csv.columns).toEqual([...SUMMARY_COLUMNS]);
    const buf = await readFile(pqFile);
    const pq = await parquetReadObjects({ file: buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) });
    expect(pq).toHaveLength(3);
    const { rows } = await readSummary(out);
    for (let i = 0; i < rows.length; i++) {
      for (const c of SUMMARY_COLUMNS) {
        const v = rows[i]![c];
        expect(pq[i]![c], `${rows[i]!.path} ${c}`).toEqual(v);
        expect(csv[i]![c], `${rows[i]!.path} ${c}`).toBe(v === null ? '' : String(v));
      }
    }
    // Without a file the CSV goes to stdout.
    const s = await quiet(() => main(['summarize', out]));
    expect(s.out).toBe(summaryCsv(rows));
  });

  it('a JSON that is not an analysis is not a row; a broken file or a missing folder is exit 2 naming it', async () => {
    expect(rowOfAnalysis(JSON.stringify({ record: 'x' }), 'x')).toBeNull();
    const bad = join(dir, 'bad');
    await mkdir(bad);
    await writeFile(join(bad, 'r.json'), '{ not json');
    const r = await quiet(() => main(['summarize', bad]));
    expect(r.value).toBe(2);
    expect(r.err).toContain(join(bad, 'r.json'));
    const gone = await quiet(() => main(['summarize', join(dir, 'nowhere')]));
    expect(gone.value).toBe(2);
    expect(gone.err).toContain('nowhere');
  });

  it('a record analysed in both layouts into one folder is one row, the newer, with a warning', async () => {
    const both = join(dir, 'both');
    const rec = join(dir, 'alpha', 'r1');
    const analyze = (...layout: string[]) => quiet(() => main(['analyze', rec, '--rules', '--no-cache', '--beats', 'atr', '--out', both, ...layout]));
    expect((await analyze('--layout', 'database')).value).toBe(0);
    expect((await analyze('--layout', 'flat')).value).toBe(0);
    await utimes(join(both, 'alpha', 'r1.json'), new Date(1e12), new Date(1e12)); // older than the flat one
    const { rows, warnings } = await readSummary(both);
    expect(rows.map((r) => [r.path, r.recordPath])).toEqual([['r1', rec]]);
    expect(warnings).toEqual([`${rec} is in ${both} twice (alpha/r1, r1; both layouts?): kept r1`]);
    const r = await quiet(() => main(['summarize', both]));
    expect(r.out.trim().split('\n')).toHaveLength(2);
    expect(r.err).toContain('warning: ');
    // an error file of the record elsewhere in the folder does not outrank its analysis
    await mkdir(join(both, 'beta'));
    await writeFile(join(both, 'beta', 'r1.error.json'), JSON.stringify({ record: 'r1', recordPath: rec, status: 'retry', message: 'disk full' }));
    expect((await readSummary(both)).rows.map((x) => [x.path, x.status])).toEqual([['r1', 'done']]);
  });

  it("never writes the table over a record's own file", async () => {
    const rec = join(dir, 'alpha', 'r1');
    const own = await Promise.all(['hea', 'dat', 'atr'].map((x) => readFile(`${rec}.${x}`)));
    for (const args of [
      ['--csv', `${rec}.hea`],
      ['--parquet', `${rec}.dat`],
      ['--csv', `${rec}.atr`],
    ]) {
      const r = await quiet(() => main(['summarize', out, ...args]));
      expect(r.value, args.join(' ')).toBe(2);
      expect(r.err).toContain(`${args.join(' ')}: a record's file, not a place for the table`);
    }
    expect((await Promise.all(['hea', 'dat', 'atr'].map((x) => readFile(`${rec}.${x}`)))).every((b, i) => b.equals(own[i]!))).toBe(true);
  });
});

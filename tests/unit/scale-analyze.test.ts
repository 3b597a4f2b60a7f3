// analyze as a batch's unit of work: the database layout keeps same-named records of two folders
// apart, --skip-done resumes, --status prints one JSON line per record, exit codes say retry or not.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { EXIT, main } from '../../src/cli/index';
import { writeSynthRecord } from '../../src/main/synth';
import { collisions, outputBase } from '../../src/main/batch/layout';
import { readSummary } from '../../src/main/batch/summary';
import { EXIT_RETRY, exitCodeOf, failureStatus, StatusLine } from '../../src/main/batch/status';
import { quiet } from '../helpers/cli-output';
import { writeTinyModels } from './inference-tiny-model';

// The outputs' write fails with this errno while it is set (a full disk cannot be made here).
const writeFailure = vi.hoisted(() => ({ code: null as string | null }));
vi.mock('../../src/main/files/atomic', async (importOriginal) => {
  const m = await importOriginal<typeof import('../../src/main/files/atomic')>();
  return {
    ...m,
    writeFilesAtomic: (...args: Parameters<typeof m.writeFilesAtomic>) =>
      writeFailure.code
        ? Promise.reject(Object.assign(new Error(`${writeFailure.code}: simulated`), { code: writeFailure.code }))
        : m.writeFilesAtomic(...args),
  };
});

const lines = (out: string) =>
  out
    .trim()
    .split('\n')
    .map((l) => StatusLine.parse(JSON.parse(l)));

describe('batch layout and status (pure)', () => {
  it('database layout separates folders; flat layout reports the clash', () => {
    expect(outputBase('/o', '/d/mitdb/100', 'database')).toBe('/o/mitdb/100');
    expect(outputBase('/o', '/d/mitdb/100', 'flat')).toBe('/o/100');
    expect(collisions(['/a/mitdb/100', '/a/svdb/100'], '/o', 'flat')).toEqual([['/a/mitdb/100', '/a/svdb/100']]);
    expect(collisions(['/a/mitdb/100', '/a/svdb/100'], '/o', 'database')).toEqual([]);
    // The same record named twice is not a clash.
    expect(collisions(['/a/mitdb/100', '/a/mitdb/100'], '/o', 'flat')).toEqual([]);
  });

  it('input problems are bad input, anything else is worth a retry; retry wins', () => {
    expect(failureStatus('NOT_FOUND')).toBe('bad-input');
    expect(failureStatus('BAD_HEADER')).toBe('bad-input');
    expect(failureStatus('IO')).toBe('retry');
    expect(failureStatus('WORKER_EXIT')).toBe('retry');
    expect(failureStatus(undefined)).toBe('retry');
    expect(exitCodeOf(['done', 'skipped'])).toBe(0);
    expect(exitCodeOf(['done', 'bad-input'])).toBe(2);
    expect(exitCodeOf(['bad-input', 'retry', 'done'])).toBe(75);
    expect(EXIT.retry).toBe(EXIT_RETRY);
  });
});

describe('analyze --out DIR --layout database --status --skip-done', () => {
  let dir: string;
  let a: string;
  let b: string;
  const flags = ['--rules', '--no-cache', '--beats', 'atr'];
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hbs-scale-'));
    a = join(dir, 'one', 'rec');
    b = join(dir, 'two', 'rec');
    await mkdir(join(dir, 'one'));
    await mkdir(join(dir, 'two'));
    await writeSynthRecord(a, { scenario: 'demo', minutes: 1, seed: 1 });
    await writeSynthRecord(b, { scenario: 'demo', minutes: 1, seed: 2 });
  }, 60_000);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('two records named alike in two folders: flat is refused, database writes both apart', async () => {
    const flat = await quiet(() => main(['analyze', a, b, ...flags, '--out', join(dir, 'flat')]));
    expect(flat.value).toBe(2);
    expect(flat.err).toMatch(/would write the same files.*--layout database/);
    expect(existsSync(join(dir, 'flat', 'rec.json'))).toBe(false);

    const out = join(dir, 'out');
    const r = await quiet(() => main(['analyze', a, b, ...flags, '--out', out, '--layout', 'database', '--status']));
    expect(r.value).toBe(0);
    const st = lines(r.out);
    expect(st.map((s) => [s.status, s.json])).toEqual([
      ['done', join(out, 'one', 'rec.json')],
      ['done', join(out, 'two', 'rec.json')],
    ]);
    for (const f of ['one', 'two']) for (const ext of ['pvc', 'csv', 'json']) expect(existsSync(join(out, f, `rec.${ext}`))).toBe(true);
    const j1 = JSON.parse(await readFile(join(out, 'one', 'rec.json'), 'utf8'));
    const j2 = JSON.parse(await readFile(join(out, 'two', 'rec.json'), 'utf8'));
    expect(j1.recordPath).toBe(a);
    expect(j2.recordPath).toBe(b);
    expect(j1.recordHash).not.toBe(j2.recordHash);
  }, 120_000);

  it('a re-run with --skip-done skips what is done; other settings are not done', async () => {
    const out = join(dir, 'out');
    const again = await quiet(() => main(['analyze', a, ...flags, '--out', out, '--layout', 'database', '--status', '--skip-done']));
    expect(again.value).toBe(0);
    expect(lines(again.out)[0]!.status).toBe('skipped');
    const other = await quiet(() => main(['analyze', a, ...flags, '--threshold', '0.3', '--out', out, '--layout', 'database', '--status', '--skip-done']));
    expect(lines(other.out)[0]!.status).toBe('done');
  }, 120_000);

  it('--skip-done analyses again what another reading of the signals, or another output format, wrote', async () => {
    const out = join(dir, 'out-reading');
    await quiet(() => main(['analyze', a, ...flags, '--out', out, '--layout', 'database', '--status']));
    const json = (await readdir(out, { recursive: true })).find((f) => String(f).endsWith('.json'))!;
    const path = join(out, String(json));
    const j = JSON.parse(await readFile(path, 'utf8')) as { settingsKey: string };
    const key = JSON.parse(j.settingsKey) as [string, unknown][];
    expect(key.map(([k]) => k)).toContain('format');
    const skip = () => main(['analyze', a, ...flags, '--out', out, '--layout', 'database', '--status', '--skip-done']);
    expect(lines((await quiet(skip)).out)[0]!.status).toBe('skipped');
    for (const changed of [key.filter(([k]) => k !== 'reading'), key.map(([k, v]) => [k, k === 'format' ? Number(v) - 1 : v])]) {
      await writeFile(path, JSON.stringify({ ...j, settingsKey: JSON.stringify(changed) }));
      expect(lines((await quiet(skip)).out)[0]!.status).toBe('done');
    }
  }, 120_000);

  it('--skip-done analyses again when the model in the same --models folder changed: a new version, or only its file', async () => {
    const md = join(dir, 'models');
    await mkdir(md);
    await writeTinyModels(md, 7, '1.0.0');
    const out = join(dir, 'out-models');
    const status = async () =>
      lines((await quiet(() => main(['analyze', a, '--no-cache', '--beats', 'atr', '--models', md, '--out', out, '--status', '--skip-done']))).out)[0]!.status;
    expect(await status()).toBe('done');
    expect(await status()).toBe('skipped');
    await writeTinyModels(md, 8, '1.0.1'); // a new version
    expect(await status()).toBe('done');
    expect(await status()).toBe('skipped');
    await writeTinyModels(md, 9, '1.0.1'); // other weights under the same id and version
    expect(await status()).toBe('done');
  }, 120_000);

  it('--skip-done: a record analysed through a link to its folder is the same record by its real path, not a collision', async () => {
    const link = join(dir, 'link-one');
    await symlink(join(dir, 'one'), link);
    const out = join(dir, 'out-link');
    expect((await quiet(() => main(['analyze', join(link, 'rec'), ...flags, '--out', out, '--status']))).value).toBe(0);
    const again = await quiet(() => main(['analyze', a, ...flags, '--out', out, '--status', '--skip-done']));
    expect(again.value).toBe(0);
    expect(lines(again.out)[0]!.status).toBe('skipped');
    expect(collisions([join(link, 'rec'), a], out, 'flat')).toEqual([]);
  }, 120_000);

  it('a record named <name>.error: its analysis is neither removed nor written over by the error file of <name>, and summarize reads both', async () => {
    const db = join(dir, 'dot');
    await mkdir(db);
    const r = join(db, 'r');
    await writeSynthRecord(r, { scenario: 'demo', minutes: 1, seed: 5 });
    // r.error: a copy of r under that name (a valid WFDB record name, which the writer does not make)
    const header = await readFile(`${r}.hea`, 'utf8');
    await writeFile(`${r}.error.hea`, header.replaceAll(/^r(?=[ .])/gm, 'r.error'));
    for (const x of ['dat', 'atr']) await writeFile(`${r}.error.${x}`, await readFile(`${r}.${x}`));
    const out = join(dir, 'out-dot');
    const analyze = (rec: string) => quiet(() => main(['analyze', rec, ...flags, '--out', out, '--status']));
    expect((await analyze(`${r}.error`)).value).toBe(0);
    const own = await readFile(join(out, 'r.error.json'), 'utf8');
    expect((await analyze(r)).value).toBe(0); // a success removes r's error file only
    expect(await readFile(join(out, 'r.error.json'), 'utf8')).toBe(own);
    await rename(`${r}.hea`, `${r}.hea.away`);
    expect((await analyze(r)).value).toBe(2); // a failure leaves no error file over it
    await rename(`${r}.hea.away`, `${r}.hea`);
    expect(await readFile(join(out, 'r.error.json'), 'utf8')).toBe(own);
    const { rows, skipped } = await readSummary(out);
    expect(rows.map((x) => [x.path, x.status, x.recordPath])).toEqual([
      ['r', 'done', r],
      ['r.error', 'done', `${r}.error`],
    ]);
    expect(skipped).toEqual([]);
  }, 120_000);

  it('another record where this one would go is bad input, and its files stay', async () => {
    const out = join(dir, 'out');
    const before = await readFile(join(out, 'one', 'rec.json'), 'utf8');
    const elsewhere = join(dir, 'x', 'one', 'rec');
    await mkdir(join(dir, 'x', 'one'), { recursive: true });
    await writeSynthRecord(elsewhere, { scenario: 'demo', minutes: 1, seed: 3 });
    const r = await quiet(() => main(['analyze', elsewhere, ...flags, '--out', out, '--layout', 'database', '--status']));
    expect(r.value).toBe(2);
    expect(lines(r.out)[0]).toMatchObject({ status: 'bad-input', code: 'COLLISION' });
    expect(await readFile(join(out, 'one', 'rec.json'), 'utf8')).toBe(before);
  }, 120_000);

  it("a user's own .json or .csv where the outputs would go (beside the record by default) is never written over", async () => {
    const own = join(dir, 'mine', 'rec');
    await mkdir(join(dir, 'mine'));
    await writeSynthRecord(own, { scenario: 'demo', minutes: 1, seed: 4 });
    await writeFile(`${own}.csv`, 'time,value\n0,1\n');
    let r = await quiet(() => main(['analyze', own, ...flags, '--status']));
    expect(r.value).toBe(2);
    expect(lines(r.out)[0]).toMatchObject({ status: 'bad-input', code: 'COLLISION' });
    expect(lines(r.out)[0]!.message).toContain(`${own}.csv is not an analysis`);
    expect(await readFile(`${own}.csv`, 'utf8')).toBe('time,value\n0,1\n');
    await rm(`${own}.csv`);
    await writeFile(`${own}.pvc`, 'annotations of another tool');
    r = await quiet(() => main(['analyze', own, ...flags, '--status']));
    expect(lines(r.out)[0]!.message).toContain(`${own}.pvc is not an analysis`);
    expect(await readFile(`${own}.pvc`, 'utf8')).toBe('annotations of another tool');
    await rm(`${own}.pvc`);
    await writeFile(`${own}.json`, '{"notes": "my own"}');
    r = await quiet(() => main(['analyze', own, ...flags, '--status']));
    expect(lines(r.out)[0]).toMatchObject({ status: 'bad-input', code: 'COLLISION' });
    expect(await readFile(`${own}.json`, 'utf8')).toBe('{"notes": "my own"}');
    // an analysis written before the JSON named its record file is analysed again, as before
    await writeFile(`${own}.json`, JSON.stringify({ record: 'rec', recordHash: 'x', pvcCount: 0, episodes: [] }));
    expect((await quiet(() => main(['analyze', own, ...flags, '--status']))).value).toBe(0);
    // an earlier analysis of the record there is written over, as before
    await rm(`${own}.json`);
    expect((await quiet(() => main(['analyze', own, ...flags, '--status']))).value).toBe(0);
    expect((await quiet(() => main(['analyze', own, ...flags, '--status']))).value).toBe(0);
  }, 120_000);

  it('outputs that cannot be written are worth a retry (exit 75); the retry analyses the record', async () => {
    const out = join(dir, 'out3');
    // a full disk: the write fails, the analysis was fine
    writeFailure.code = 'ENOSPC';
    const r = await quiet(() => main(['analyze', a, ...flags, '--out', out, '--layout', 'database', '--status'])).finally(() => (writeFailure.code = null));
    expect(r.value).toBe(EXIT.retry);
    expect(lines(r.out)[0]).toMatchObject({ status: 'retry', code: 'ENOSPC' });
    const again = await quiet(() => main(['analyze', a, ...flags, '--out', out, '--layout', 'database', '--status', '--skip-done']));
    expect(again.value).toBe(0);
    expect(lines(again.out)[0]!.status).toBe('done');
    expect(existsSync(join(out, 'one', 'rec.error.json'))).toBe(false);
  }, 120_000);

  it("a file where the outputs' folder should be is bad input (no retry moves it); the record is analysed once it is gone", async () => {
    const out = join(dir, 'out3b');
    await mkdir(out);
    await writeFile(join(out, 'one'), 'not a folder');
    const r = await quiet(() => main(['analyze', a, ...flags, '--out', out, '--layout', 'database', '--status']));
    expect(r.value).toBe(2);
    expect(lines(r.out)[0]).toMatchObject({ status: 'bad-input', code: 'EEXIST' });
    await rm(join(out, 'one'));
    const again = await quiet(() => main(['analyze', a, ...flags, '--out', out, '--layout', 'database', '--status', '--skip-done']));
    expect(again.value).toBe(0);
    expect(lines(again.out)[0]!.status).toBe('done');
  }, 120_000);

  it('a missing record is bad input with an error file; a broken header likewise; neither stops the others', async () => {
    const out = join(dir, 'out2');
    await mkdir(join(dir, 'bad'));
    await writeFile(join(dir, 'bad', 'rec.hea'), 'rec 1 abc\n');
    const r = await quiet(() =>
      main(['analyze', join(dir, 'gone', 'rec'), join(dir, 'bad', 'rec'), a, ...flags, '--out', out, '--layout', 'database', '--status'])
    );
    expect(r.value).toBe(2);
    expect(lines(r.out).map((s) => s.status)).toEqual(['bad-input', 'bad-input', 'done']);
    const err = StatusLine.parse(JSON.parse(await readFile(join(out, 'gone', 'rec.error.json'), 'utf8')));
    expect(err.code).toBe('NOT_FOUND');
  }, 120_000);

  it('with no analysis written (each record missing, or already done) the summary says so: no empty table, nothing said written', async () => {
    const gone = await quiet(() => main(['analyze', join(dir, 'gone', 'rec'), join(dir, 'gone', 'rec2'), ...flags, '--out', join(dir, 'out3')]));
    expect(gone.value).toBe(2);
    expect(gone.out.trim()).toBe('no analysis written: 2 failed');
    const out = join(dir, 'out4');
    expect((await quiet(() => main(['analyze', a, ...flags, '--out', out]))).out).toMatch(/written: /);
    const done = await quiet(() => main(['analyze', a, ...flags, '--out', out, '--skip-done']));
    expect(done.value).toBe(0);
    expect(done.out.trim()).toBe('no analysis written: 1 already done (--skip-done)');
  }, 120_000);
});

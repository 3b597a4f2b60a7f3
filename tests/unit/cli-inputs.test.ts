// A person's mistakes on the command line are bad input (exit 2, one line naming the argument or
// file), never an analysis of something else nor an internal error with a stack.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/index';
import { leadsList } from '../../src/cli/args';
import { writeSynthRecord } from '../../src/main/synth';
import { quiet } from '../helpers/cli-output';
import { beatModelBytes, beatNet, writeTinyModels } from './inference-tiny-model';

describe('command-line inputs', () => {
  let dir: string;
  let rec: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hbs-cli-inputs-'));
    rec = join(dir, 'db', 'r');
    await mkdir(join(dir, 'db'));
    await writeSynthRecord(rec, { scenario: 'demo', minutes: 0.5, seed: 1 });
  }, 60_000);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('--leads: no empty part (read as 0), no lead twice, at most two for analyze', async () => {
    expect(leadsList('0')).toEqual([0]);
    expect(leadsList(' 1 , 0 ', 2)).toEqual([1, 0]);
    for (const bad of ['0,', ',1', '0,,1', '', '0,0', '0,1,0', '-1', '1.5', 'x']) expect(() => leadsList(bad), bad).toThrow(/--leads takes/);
    expect(() => leadsList('0,1,2', 2)).toThrow(/one or two/);
    expect(leadsList('0,1,2')).toEqual([0, 1, 2]);
    for (const leads of ['0,', '0,0', '0,1,0']) {
      const a = await quiet(() => main(['analyze', rec, '--rules', '--no-cache', '--leads', leads, '--out', join(dir, 'a')]));
      expect(a.value, leads).toBe(2);
      expect(a.err).toMatch(new RegExp(`--leads takes .*"${leads}"`));
      const d = await quiet(() => main(['detect', rec, '--leads', leads, '--out', join(dir, 'd')]));
      expect(d.value, leads).toBe(2);
      expect(d.err).toMatch(/--leads takes/);
    }
    expect(existsSync(join(dir, 'a', 'r.json'))).toBe(false);
    expect(existsSync(join(dir, 'd', 'r.qrs'))).toBe(false);
  }, 60_000);

  it('--models: a folder that is not there, or whose listed model cannot be used, is bad input, not a quiet fall back on the rules', async () => {
    const analyze = (...extra: string[]) => quiet(() => main(['analyze', rec, '--no-cache', '--beats', 'atr', '--out', join(dir, 'm'), ...extra]));
    const gone = await analyze('--models', join(dir, 'no-models'));
    expect(gone.value).toBe(2);
    expect(gone.err).toMatch(/--models .*no-models: .*manifest\.json: cannot read the model manifest/);
    const md = join(dir, 'models');
    await mkdir(md);
    await writeTinyModels(md);
    expect((await analyze('--models', md)).value).toBe(0);
    // a replaced file (its hash no longer the manifest's), then bytes with the manifest's hash that ONNX Runtime cannot load
    const manifest = JSON.parse(await readFile(join(md, 'manifest.json'), 'utf8')) as { models: { sha256: string }[] };
    await writeFile(join(md, 'beat.onnx'), 'not a model');
    const replaced = await analyze('--models', md);
    expect(replaced.value).toBe(2);
    expect(replaced.err).toMatch(/beat\.onnx: sha256 does not match/);
    manifest.models[0]!.sha256 = createHash('sha256').update('not a model').digest('hex');
    await writeFile(join(md, 'manifest.json'), JSON.stringify(manifest));
    const broken = await analyze('--models', md);
    expect(broken.value).toBe(2);
    expect(broken.err).toMatch(/beat\.onnx: onnxruntime cannot load the model/);
    expect(existsSync(join(dir, 'm', 'r.json'))).toBe(true); // the first, good run's only
    // a model that loads and matches its manifest but takes 250-sample windows, not the 216 the beats are cut to
    await writeTinyModels(md);
    const wide = beatModelBytes(beatNet(7, 2, 250));
    await writeFile(join(md, 'beat.onnx'), wide);
    const other = JSON.parse(await readFile(join(md, 'manifest.json'), 'utf8')) as { models: { sha256: string; inputs: { shape: unknown[] }[] }[] };
    other.models[0]!.sha256 = createHash('sha256').update(wide).digest('hex');
    other.models[0]!.inputs[0]!.shape = ['N', 2, 250];
    await writeFile(join(md, 'manifest.json'), JSON.stringify(other));
    const misfit = await analyze('--models', md);
    expect(misfit.value).toBe(2);
    expect(misfit.err).toMatch(/beat\.onnx: input "window" is \[N, 2, 250\], the preprocessing makes \[N, 2, 216\]/);
    // a folder listing the beat model alone (a training fold's): the rhythm is the rules', as before
    await writeTinyModels(md);
    const only = JSON.parse(await readFile(join(md, 'manifest.json'), 'utf8')) as { models: { task: string }[] };
    await writeFile(join(md, 'manifest.json'), JSON.stringify({ models: only.models.filter((m) => m.task === 'beat') }));
    expect((await analyze('--models', md)).value).toBe(0);
    const reg = await analyze('--registry', join(dir, 'no-registry'));
    expect(reg.value).toBe(2);
    expect(reg.err).toMatch(/--registry .*no-registry: no manifest\.json/);
  }, 60_000);

  it('detect --out: two records of one name from two folders are refused, not the second written over the first', async () => {
    const other = join(dir, 'db2', 'r');
    await mkdir(join(dir, 'db2'));
    await writeSynthRecord(other, { scenario: 'demo', minutes: 0.5, seed: 2 });
    const r = await quiet(() => main(['detect', rec, other, '--out', join(dir, 'det')]));
    expect(r.value).toBe(2);
    expect(r.err).toContain(`${rec} and ${other} would write the same file in ${join(dir, 'det')}`);
    expect(existsSync(join(dir, 'det'))).toBe(false);
    // the same record twice is no clash
    expect((await quiet(() => main(['detect', rec, `${rec}.hea`, '--out', join(dir, 'det')]))).value).toBe(0);
  }, 60_000);

  it('a file named as the --out folder, or in its way, is bad input in one line, not an internal error', async () => {
    const file = join(dir, 'afile');
    await writeFile(file, '');
    for (const [args, problem] of [
      [['analyze', rec, '--rules', '--no-cache', '--out', file], `--out ${file}: a file, not a folder`],
      [['detect', rec, '--out', file], `--out ${file}: a file, not a folder`],
      [['analyze', rec, '--rules', '--no-cache', '--out', join(file, 'x')], `--out ${join(file, 'x')}: a file stands where one of its folders should be`],
      [['synth', '--minutes', '0.1', '--out', join(file, 'x')], `--out ${join(file, 'x')}: a file stands where one of its folders should be`],
    ] as const) {
      const r = await quiet(() => main([...args]));
      expect(r.value, args.join(' ')).toBe(2);
      expect(r.err.trim()).toBe(`heartbeat-sensei ${args[0]}: ${problem}`);
    }
  });

  it('synth refuses a length it cannot hold in memory (minutes x rate), up front', async () => {
    const r = await quiet(() => main(['synth', '--minutes', '10080', '--fs', '10000', '--out', join(dir, 'big', 'x')]));
    expect(r.value).toBe(2);
    expect(r.err).toMatch(/--minutes 10080 at --fs 10000 is 6048000000 samples per lead, more than synth makes \(268435456/);
    expect(existsSync(join(dir, 'big'))).toBe(false);
  });

  it('analyze --json: an array when several records are named, also when all but one failed', async () => {
    const two = await quiet(() => main(['analyze', rec, join(dir, 'gone', 'r2'), '--rules', '--no-cache', '--out', join(dir, 'j'), '--json']));
    expect(two.value).toBe(2);
    const json = JSON.parse(two.out) as { record: string }[];
    expect(Array.isArray(json)).toBe(true);
    expect(json.map((j) => j.record)).toEqual(['r']);
    const one = await quiet(() => main(['analyze', rec, '--rules', '--no-cache', '--out', join(dir, 'j'), '--json']));
    expect((JSON.parse(one.out) as { record: string }).record).toBe('r');
  }, 60_000);

  it('option errors name the option as typed in its forms, without stray punctuation', async () => {
    for (const [args, said] of [
      [['ann', rec, '-a'], 'option -a/--annotator needs a value'],
      [['ann', rec, '--annotator'], 'option -a/--annotator needs a value'],
      [['analyze', rec, '--out'], 'option --out needs a value'],
      [['analyze', rec, '--rules=yes'], 'option --rules takes no value'],
      [['analyze', rec, '--nope'], 'unknown option --nope'],
    ] as const) {
      const r = await quiet(() => main([...args]));
      expect(r.value, args.join(' ')).toBe(2);
      expect(r.err.trim()).toBe(`heartbeat-sensei ${args[0]}: ${said}`);
    }
  });
});

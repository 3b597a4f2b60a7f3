// A person's mistakes on the command line are bad input (exit 2, one line naming the argument or
// file), never an analysis of something else nor an internal error with a stack.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/index';
import { leadsList } from '../../src/cli/args';
import { writeSynthRecord } from '../../src/main/synth';
import { quiet } from '../helpers/cli-output';

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
});

import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/index';
import { readAnnotationFile, readAnnotations } from '../../src/main/wfdb';
import { codeOf } from '../../src/main/wfdb/codes';
import { compareBeats } from '../../src/main/evaluation';
import { dataPath, needData } from '../helpers/data';

const hasMitdb = needData('mitdb');

describe.skipIf(!hasMitdb)('heartbeat-sensei detect', () => {
  let dir = '';
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('writes <record>.qrs into --out with one N per beat, scoring Se/+P >= 99.5 % on record 100', async () => {
    dir = await mkdtemp(join(tmpdir(), 'hs-detect-'));
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const rc = await main(['detect', dataPath('mitdb', '100'), '--out', dir]);
    log.mockRestore();
    expect(rc).toBe(0);
    expect(await readdir(dir)).toEqual(['100.qrs']);
    const test = await readAnnotationFile(join(dir, '100.qrs'));
    expect(test.every((a) => a.code === codeOf('N'))).toBe(true);
    const q = compareBeats(await readAnnotations(dataPath('mitdb', '100'), 'atr'), test, { fs: 360 }).stats.qrs;
    expect(q.se).toBeGreaterThanOrEqual(0.995);
    expect(q.ppv).toBeGreaterThanOrEqual(0.995);
  });

  it('refuses to write the atr annotator without --force', async () => {
    const err = vi.spyOn(console, 'error').mockImplementation(() => {});
    const rc = await main(['detect', dataPath('mitdb', '100'), '-o', 'atr', '--out', dir || tmpdir()]);
    err.mockRestore();
    expect(rc).toBe(2);
  });

  it("never writes over a record's header or signal files, whatever -o names", async () => {
    const { writeSynthRecord } = await import('../../src/main/synth');
    const rec = join(dir || (dir = await mkdtemp(join(tmpdir(), 'hs-detect-'))), 'own', 'r');
    await writeSynthRecord(rec, { scenario: 'normal', minutes: 0.2, seed: 1 });
    const before = await Promise.all(['hea', 'dat'].map((x) => readFile(`${rec}.${x}`)));
    const err = vi.spyOn(console, 'error').mockImplementation(() => {});
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      for (const o of ['dat', 'hea', 'DAT']) expect(await main(['detect', rec, '-o', o])).toBe(2);
      expect(err.mock.calls.flat().join('\n')).toMatch(/r\.dat: a record's header or signal file; detect never writes over one/);
    } finally {
      err.mockRestore();
      log.mockRestore();
    }
    const after = await Promise.all(['hea', 'dat'].map((x) => readFile(`${rec}.${x}`)));
    expect(after.map((b, i) => b.equals(before[i]!))).toEqual([true, true]);
  });
});

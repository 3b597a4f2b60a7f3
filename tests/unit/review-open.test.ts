// Opening what the path field names: a recording that ends before its header says (battery,
// cable) opens with what it holds and a warning saying how much is missing (the strict reader
// still refuses it); a folder lists its records.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, stat, truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeSynthRecord } from '../../src/main/synth';
import { openRecord } from '../../src/main/wfdb';
import { openAvailable, spoken, truncationWarning } from '../../src/main/review/available';
import { main } from '../../src/cli/index';
import { analyzeRecord } from '../../src/main/analysis/pipeline';
import { quiet } from '../helpers/cli-output';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hb-trunc-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('truncated recordings', () => {
  it('open over the frames present, with a warning naming what is missing', async () => {
    const rec = join(dir, 'cut');
    await writeSynthRecord(rec, { scenario: 'normal', minutes: 2, seed: 3, fs: 250, format: 212 });
    const full = await openRecord(rec);
    const nFrames = full.nFrames;
    await full.close();
    const dat = `${rec}.dat`;
    const bytes = (await stat(dat)).size;
    await truncate(dat, Math.floor(bytes * 0.75)); // a quarter lost
    await expect(openRecord(rec)).rejects.toMatchObject({ code: 'TRUNCATED' });
    const r = await openAvailable(rec);
    try {
      expect(r.nFrames).toBeGreaterThan(nFrames * 0.74);
      expect(r.nFrames).toBeLessThan(nFrames * 0.76);
      expect(r.header.nFrames).toBe(r.nFrames);
      expect(r.warnings[0]).toMatch(
        /^Truncated recording: cut\.dat holds 1 min 30 s of the 2 min 00 s its header gives; the last 30 s \(25\.0 %\) are missing\./
      );
      const last = await r.readPhysical(r.nFrames - 10, r.nFrames);
      expect(last[0]!.length).toBe(10);
    } finally {
      await r.close();
    }
  });

  it('analyze says so: the warning on stderr and in the JSON, the analysis over what is there', async () => {
    const rec = join(dir, 'cut2');
    await writeSynthRecord(rec, { scenario: 'normal', minutes: 2, seed: 5, fs: 250, format: 212 });
    await truncate(`${rec}.dat`, Math.floor((await stat(`${rec}.dat`)).size / 2));
    const out = join(dir, 'out');
    const r = await quiet(() => main(['analyze', rec, '--rules', '--no-cache', '--out', out]));
    expect(r.value).toBe(0);
    expect(r.err).toMatch(/warning: Truncated recording: cut2\.dat holds 1 min 00 s of the 2 min 00 s/);
    const j = JSON.parse(await readFile(join(out, 'cut2.json'), 'utf8')) as { durationSec: number; recordWarnings?: string[] };
    expect(j.durationSec).toBeCloseTo(60, 0);
    expect(j.recordWarnings?.[0]).toMatch(/^Truncated recording: cut2\.dat/);
    // and from the analysis cache alike
    const cache = join(dir, 'cache');
    for (let run = 0; run < 2; run++) {
      const a = await analyzeRecord(rec, { cacheDir: cache, useRules: true });
      expect(a.fromCache ?? false).toBe(run === 1);
      expect(a.recordWarnings?.[0]).toMatch(/^Truncated recording: cut2\.dat/);
    }
  }, 60_000);

  it('other errors stay errors', async () => {
    await expect(openAvailable(join(dir, 'absent'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('words', () => {
    expect(spoken(3 * 3600 + 5 * 60 + 9)).toBe('3 h 05 min');
    expect(spoken(65)).toBe('1 min 05 s');
    expect(spoken(9.6)).toBe('10 s');
    expect(truncationWarning('x.dat', 100, 400, 1)).toBe(
      'Truncated recording: x.dat holds 1 min 40 s of the 6 min 40 s its header gives; the last 5 min 00 s (75.0 %) are missing. Showing what was recorded.'
    );
  });
});

describe('records of a folder', () => {
  it('lists the headers in natural order; a record path is not a folder', async () => {
    const { listRecords } = await import('../../src/main/review/list');
    const { writeFile, mkdir } = await import('node:fs/promises');
    const d = join(dir, 'folder');
    await mkdir(d);
    for (const f of ['1000.hea', '100.hea', '100.dat', 'a10.hea', 'a2.hea', 'notes.txt']) await writeFile(join(d, f), '');
    expect(await listRecords(d)).toEqual({ dir: d, folder: true, records: ['100', '1000', 'a2', 'a10'] });
    expect(await listRecords(join(d, '100'))).toMatchObject({ folder: false, records: [] });
  });
});

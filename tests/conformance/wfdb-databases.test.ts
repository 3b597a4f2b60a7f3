// Every record of vfdb, cudb and cinc2017 reads whole without error and its checksums verify;
// every annotation file in the shared data survives write-then-read field for field, and the
// bytes written are the bytes WFDB wrote.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openRecord, readAnnotationFile, writeAnnotations, encodeAnnotations } from '../../src/main/wfdb';
import { dataPath, needData } from '../helpers/data';
import { firstDiff } from '../helpers/wfdb-reference';

async function recordsOf(db: string): Promise<string[]> {
  return (await readdir(dataPath(db)))
    .filter((f) => f.endsWith('.hea'))
    .map((f) => f.slice(0, -4))
    .sort();
}

describe.each([
  ['vfdb', 22, 'ok'],
  ['cudb', 35, 'ok'],
  // the CinC 2017 headers carry 0 in every checksum field (their converter did not compute them),
  // so there is nothing to verify; the files' lengths still have to match the headers exactly
  ['cinc2017', 2950, 'absent'],
] as const)('%s', (db, count, status) => {
  const have = needData(db);
  it.runIf(have)(`all ${count} records read whole, checksums ${status}`, async () => {
    const names = await recordsOf(db);
    expect(names.length).toBe(count);
    const problems: string[] = [];
    for (const name of names) {
      const rec = await openRecord(dataPath(db, name));
      const raw = await rec.readRaw(0, rec.nFrames);
      if (rec.nFrames === 0) problems.push(`${name}: no frames`);
      raw.forEach((a, i) => {
        const s = rec.header.signals[i]!;
        if (a.length !== rec.nFrames * s.samplesPerFrame) problems.push(`${name}: short read`);
      });
      for (const c of await rec.verifyChecksums())
        if (c.status !== status) problems.push(`${name}: signal ${c.signal} checksum ${c.status} (${c.actual} vs ${c.expected})`);
      problems.push(...rec.warnings);
      await rec.close();
    }
    expect(problems).toEqual([]);
  });
});

describe.runIf(needData('reference/bxb'))('annotation files round-trip', () => {
  let tmp: string;
  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'wfdb-rt-'));
  });
  afterAll(async () => {
    await rm(tmp, { recursive: true });
  });

  const sets: [string, RegExp][] = [
    ['mitdb', /\.atr$/],
    ['cudb', /\.atr$/],
    ['vfdb', /\.atr$/],
    ['wfdb-formats', /\.atr$/],
    ['reference/bxb', /\.(qrs|pert)$/],
  ];
  it.each(sets)('every annotation file of %s', async (dir, re) => {
    const files = (await readdir(dataPath(dir))).filter((f) => re.test(f)).sort();
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      const path = dataPath(dir, f);
      const anns = await readAnnotationFile(path);
      expect(anns.length, f).toBeGreaterThan(0);
      const out = join(tmp, f.replace(/\//g, '_'));
      await writeAnnotations(out, anns);
      expect(await readAnnotationFile(out), f).toEqual(anns);
      // same encoding choices as WFDB's putann: the very same bytes
      const orig = await readFile(path);
      expect(firstDiff(encodeAnnotations(anns, out), orig), f).toBe(-1);
    }
  });
});

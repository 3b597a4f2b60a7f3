import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeRecord, readCache, writeCache } from '../../src/main/analysis';
import { cacheBudgetBytes, pruneCache } from '../../src/main/analysis/cache';
import { writeSynthRecord } from '../../src/main/synth';
import type { Analysis } from '../../src/shared/analysis';

let dir: string;
let analysis: Analysis;
const key = (c: string) => c.repeat(64);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hbs-cache-budget-'));
  const record = join(dir, 'demo1');
  await writeSynthRecord(record, { scenario: 'demo', minutes: 1, seed: 5 });
  analysis = await analyzeRecord(record, { useRules: true, cacheDir: null, beats: 'reference' });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A folder of entries of 100 bytes each, used at the given times (seconds), and a file that is not an entry. */
function folder(name: string, used: Record<string, number>): string {
  const d = join(dir, name);
  mkdirSync(d);
  for (const [c, t] of Object.entries(used)) {
    writeFileSync(join(d, `${key(c)}.hbsa`), new Uint8Array(100));
    utimesSync(join(d, `${key(c)}.hbsa`), t, t);
  }
  writeFileSync(join(d, 'notes.txt'), new Uint8Array(1000));
  return d;
}
const left = (d: string) => readdirSync(d).sort();

describe('the analysis cache keeps to its size budget', () => {
  it('removes the entries used longest ago, never a file that is not an entry', async () => {
    const d = folder('lru', { a: 1000, b: 3000, c: 2000, d: 4000 });
    expect(await pruneCache(d, 250)).toEqual([`${key('a')}.hbsa`, `${key('c')}.hbsa`]);
    expect(left(d)).toEqual([`${key('b')}.hbsa`, `${key('d')}.hbsa`, 'notes.txt']);
    expect(await pruneCache(d, 250)).toEqual([]); // within the budget: nothing more
  });

  it('keeps the entry just written even when it is the oldest or alone over the budget', async () => {
    const d = folder('keep', { a: 1000, b: 2000 });
    await pruneCache(d, 50, key('a'));
    expect(left(d)).toEqual([`${key('a')}.hbsa`, 'notes.txt']);
  });

  it('a read marks an entry used, so a write evicts an older one instead', async () => {
    const d = join(dir, 'real');
    await writeCache(d, key('1'), analysis, Infinity);
    await writeCache(d, key('2'), analysis, Infinity);
    const size = statSync(join(d, `${key('1')}.hbsa`)).size;
    utimesSync(join(d, `${key('1')}.hbsa`), 1000, 1000);
    utimesSync(join(d, `${key('2')}.hbsa`), 2000, 2000);
    expect(await readCache(d, key('1'))).not.toBeNull(); // 1 is now the most recently used
    await writeCache(d, key('3'), analysis, 2.5 * size);
    expect(left(d)).toEqual([`${key('1')}.hbsa`, `${key('3')}.hbsa`]);
  });
});

describe('the cache budget from the environment', () => {
  const was = process.env.HEARTBEAT_CACHE_MAX_MB;
  afterAll(() => {
    if (was === undefined) delete process.env.HEARTBEAT_CACHE_MAX_MB;
    else process.env.HEARTBEAT_CACHE_MAX_MB = was;
  });
  it('is the default when unset, empty or not a number; 0 only when asked for', () => {
    const mb = (v: string | undefined) => {
      if (v === undefined) delete process.env.HEARTBEAT_CACHE_MAX_MB;
      else process.env.HEARTBEAT_CACHE_MAX_MB = v;
      return cacheBudgetBytes() / 1024 / 1024;
    };
    expect([mb(undefined), mb(''), mb('  '), mb('lots'), mb('-1'), mb('0'), mb('512')]).toEqual([2048, 2048, 2048, 2048, 2048, 0, 512]);
  });
});

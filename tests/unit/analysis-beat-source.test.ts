// 'auto' beat positions: the reference .atr when it holds beats, the detector when it holds
// only rhythm annotations (as vfdb's do), and 'reference' asked explicitly stays reference.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeSynthRecord } from '../../src/main/synth';
import { codeOf, openRecord, readAnnotations, writeAnnotations } from '../../src/main/wfdb';
import { beatPositions } from '../../src/main/analysis/record';

let dir = '';
let rec = '';
let signals: Float32Array[] = [];
let fs = 0;
let nFrames = 0;
let nRefBeats = 0;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hb-src-'));
  rec = join(dir, 'r');
  await writeSynthRecord(rec, { scenario: 'normal', minutes: 1, seed: 7 });
  const r = await openRecord(rec);
  fs = r.fs;
  nFrames = r.nFrames;
  signals = await r.readPhysical(0, nFrames);
  await r.close();
  nRefBeats = (await readAnnotations(rec, 'atr')).filter((a) => a.code === codeOf('N')).length;
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('beat positions for analysis', () => {
  it('auto uses the reference beats when the .atr has them', async () => {
    const b = await beatPositions(rec, 'auto', signals, fs, nFrames);
    expect(b.source).toBe('reference');
    expect(b.sample.length).toBe(nRefBeats);
  });

  it('auto falls back to the detector when the .atr holds only rhythm annotations', async () => {
    const rhythm = codeOf('+')!;
    await writeAnnotations(join(dir, 'r.atr'), [{ sample: 0, code: rhythm, subtype: 0, chan: 0, num: 0, aux: '(N' }]);
    const auto = await beatPositions(rec, 'auto', signals, fs, nFrames);
    expect(auto.source).toBe('detector');
    expect(Math.abs(auto.sample.length - nRefBeats)).toBeLessThanOrEqual(2);
    const ref = await beatPositions(rec, 'reference', signals, fs, nFrames);
    expect(ref.source).toBe('reference');
    expect(ref.sample.length).toBe(0);
  });
});

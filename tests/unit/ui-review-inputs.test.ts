// Inputs the reviewer types or points at: a record's path given as any of its files, a beat
// added too close to another, and a threshold with nothing to be scored against.
import { describe, expect, it } from 'vitest';
import { recordPathOf } from '../../src/renderer/src/lib/record-path';
import { checkAddBeat, MIN_RR_MS } from '../../src/renderer/src/lib/add-beat';
import { nothingToScore } from '../../src/renderer/src/lib/metrics';

describe('record paths', () => {
  it('opens the record of any of its files', () => {
    expect(recordPathOf(' /data/mitdb/233.dat ')).toEqual({ path: '/data/mitdb/233', note: 'Opening record 233 (the record of 233.dat).' });
    expect(recordPathOf('/data/mitdb/233.atr')).toMatchObject({ path: '/data/mitdb/233' });
    expect(recordPathOf('/data/mitdb/233.HEA')).toMatchObject({ path: '/data/mitdb/233' });
    expect(recordPathOf('C:\\data\\cinc\\A00003.mat')).toMatchObject({ path: 'C:\\data\\cinc\\A00003' });
    expect(recordPathOf('/data/mitdb/233')).toEqual({ path: '/data/mitdb/233', note: null });
    expect(recordPathOf('/data/.dat')).toEqual({ path: '/data/.dat', note: null });
  });
  it('an empty or relative path says what to type', () => {
    expect(recordPathOf('  ')).toEqual({ error: expect.stringMatching(/^Type the path of a record/) });
    expect(recordPathOf('mitdb/233.dat')).toEqual({ error: expect.stringMatching(/^Type the full path/) });
  });
});

describe('adding a beat', () => {
  const fs = 360;
  it('refuses a point on a beat, and holds one that makes an RR shorter than a QRS and its T wave', () => {
    expect(checkAddBeat(1000, 990, 1300, fs)).toMatchObject({ ok: false, kind: 'same' });
    // 230 ms after a PVC: the T wave
    const t = checkAddBeat(1000 + Math.round(0.23 * fs), 1000, 1500, fs);
    expect(t).toMatchObject({ ok: false, kind: 'short' });
    expect(!t.ok && t.message).toMatch(/^That point is 231 ms after the previous beat \(260 bpm, faster than 200 bpm\).*Press A again/);
    expect(checkAddBeat(1400, 1000, 1500, fs)).toMatchObject({ ok: false, kind: 'short', message: expect.stringMatching(/before the next beat/) });
    expect(checkAddBeat(1000 + Math.round((MIN_RR_MS / 1000) * fs), 1000, 2000, fs)).toEqual({ ok: true });
    expect(checkAddBeat(500, null, null, fs)).toEqual({ ok: true });
  });
});

describe('threshold scoring basis', () => {
  it('says when there is nothing to score against', () => {
    expect(nothingToScore('reference', null, 3)).toMatch(/no reference annotations/);
    expect(nothingToScore('reference', { aami: Int8Array.from([-1, -1]) }, 3)).toMatch(/no beat labels/);
    expect(nothingToScore('reference', { aami: Int8Array.from([-1, 0]) }, 0)).toBeNull();
    expect(nothingToScore('reviewed', null, 0)).toMatch(/no reviewed beats/);
    expect(nothingToScore('reviewed', null, 2)).toBeNull();
  });
});

describe('reference of a recording cut short', () => {
  it('keeps the annotations within the frames present (they are sorted by sample)', async () => {
    const { clipAnnotations } = await import('../../src/renderer/src/lib/episodes');
    const set = {
      annotator: 'atr',
      sample: Int32Array.from([10, 20, 30]),
      code: Uint8Array.from([1, 1, 1]),
      aami: Int8Array.from([0, 0, 0]),
      symbol: ['N', 'N', 'N'],
      aux: ['', '', ''],
    };
    const c = clipAnnotations(set, 25);
    expect(Array.from(c.sample)).toEqual([10, 20]);
    expect(c.symbol).toEqual(['N', 'N']);
    expect(clipAnnotations(set, 100)).toBe(set);
  });
});

import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allocSignals, frameSpans, openRecord, readPhysicalInto, writeRecord, INVALID } from '../../src/main/wfdb';
import { dataPath, needData } from '../helpers/data';

const bits = (x: Float32Array) => Array.from(new Uint32Array(x.buffer, x.byteOffset, x.length));
const dir = mkdtempSync(join(tmpdir(), 'hbs-read-into-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readPhysicalInto: a record read part by part into arrays the caller holds', () => {
  it('equals readPhysical bit for bit (parts of any size, in any order, shared memory; invalid samples NaN)', async () => {
    const n = 5000;
    const a = Int16Array.from({ length: n }, (_, i) => (i % 977 === 5 ? INVALID : Math.round(300 * Math.sin(i / 9))));
    const b = Int16Array.from({ length: n }, (_, i) => ((i * 37) % 2001) - 1000);
    const c = Int16Array.from({ length: n }, (_, i) => i % 7);
    const record = join(dir, 'r');
    const spec = (adcGain: number, baseline: number, description: string) => ({
      format: 16 as const,
      adcGain,
      baseline,
      units: 'mV',
      adcResolution: 16,
      adcZero: 0,
      description,
    });
    await writeRecord(dir, 'r', { fs: 250, signals: [a, b, c], specs: [spec(200, 3, 'a'), spec(137.5, -12, 'b'), spec(100, 0, 'c')] });
    const rec = await openRecord(record);
    try {
      const want = await rec.readPhysical(0, rec.nFrames);
      for (const frames of [1 << 20, 777, 1]) {
        const which = [2, 0];
        const out = allocSignals(rec, which, frames === 777);
        if (frames === 777) expect(out[0]!.buffer).toBeInstanceOf(SharedArrayBuffer);
        const spans = frameSpans(rec.nFrames, frames);
        for (const s of frames === 1 ? spans.slice(0, 50).reverse() : [...spans].reverse()) await readPhysicalInto(rec, which, out, s);
        const upTo = frames === 1 ? 50 : n;
        expect(bits(out[0]!.subarray(0, upTo))).toEqual(bits(want[2]!.subarray(0, upTo)));
        expect(bits(out[1]!.subarray(0, upTo))).toEqual(bits(want[0]!.subarray(0, upTo)));
      }
      expect(Number.isNaN(want[0]![5])).toBe(true);
    } finally {
      await rec.close();
    }
  });

  it.runIf(needData('mitdb/100.hea'))('equals readPhysical on mitdb 100 in 2^18-frame parts (the look-up table and the division agree)', async () => {
    const rec = await openRecord(dataPath('mitdb', '100'));
    try {
      const want = await rec.readPhysical(0, rec.nFrames);
      const out = allocSignals(rec, [0, 1], false);
      for (const s of frameSpans(rec.nFrames, 1 << 18)) await readPhysicalInto(rec, [0, 1], out, s); // last part under 2^18: divided
      expect(bits(out[0]!)).toEqual(bits(want[0]!));
      expect(bits(out[1]!)).toEqual(bits(want[1]!));
    } finally {
      await rec.close();
    }
  });

  it('cuts [0, n) into spans and refuses an empty span length', () => {
    expect(frameSpans(10, 4)).toEqual([
      { from: 0, to: 4 },
      { from: 4, to: 8 },
      { from: 8, to: 10 },
    ]);
    expect(frameSpans(0, 4)).toEqual([]);
    expect(() => frameSpans(10, 0)).toThrow(/at least one frame/);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allocStoredLeads, openRecord, readHeader, readStoredInto, writeRecord, INVALID } from '../../src/main/wfdb';

let dir: string;
const seq = (n: number, start: number, step = 1) => Int16Array.from({ length: n }, (_, i) => start + i * step);
const spec = (description: string, adcGain = 200, baseline = 0) => ({
  format: 212 as const,
  adcGain,
  baseline,
  units: 'mV',
  adcResolution: 12,
  adcZero: 0,
  description,
});

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wfdb-ms-'));
  // fixed layout: two segments with the same two signals, a null segment between them
  await writeRecord(dir, 'fa', { fs: 100, signals: [seq(30, 0), seq(30, 1000)], specs: [spec('I'), spec('II')] });
  await writeRecord(dir, 'fb', { fs: 100, signals: [seq(20, 100), seq(20, 1100)], specs: [spec('I'), spec('II')] });
  await writeFile(join(dir, 'fixed.hea'), 'fixed/3 2 100 60\r\nfa 30\r\n~ 10\r\nfb 20\r\n# fixed layout\r\n');
  // variable layout: a layout header (length 0) naming II and V; segments carry subsets, in other orders, other gains
  await writeFile(join(dir, 'lay.hea'), 'lay 2 100 0\nlay.dat 212 200/mV 12 0 0 0 0 II\nlay.dat 212 100/mV 12 0 0 0 0 V\n');
  await writeRecord(dir, 'va', { fs: 100, signals: [seq(10, -5), seq(10, 500)], specs: [spec('V', 200, 10), spec('II')] });
  await writeRecord(dir, 'vb', { fs: 100, signals: [seq(5, 7, 2)], specs: [spec('II')] });
  await writeFile(join(dir, 'var.hea'), 'var/3 2 100 15\nlay 0\nva 10\nvb 5\n');
});
afterAll(async () => {
  await rm(dir, { recursive: true });
});

describe('multi-segment records', () => {
  it('concatenates a fixed layout with null segments as invalid samples', async () => {
    const h = await readHeader(join(dir, 'fixed'));
    expect(h.segments).toEqual([
      { name: 'fa', nFrames: 30 },
      { name: '~', nFrames: 10 },
      { name: 'fb', nFrames: 20 },
    ]);
    expect(h.signals.map((s) => s.description)).toEqual(['I', 'II']);
    expect((await readHeader(join(dir, 'var'))).signals.map((s) => s.description)).toEqual(['II', 'V']);
    const rec = await openRecord(join(dir, 'fixed.hea'));
    expect(rec.nFrames).toBe(60);
    expect(rec.header.signals.map((s) => s.description)).toEqual(['I', 'II']);
    const [a, b] = await rec.readRaw(0, 60);
    expect(Array.from(a!)).toEqual([...seq(30, 0), ...new Array(10).fill(INVALID), ...seq(20, 100)]);
    expect(Array.from(b!.subarray(25, 45))).toEqual([...seq(5, 1025), ...new Array(10).fill(INVALID), ...seq(5, 1100)]);
    const [w] = await rec.readRaw(28, 42);
    expect(Array.from(w!)).toEqual([28, 29, ...new Array(10).fill(INVALID), 100, 101]);
    expect((await rec.verifyChecksums()).every((c) => c.ok)).toBe(true);
    await rec.close();
  });

  it('maps a variable layout by signal name and rescales to the layout gain', async () => {
    const rec = await openRecord(join(dir, 'var'));
    expect(rec.header.signals.map((s) => s.description)).toEqual(['II', 'V']);
    const [ii, v] = await rec.readRaw(0, 15);
    expect(Array.from(ii!)).toEqual([...seq(10, 500), ...seq(5, 7, 2)]);
    // segment V: gain 200 baseline 10 → layout gain 100 baseline 0: (x - 10) / 2
    expect(Array.from(v!)).toEqual([...Array.from(seq(10, -5), (x) => Math.round((x - 10) / 2)), ...new Array(5).fill(INVALID)]);
    const phys = await rec.readPhysical(0, 1);
    expect(phys[1]![0]).toBeCloseTo((-5 - 10) / 200, 1);
    await rec.close();
  });

  it('rejects a segment that is missing or disagrees with the master header', async () => {
    await writeFile(join(dir, 'gone.hea'), 'gone/2 2 100 40\nfa 30\nnope 10\n');
    await expect(openRecord(join(dir, 'gone'))).rejects.toMatchObject({ code: 'NOT_FOUND', file: join(dir, 'nope.hea') });
    await writeFile(join(dir, 'short.hea'), 'short/2 2 100 35\nfa 30\nfb 20\n');
    const cut = await openRecord(join(dir, 'short'));
    expect(cut.nFrames).toBe(35);
    expect(cut.warnings).toEqual([`${join(dir, 'short.hea')}: its segments hold 50 frames, more than the 35 of its record line; the rest is ignored`]);
    await cut.close();
    await writeFile(join(dir, 'long.hea'), 'long/1 2 100 31\nfa 31\n');
    await expect(openRecord(join(dir, 'long'))).rejects.toThrow(/segment fa has 30 frames but the master header says 31/);
    await writeRecord(dir, 'slow', { fs: 50, signals: [seq(30, 0), seq(30, 0)], specs: [spec('I'), spec('II')] });
    await writeFile(join(dir, 'mixed.hea'), 'mixed/2 2 100 60\nfa 30\nslow 30\n');
    await expect(openRecord(join(dir, 'mixed'))).rejects.toMatchObject({
      code: 'BAD_HEADER',
      message: expect.stringMatching(/segment slow is sampled at 50 Hz, the record at 100 Hz/),
    });
  });

  it('reads a record of many segments holding only a few open, the same samples after a segment was closed', async () => {
    const n = 40;
    for (let k = 0; k < n; k++) await writeRecord(dir, `m${k}`, { fs: 100, signals: [seq(10, 10 * k)], specs: [spec('II')] });
    await writeFile(join(dir, 'many.hea'), [`many/${n} 1 100 ${10 * n}`, ...Array.from({ length: n }, (_, k) => `m${k} 10`)].join('\n') + '\n');
    const rec = await openRecord(join(dir, 'many'));
    try {
      const whole = Array.from((await rec.readRaw(0, 10 * n))[0]!);
      expect(whole).toEqual(Array.from({ length: 10 * n }, (_, i) => i));
      // concurrent reads of segments far apart, then the first again (opened anew)
      const parts = await Promise.all(Array.from({ length: n }, (_, k) => rec.readRaw(10 * k + 3, 10 * k + 5)));
      expect(parts.map((p) => Array.from(p[0]!))).toEqual(Array.from({ length: n }, (_, k) => [10 * k + 3, 10 * k + 4]));
      expect(Array.from((await rec.readRaw(0, 2))[0]!)).toEqual([0, 1]);
    } finally {
      await rec.close();
    }
  });

  it('keeps 24-bit samples beyond 16 bits whole, in a variable or a fixed layout, read whole or into stored leads', async () => {
    const vals = [100000, -50000, 1234, 40000, 5];
    const bytes = new Uint8Array(vals.length * 3);
    vals.forEach((v, k) => bytes.set([v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff], 3 * k));
    await writeFile(join(dir, 'w24.dat'), bytes);
    await writeFile(join(dir, 'w24.hea'), 'w24 1 250 5\nw24.dat 24 1000/mV 24 0 0 0 0 ECG\n');
    await writeFile(join(dir, 'lay24.hea'), 'lay24 1 250 0\n~ 0 1000/mV 24 0 0 0 0 ECG\n');
    await writeFile(join(dir, 'var24.hea'), 'var24/2 1 250 5\nlay24 0\nw24 5\n');
    // fixed layout: the first segment (whose signals the record takes) is 16-bit, the next 24-bit
    await writeRecord(dir, 'n16', { fs: 250, signals: [Int16Array.of(-7, 8)], specs: [{ ...spec('ECG', 1000), format: 16 as never }] });
    await writeFile(join(dir, 'fix24.hea'), 'fix24/2 1 250 7\nn16 2\nw24 5\n');
    for (const [name, want] of [
      ['var24', vals],
      ['fix24', [-7, 8, ...vals]],
    ] as const) {
      const rec = await openRecord(join(dir, name));
      try {
        expect(Array.from((await rec.readRaw(0, rec.nFrames))[0]!), name).toEqual(want);
        const [stored] = allocStoredLeads(rec, [0], false);
        await readStoredInto(rec, [0], [stored!], { from: 0, to: rec.nFrames });
        expect(Array.from(stored!.samples), name).toEqual(want);
        expect(rec.wide).toEqual([true]);
      } finally {
        await rec.close();
      }
    }
    // 16-bit segments only: 16-bit arrays (half the memory)
    const narrow = await openRecord(join(dir, 'var'));
    expect(narrow.wide).toEqual([false, false]);
    expect((await narrow.readRaw(0, 1))[0]).toBeInstanceOf(Int16Array);
    await narrow.close();
  });

  it('a value rescaled beyond what the layout holds is invalid, not wrapped', async () => {
    await writeFile(join(dir, 'lay2.hea'), 'lay2 1 100 0\nlay2.dat 16 20000/mV 16 0 0 0 0 II\n');
    // gain 10 -> 20000: each value ×2000; ±20 would be ±40000, beyond 16 bits
    await writeRecord(dir, 'big2', { fs: 100, signals: [Int16Array.of(1, 20, -20, 16)], specs: [{ ...spec('II', 10), format: 16 as never }] });
    await writeFile(join(dir, 'wide2.hea'), 'wide2/2 1 100 4\nlay2 0\nbig2 4\n');
    const rec2 = await openRecord(join(dir, 'wide2'));
    try {
      expect(Array.from((await rec2.readRaw(0, 4))[0]!)).toEqual([2000, INVALID, INVALID, 32000]);
    } finally {
      await rec2.close();
    }
  });
});

import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArrayLead, fillInvalid, quantise } from '../../src/main/dsp';
import { conditionedSpan } from '../../src/main/beats/stream';
import { StoredLead, allocStoredLeads, frameSpans, openRecord, readStoredInto, writeRecord, INVALID } from '../../src/main/wfdb';
import { dataPath, needData } from '../helpers/data';

const bits = (x: Float32Array) => Array.from(new Uint32Array(x.buffer, x.byteOffset, x.length));
const dir = mkdtempSync(join(tmpdir(), 'hbs-stored-lead-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Every sample of the lead, span by span in pieces of `k`. */
function bySpans(lead: StoredLead, k: number, filled = false): Float32Array {
  const out = new Float32Array(lead.length);
  for (let a = 0; a < lead.length; a += k) out.set(filled ? lead.filledSpan(a, Math.min(lead.length, a + k)) : lead.span(a, Math.min(lead.length, a + k)), a);
  return out;
}

describe('StoredLead: a record held as its stored samples, read in physical units span by span', () => {
  it('reads parts of any size, in any order, into shared memory; its spans equal readPhysical bit for bit (invalid samples NaN)', async () => {
    const n = 5000;
    const a = Int16Array.from({ length: n }, (_, i) => (i % 977 === 5 ? INVALID : Math.round(300 * Math.sin(i / 9))));
    const b = Int16Array.from({ length: n }, (_, i) => ((i * 37) % 2001) - 1000);
    const c = Int16Array.from({ length: n }, (_, i) => i % 7);
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
    const rec = await openRecord(join(dir, 'r'));
    try {
      const want = await rec.readPhysical(0, rec.nFrames);
      for (const frames of [1 << 20, 777, 1]) {
        const which = [2, 0];
        const out = allocStoredLeads(rec, which, frames === 777);
        if (frames === 777) expect(out[0]!.samples.buffer).toBeInstanceOf(SharedArrayBuffer);
        const spans = frameSpans(rec.nFrames, frames);
        for (const s of frames === 1 ? spans.slice(0, 50).reverse() : [...spans].reverse()) await readStoredInto(rec, which, out, s);
        const upTo = frames === 1 ? 50 : n;
        const [lc, la] = out.map((s) => new StoredLead(s));
        expect(bits(lc!.span(0, upTo))).toEqual(bits(want[2]!.subarray(0, upTo)));
        expect(bits(la!.span(0, upTo))).toEqual(bits(want[0]!.subarray(0, upTo)));
        if (frames !== 1) for (const k of [1, 333, 4096]) expect(bits(bySpans(la!, k))).toEqual(bits(want[0]!));
      }
      expect(Number.isNaN(want[0]![5])).toBe(true);
    } finally {
      await rec.close();
    }
  });

  it('fills invalid samples span by span exactly as fillInvalid over the whole lead (runs at the ends, across spans, single samples)', () => {
    const n = 20_000;
    const x = Int16Array.from({ length: n }, (_, i) => Math.round(900 * Math.sin(i / 37) + 50 * Math.cos(i / 3)));
    const runs: [number, number][] = [
      [0, 40], // the start: held at the first valid sample
      [999, 1000],
      [4090, 4200], // across the 4096 boundary
      [7000, 12_500], // longer than a span
      [15_000, 15_001],
      [15_002, 15_004],
      [n - 25, n], // the end: held at the last valid sample
    ];
    for (const [s, e] of runs) x.fill(INVALID, s, e);
    const lead = new StoredLead({ samples: x, adcGain: 137.5, baseline: -12 });
    const want = fillInvalid(lead.span(0, n));
    expect(want).not.toBe(lead.span(0, n)); // it did fill
    for (const k of [1, 7, 1000, 4096, n]) expect(bits(bySpans(lead, k, true))).toEqual(bits(want));
    // spans that start and end inside runs
    for (const [a, b] of [
      [4100, 4150],
      [7500, 13_000],
      [20, 60],
      [n - 10, n],
      [14_999, 15_003],
    ] as const)
      expect(bits(lead.filledSpan(a, b))).toEqual(bits(want.subarray(a, b)));
    // a lead with no valid sample: zeros, as fillInvalid; one without invalid samples: the values
    const none = new StoredLead({ samples: new Int16Array(100).fill(INVALID), adcGain: 200, baseline: 0 });
    expect(bits(none.filledSpan(30, 70))).toEqual(bits(fillInvalid(none.span(0, 100)).subarray(30, 70)));
    const clean = new StoredLead({ samples: Int16Array.from({ length: 100 }, (_, i) => i - 50), adcGain: 0, baseline: 5 });
    expect(bits(clean.filledSpan(10, 90))).toEqual(bits(clean.span(10, 90)));
  });

  it.runIf(needData('mitdb/100.hea'))('equals readPhysical on mitdb 100 (the look-up table and the division agree)', async () => {
    const rec = await openRecord(dataPath('mitdb', '100'));
    try {
      const want = await rec.readPhysical(0, rec.nFrames);
      const out = allocStoredLeads(rec, [0, 1], false);
      for (const s of frameSpans(rec.nFrames, 1 << 18)) await readStoredInto(rec, [0, 1], out, s);
      for (const l of [0, 1]) expect(bits(bySpans(new StoredLead(out[l]!), 100_003))).toEqual(bits(want[l]!));
    } finally {
      await rec.close();
    }
  });

  it.runIf(needData('wfdb-formats/binformats.hea'))('holds 32-bit formats as Int32Array and reads them as readPhysical does', async () => {
    const rec = await openRecord(dataPath('wfdb-formats', 'binformats'));
    try {
      const want = await rec.readPhysical(0, rec.nFrames);
      const which = rec.header.signals.map((_, i) => i);
      const out = allocStoredLeads(rec, which, false);
      for (const s of frameSpans(rec.nFrames, 1000)) await readStoredInto(rec, which, out, s);
      expect(out.some((s) => s.samples instanceof Int32Array)).toBe(true);
      for (const i of which) expect(bits(bySpans(new StoredLead(out[i]!), 999))).toEqual(bits(want[i]!));
    } finally {
      await rec.close();
    }
  });

  it('ranks a span of stored integers as quantise ranks its physical values, or says it cannot', () => {
    const n = 30_000;
    const x = Int16Array.from({ length: n }, (_, i) => Math.round(700 * Math.sin(i / 50) + 40 * Math.sin(i / 3)) + (i % 11 === 0 ? -900 : 0));
    for (const [gain, base] of [
      [200, 0],
      [137.5, -12],
      [0, 1024], // gain 0 reads as 200
      [1e-3, 5],
    ]) {
      const lead = new StoredLead({ samples: x, adcGain: gain, baseline: base });
      for (const [a, b] of [
        [0, n],
        [123, 4567],
        [500, 501],
      ]) {
        const got = lead.rankedSpan(a, b);
        const want = quantise(lead.span(a, b));
        expect(got).not.toBeNull();
        expect(want).not.toBeNull();
        expect(bits(got!.values)).toEqual(bits(lead.span(a, b)));
        expect(Array.from(got!.ranks.codes)).toEqual(Array.from(want!.codes));
        expect(bits(got!.ranks.levels)).toEqual(bits(want!.levels));
      }
    }
    // a falling table (negative gain) is not ranked by its integers, nor one whose values overflow to
    // ±Infinity (conditioning fills those as invalid), collapse to ±0 or share a float32 (extreme headers)
    for (const [adcGain, baseline] of [
      [-200, 0],
      [1e-36, 0],
      [1e300, 0],
      [200, 2 ** 24],
    ])
      expect(new StoredLead({ samples: x, adcGain, baseline }).rankedSpan(0, n)).toBeNull();
    const tiny = new StoredLead({ samples: x, adcGain: 1e-36, baseline: 0 });
    expect(bits(conditionedSpan(tiny, 360, 0, 3000))).toEqual(bits(conditionedSpan(new ArrayLead(tiny.span(0, n)), 360, 0, 3000)));
    // an invalid sample: none (quantise gives none for its NaN), and the marks are cleared for the next span
    const withInvalid = x.slice();
    withInvalid[777] = INVALID;
    const lead = new StoredLead({ samples: withInvalid, adcGain: 200, baseline: 0 });
    expect(lead.rankedSpan(0, n)).toBeNull();
    expect(Array.from(lead.rankedSpan(800, 900)!.ranks.codes)).toEqual(Array.from(quantise(lead.span(800, 900))!.codes));
    // more distinct values than the rank path takes: none, as quantise
    const wide = new StoredLead({ samples: Int16Array.from({ length: 40_000 }, (_, i) => i - 20_000), adcGain: 200, baseline: 0 });
    expect(wide.rankedSpan(0, wide.length)).toBeNull();
    expect(quantise(wide.span(0, wide.length))).toBeNull();
    expect(wide.rankedSpan(100, 16_484)).not.toBeNull(); // exactly the most distinct values it takes
    expect(wide.rankedSpan(100, 16_485)).toBeNull();
  });

  it('conditions a stored lead at 360 Hz bit for bit as the same values held as floats (with and without invalid samples)', () => {
    const n = 60_000;
    const x = Int16Array.from({ length: n }, (_, i) =>
      Math.round(400 * Math.sin(i / 40) + 300 * Math.exp(-(((i % 300) - 150) ** 2) / 20) + 60 * Math.sin(i / 900))
    );
    x.fill(INVALID, 41_000, 41_090);
    const stored = new StoredLead({ samples: x, adcGain: 200, baseline: 7 });
    const floats = new ArrayLead(stored.span(0, n));
    for (const [a, z] of [
      [0, 30_000], // no invalid sample: ranked from the integers
      [20_000, n], // the invalid run: quantise's path
      [59_000, n],
    ])
      expect(bits(conditionedSpan(stored, 360, a, z))).toEqual(bits(conditionedSpan(floats, 360, a, z)));
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

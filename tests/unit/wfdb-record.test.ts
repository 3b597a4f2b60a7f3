import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, truncate, writeFile, copyFile, appendFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openRecord, readHeader, writePhysicalRecord, writeRecord, WfdbError, INVALID, type WriteSpec } from '../../src/main/wfdb';
import { dataPath, needData } from '../helpers/data';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wfdb-rec-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true });
});

function ramp(n: number, lo: number, hi: number, seed: number): Int16Array {
  const a = new Int16Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    a[i] = lo + (x % (hi - lo + 1));
  }
  return a;
}

const spec = (format: 16 | 212, description: string) => ({
  format,
  adcGain: 200,
  baseline: 1024,
  units: 'mV',
  adcResolution: format === 212 ? 12 : 16,
  adcZero: 1024,
  description,
});

async function caught(p: Promise<unknown>): Promise<WfdbError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof WfdbError) return err;
    throw err;
  }
  throw new Error('expected a WfdbError');
}

describe('writeRecord + openRecord', () => {
  it.each([212, 16] as const)('format %i: round trip, windows, physical units, checksums', async (format) => {
    const n = 70_001; // odd: the last 212 pair is half full
    const lo = format === 212 ? -2047 : -32767;
    const hi = format === 212 ? 2047 : 32767;
    const sigs = [ramp(n, lo, hi, 1), ramp(n, lo, hi, 2), ramp(n, lo, hi, 3)];
    sigs[1]![17] = INVALID;
    await writeRecord(dir, `r${format}`, {
      fs: 360,
      signals: sigs,
      specs: [spec(format, 'MLII'), spec(format, 'V5'), spec(format, 'V2 lead')],
      comments: ['made by a test'],
    });
    const rec = await openRecord(join(dir, `r${format}.hea`));
    expect(rec.nFrames).toBe(n);
    expect(rec.header.comments).toEqual(['made by a test']);
    expect(rec.header.signals.map((s) => s.description)).toEqual(['MLII', 'V5', 'V2 lead']);
    const all = await rec.readRaw(0, n);
    all.forEach((a, i) => expect(Array.from(a)).toEqual(Array.from(sigs[i]!)));
    expect(rec.warnings).toEqual([]);
    expect((await rec.verifyChecksums()).every((c) => c.ok)).toBe(true);
    for (const [a, b] of [
      [0, 0],
      [0, 1],
      [1, 2],
      [12345, 12399],
      [n - 3, n],
      [33333, 67890],
    ]) {
      const w = await rec.readRaw(a!, b!);
      w.forEach((x, i) => expect(Array.from(x)).toEqual(Array.from(sigs[i]!.subarray(a, b))));
    }
    const phys = await rec.readPhysical(10, 20);
    expect(phys[0]![3]).toBe(Math.fround((sigs[0]![13]! - 1024) / 200));
    expect(Number.isNaN(phys[1]![7])).toBe(true);
    await expect(rec.readRaw(-1, 5)).rejects.toMatchObject({ code: 'BAD_RANGE' });
    await expect(rec.readRaw(5, n + 1)).rejects.toMatchObject({ code: 'BAD_RANGE' });
    await expect(rec.readRaw(6, 5)).rejects.toMatchObject({ code: 'BAD_RANGE' });
    await rec.close();
  });

  it.each([212, 16] as const)(
    'format %i: signals of several samples per frame (a multi-frequency record) written interleaved frame by frame',
    async (format) => {
      const n = 1001; // frames; 212 with 4 + 1 + 2 = 7 samples a frame: the last pair is half full
      const lo = format === 212 ? -2047 : -32767;
      const hi = format === 212 ? 2047 : 32767;
      const sigs = [ramp(4 * n, lo, hi, 4), ramp(n, lo, hi, 5), ramp(2 * n, lo, hi, 6)];
      const specs: WriteSpec[] = [
        { ...spec(format, 'II'), samplesPerFrame: 4 },
        { ...spec(format, 'ABP'), units: 'mmHg' },
        { ...spec(format, 'V'), samplesPerFrame: 2 },
      ];
      await writeRecord(dir, `mf${format}`, { fs: 62.5, signals: sigs, specs });
      const hea = (await readFile(join(dir, `mf${format}.hea`), 'latin1')).split('\n');
      expect(hea[0]).toBe(`mf${format} 3 62.5 ${n}`);
      expect(hea.slice(1, 4).map((l) => l.split(' ')[1])).toEqual([`${format}x4`, `${format}`, `${format}x2`]);
      const rec = await openRecord(join(dir, `mf${format}`));
      expect(rec.header.signals.map((s) => s.samplesPerFrame)).toEqual([4, 1, 2]);
      (await rec.readRaw(0, n)).forEach((a, i) => expect(Array.from(a)).toEqual(Array.from(sigs[i]!)));
      (await rec.readRaw(17, 40)).forEach((a, i) => {
        const k = specs[i]!.samplesPerFrame ?? 1;
        expect(Array.from(a)).toEqual(Array.from(sigs[i]!.subarray(17 * k, 40 * k)));
      });
      expect((await rec.verifyChecksums()).every((c) => c.ok)).toBe(true);
      await rec.close();
      // the file holds frame after frame: signal 0's four samples, signal 1's one, signal 2's two
      if (format === 16) {
        const dat = new Int16Array((await readFile(join(dir, 'mf16.dat'))).buffer.slice(0));
        expect(Array.from(dat.subarray(7, 14))).toEqual([...sigs[0]!.subarray(4, 8), sigs[1]![1]!, ...sigs[2]!.subarray(2, 4)]);
      }
      const e = await caught(writeRecord(dir, 'mf-bad', { fs: 62.5, signals: [sigs[0]!, sigs[0]!], specs: [specs[0]!, specs[1]!] }));
      expect(e.message).toMatch(/signal 1 has 4004 samples, not 1 per frame of 1001 frames/);
    }
  );

  it.runIf(needData('wfdb-formats'))('03700181 (MIMIC: MCL1 at 4 samples per 125 Hz frame, ABP at 1) written back reads as the original', async () => {
    const src = await openRecord(dataPath('wfdb-formats/03700181'));
    const raw = await src.readRaw(0, src.nFrames);
    const [mcl1, abp] = src.header.signals;
    const as = (s: typeof mcl1) => ({
      format: 212 as const,
      adcGain: s!.adcGain,
      baseline: s!.baseline,
      units: s!.units,
      adcResolution: 12,
      adcZero: 0,
      description: s!.description,
      samplesPerFrame: s!.samplesPerFrame,
    });
    await writeRecord(dir, 'mimic', { fs: src.fs, signals: [raw[0]!, raw[1]!], specs: [as(mcl1), as(abp)] });
    const back = await openRecord(join(dir, 'mimic'));
    expect([back.fs, back.nFrames, back.header.signals.map((s) => s.samplesPerFrame)]).toEqual([125, 75_000, [4, 1]]);
    const got = await back.readRaw(0, back.nFrames);
    expect(Array.from(got[0]!)).toEqual(Array.from(raw[0]!));
    expect(Array.from(got[1]!)).toEqual(Array.from(raw[1]!));
    // the MCL1 checksum is the original header's: the same samples, stored the WFDB way
    expect(back.header.signals[0]!.checksum).toBe(mcl1!.checksum);
    await Promise.all([src.close(), back.close()]);
  });

  it('writePhysicalRecord: values in mV back within half an ADC step, NaN as the invalid sample, gains and units kept', async () => {
    const mv = Float32Array.from({ length: 1000 }, (_, i) => Math.sin(i / 7) * 2.5);
    mv[10] = NaN;
    const pressure = Float32Array.from({ length: 1000 }, (_, i) => 80 + 40 * Math.sin(i / 50));
    await writePhysicalRecord(dir, 'phys', 250, [
      { values: mv, gain: 200, description: 'MLII' },
      { values: pressure, gain: 10, description: 'ABP', units: 'mmHg' },
    ]);
    const rec = await openRecord(join(dir, 'phys'));
    expect(rec.fs).toBe(250);
    expect(rec.header.signals.map((s) => [s.description, s.adcGain, s.units, s.format])).toEqual([
      ['MLII', 200, 'mV', 16],
      ['ABP', 10, 'mmHg', 16],
    ]);
    const [a, b] = await rec.readPhysical(0, 1000);
    expect(Number.isNaN(a![10])).toBe(true);
    for (let i = 0; i < 1000; i++) {
      if (i !== 10) expect(Math.abs(a![i]! - mv[i]!)).toBeLessThanOrEqual(0.5 / 200 + 1e-6);
      expect(Math.abs(b![i]! - pressure[i]!)).toBeLessThanOrEqual(0.5 / 10 + 1e-5);
    }
    await rec.close();
    // a value format 16 cannot hold is refused, not wrapped
    const big = Float32Array.of(0, 200); // 200 mV × 200 = 40000
    await expect(writePhysicalRecord(dir, 'phys-big', 250, [{ values: big, gain: 200, description: 'MLII' }])).rejects.toThrow(/sample 1 is 40000/);
  });

  it('refuses values outside the format', async () => {
    const e = await caught(writeRecord(dir, 'bad', { fs: 360, signals: [new Int16Array([0, 3000])], specs: [spec(212, 'x')] }));
    expect(e.code).toBe('BAD_VALUE');
    expect(e.message).toMatch(/sample 1 is 3000/);
    await expect(writeRecord(dir, 'bad', { fs: 0, signals: [new Int16Array(1)], specs: [spec(16, 'x')] })).rejects.toThrow(/sampling frequency/);
    await expect(readFile(join(dir, 'bad.hea'))).rejects.toThrow();
  });

  it('reports a truncated signal file and warns on a checksum mismatch', async () => {
    await writeRecord(dir, 't', { fs: 100, signals: [ramp(1000, -100, 100, 5)], specs: [spec(16, 'x')] });
    await copyFile(join(dir, 't.dat'), join(dir, 't.dat.orig'));
    await truncate(join(dir, 't.dat'), 1500);
    const e = await caught(openRecord(join(dir, 't')));
    expect(e.code).toBe('TRUNCATED');
    expect(e.file).toBe(join(dir, 't.dat'));
    expect(e.message).toMatch(/holds 750 frames but header .* says 1000/);
    await copyFile(join(dir, 't.dat.orig'), join(dir, 't.dat'));
    const h = (await readFile(join(dir, 't.hea'), 'latin1')).split('\n');
    const f = h[1]!.split(' ');
    f[6] = String(Number(f[6]) + 1);
    h[1] = f.join(' ');
    await writeFile(join(dir, 't.hea'), h.join('\n'));
    const rec = await openRecord(join(dir, 't'));
    await rec.readRaw(0, rec.nFrames);
    expect(rec.warnings.join()).toMatch(/checksum .* differs/);
    await rec.close();
    await appendFile(join(dir, 't.dat'), new Uint8Array(10));
    const rec2 = await openRecord(join(dir, 't'));
    expect(rec2.warnings.join()).toMatch(/holds 1005 frames, more than the 1000/);
    await rec2.close();
  });

  it.each([1, 2])('a whole read of %i format-212 signals verifies their checksums', async (nSig) => {
    const sigs = Array.from({ length: nSig }, (_, i) => ramp(5000, -2047, 2047, 10 + i));
    sigs[nSig - 1]![99] = INVALID;
    const name = `ck${nSig}`;
    await writeRecord(dir, name, { fs: 100, signals: sigs, specs: sigs.map((_, i) => spec(212, `s${i}`)) });
    const clean = await openRecord(join(dir, name));
    await clean.readRaw(0, 5000);
    expect(clean.warnings).toEqual([]);
    expect((await clean.verifyChecksums()).map((c) => c.status)).toEqual(sigs.map(() => 'ok'));
    await clean.close();
    const h = (await readFile(join(dir, `${name}.hea`), 'latin1')).split('\n');
    const f = h[nSig]!.split(' ');
    f[6] = String(((Number(f[6]) + 32768 + 1) % 65536) - 32768);
    h[nSig] = f.join(' ');
    await writeFile(join(dir, `${name}.hea`), h.join('\n'));
    const rec = await openRecord(join(dir, name));
    await rec.readRaw(1, 5000); // not whole: no verdict
    expect(rec.warnings).toEqual([]);
    await rec.readRaw(0, 5000);
    expect(rec.warnings).toHaveLength(1);
    expect(rec.warnings[0]).toMatch(new RegExp(`signal ${nSig - 1} \\(s${nSig - 1}\\) checksum .* differs`));
    expect((await rec.verifyChecksums()).map((c) => c.status)).toEqual(sigs.map((_, i) => (i === nSig - 1 ? 'mismatch' : 'ok')));
    await rec.close();
  });

  it('names the missing file', async () => {
    const e = await caught(openRecord(join(dir, 'nothing')));
    expect(e).toMatchObject({ code: 'NOT_FOUND', file: join(dir, 'nothing.hea') });
    await writeFile(join(dir, 'nodat.hea'), 'nodat 1 360 10\nnodat.dat 16\n');
    expect(await caught(openRecord(join(dir, 'nodat')))).toMatchObject({ code: 'NOT_FOUND', file: join(dir, 'nodat.dat') });
  });
});

describe('format 8 (first differences)', () => {
  it('chains one running value per signal through all its samples of a frame, as WFDB does', async () => {
    // file frame: a (8x2, initial value 5), b (8, initial value -3); every byte is a difference
    const nFrames = 40;
    const bytes = new Int8Array(nFrames * 3).map((_, k) => (k % 7) - 3);
    await writeFile(join(dir, 'd8.dat'), new Uint8Array(bytes.buffer));
    await writeFile(join(dir, 'd8.hea'), `d8 2 100 ${nFrames}\nd8.dat 8x2 200 8 0 5 0 0 a\nd8.dat 8 200 8 0 -3 0 0 b\n`);
    const a: number[] = [];
    const b: number[] = [];
    for (let f = 0, va = 5, vb = -3; f < nFrames; f++) {
      a.push((va += bytes[3 * f]!), (va += bytes[3 * f + 1]!));
      b.push((vb += bytes[3 * f + 2]!));
    }
    const rec = await openRecord(join(dir, 'd8'));
    const [ra, rb] = await rec.readRaw(0, nFrames);
    expect([...ra!]).toEqual(a);
    expect([...rb!]).toEqual(b);
    const [wa] = await rec.readRaw(11, 17); // a window sums from the start of the file too
    expect([...wa!]).toEqual(a.slice(22, 34));
    await rec.close();
  });
});

describe.runIf(needData('mitdb'))('mitdb', () => {
  it('reads record 100 as rdsamp does', async () => {
    const h = await readHeader(dataPath('mitdb/100'));
    expect(h).toMatchObject({ name: '100', fs: 360, nFrames: 650000, comments: ['69 M 1085 1629 x1', 'Aldomet, Inderal'] });
    const rec = await openRecord(dataPath('mitdb/100.hea'));
    const [a, b] = await rec.readRaw(649_984, 650_000);
    const ref = JSON.parse(await readFile(dataPath('reference/mitdb/signals.json'), 'utf8')) as {
      records: Record<string, { signals: { last16: number[] }[] }>;
    };
    expect(Array.from(a!)).toEqual(ref.records['100']!.signals[0]!.last16);
    expect(Array.from(b!)).toEqual(ref.records['100']!.signals[1]!.last16);
    await rec.close();
  });
});

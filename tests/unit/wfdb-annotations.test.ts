import { describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  decodeAnnotations,
  encodeAnnotations,
  writeAnnotations,
  readAnnotationFile,
  WfdbError,
  mnemonic,
  codeOf,
  isQrs,
  description,
  type Annotation,
} from '../../src/main/wfdb';

const F = 'x.atr';
const ann = (sample: number, code: number, extra: Partial<Annotation> = {}): Annotation => ({ sample, code, subtype: 0, chan: 0, num: 0, aux: null, ...extra });
const words = (...w: number[]) => new Uint8Array(w.flatMap((x) => [x & 0xff, (x >> 8) & 0xff]));

describe('MIT annotation format', () => {
  it('encodes exactly as WFDB putann does', () => {
    const bytes = encodeAnnotations(
      [ann(18, 28, { aux: '(N\0' }), ann(77, 1), ann(5000, 5, { subtype: -1, chan: 1, num: 3 }), ann(5001, 1, { chan: 1, num: 3 })],
      F
    );
    expect(Array.from(bytes)).toEqual(
      Array.from(
        new Uint8Array([
          ...words((28 << 10) | 18, (63 << 10) | 3),
          0x28,
          0x4e,
          0x00,
          0x00, // "(N\0" + pad to even length
          ...words((1 << 10) | 59),
          ...words(59 << 10, 0, 5000 - 77, 5 << 10), // SKIP: 32-bit interval, high word first
          ...words((61 << 10) | 0x3ff, (62 << 10) | 1, (60 << 10) | 3), // SUB -1, CHN 1, NUM 3
          ...words((1 << 10) | 1), // chan and num unchanged: not repeated
          0,
          0,
        ])
      )
    );
  });

  it('round-trips long intervals, negative fields and latin1 aux', () => {
    const anns = [
      ann(0, 22, { aux: 'note é' }),
      ann(1023, 1),
      ann(1024, 1),
      ann(70_000_000, 28, { aux: '(AFIB' }),
      ann(70_000_000, 5, { num: -5, chan: 255, subtype: 127 }),
      ann(69_999_000, 1, { num: -128 }),
    ];
    expect(decodeAnnotations(encodeAnnotations(anns, F), F)).toEqual(anns);
  });

  it('writes a NOTQRS annotation at interval 0 without producing the end marker', () => {
    const anns = [ann(0, 0), ann(10, 1), ann(10, 0), ann(5000, 0), ann(4000, 0), ann(4001, 0)];
    expect(decodeAnnotations(encodeAnnotations(anns, F), F)).toEqual(anns);
  });

  it('reports files cut short or malformed', () => {
    const good = encodeAnnotations([ann(18, 28, { aux: '(N' }), ann(5000, 1)], F);
    for (let cut = 0; cut < good.length; cut++) {
      const e = (() => {
        try {
          decodeAnnotations(good.subarray(0, cut), F);
        } catch (err) {
          return err;
        }
        return null;
      })();
      expect(e, `cut at ${cut}`).toBeInstanceOf(WfdbError);
      expect((e as WfdbError).code).toBe('TRUNCATED');
    }
    expect(() => decodeAnnotations(words((50 << 10) | 3, 0), F)).toThrow(/unknown code 50 at byte 0/);
    expect(() => decodeAnnotations(words(59 << 10, 0xffff, 0xfff0, (1 << 10) | 1, 0), F)).toThrow(/annotation time -15 outside/);
    // a SKIP's datum is ignored, as WFDB does
    expect(decodeAnnotations(words((59 << 10) | 3, 0, 2000, 1 << 10, 0), F)).toEqual([ann(2000, 1)]);
  });

  it('refuses values the format cannot hold', () => {
    expect(() => encodeAnnotations([ann(-1, 1)], F)).toThrow(WfdbError);
    expect(() => encodeAnnotations([ann(1, 50)], F)).toThrow(/code 50/);
    expect(() => encodeAnnotations([ann(1, 1, { num: 200 })], F)).toThrow(/num 200/);
    expect(() => encodeAnnotations([ann(1, 1, { aux: 'x'.repeat(256) })], F)).toThrow(/aux is 256 bytes/);
    expect(() => encodeAnnotations([ann(1, 1, { aux: '€' })], F)).toThrow(/latin1/);
  });

  it('writes atomically and reads back', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wfdb-ann-'));
    try {
      const anns = [ann(5, 1), ann(9, 5, { aux: '(VT' })];
      await writeAnnotations(join(dir, 'r.test'), anns);
      expect(await readAnnotationFile(join(dir, 'r.test'))).toEqual(anns);
      expect((await readFile(join(dir, 'r.test'))).length).toBe(2 + 2 + 2 + 4 + 2);
      await expect(readAnnotationFile(join(dir, 'missing.atr'))).rejects.toMatchObject({ code: 'NOT_FOUND', file: join(dir, 'missing.atr') });
    } finally {
      await rm(dir, { recursive: true });
    }
  });
});

describe('annotation codes', () => {
  it('maps mnemonics both ways as WFDB does', () => {
    expect([1, 5, 8, 12, 14, 22, 28, 32, 33, 41].map(mnemonic)).toEqual(['N', 'V', 'A', '/', '~', '"', '+', '[', ']', 'r']);
    expect(mnemonic(15)).toBe('[15]');
    expect(codeOf('V')).toBe(5);
    expect(codeOf('[42]')).toBe(42);
    expect(codeOf('zz')).toBeUndefined();
    for (let c = 1; c <= 49; c++) expect(codeOf(mnemonic(c))).toBe(c);
  });
  it('isQrs follows the isqrs table', () => {
    const qrs = Array.from({ length: 50 }, (_, c) => c).filter(isQrs);
    expect(qrs).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 25, 30, 34, 35, 37, 38, 41]);
    expect(description(5)).toMatch(/ventricular/i);
  });
});

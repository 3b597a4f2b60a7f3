import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HEADER_BYTES, NpyWriter, npyHeader, parseNpy } from '../../src/main/dataset/npy';

const dir = mkdtempSync(join(tmpdir(), 'hs-npy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Reads the header by hand, as the .npy v1.0 specification describes it (independent of parseNpy). */
function readHeaderByHand(buf: Buffer): { dict: string; dataStart: number } {
  expect(buf[0]).toBe(0x93);
  expect(buf.subarray(1, 6).toString('latin1')).toBe('NUMPY');
  expect([buf[6], buf[7]]).toEqual([1, 0]);
  const len = buf.readUInt16LE(8);
  expect((10 + len) % 64).toBe(0);
  const dict = buf.subarray(10, 10 + len).toString('latin1');
  expect(dict.endsWith('\n')).toBe(true);
  return { dict: dict.trimEnd(), dataStart: 10 + len };
}

describe('.npy files', () => {
  it('streams rows and patches the final shape into the header', () => {
    const path = join(dir, 'w.npy');
    const w = new NpyWriter(path, 'f4', [2, 3]);
    w.append(Float32Array.of(1, 2, 3, 4, 5, 6));
    w.append(Float32Array.of(-1.5, 0, 1e-8, 7, 8, 9, 10, 11, 12, 13, 14, 15));
    w.close();
    const buf = readFileSync(path);
    const { dict, dataStart } = readHeaderByHand(buf);
    expect(dict).toBe("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 2, 3), }");
    expect(dataStart).toBe(HEADER_BYTES);
    expect(buf.length).toBe(HEADER_BYTES + 18 * 4);
    expect(buf.readFloatLE(dataStart + 6 * 4)).toBe(-1.5);
    expect(buf.readFloatLE(dataStart + 17 * 4)).toBe(15);
    const p = parseNpy(buf, path);
    expect(p.shape).toEqual([3, 2, 3]);
    expect(Array.from(p.data)).toEqual(Array.from(Float32Array.of(1, 2, 3, 4, 5, 6, -1.5, 0, 1e-8, 7, 8, 9, 10, 11, 12, 13, 14, 15)));
  });

  it("writes 1-D integer and byte arrays with numpy's tuple syntax", () => {
    const pi = join(dir, 'i.npy');
    const w = new NpyWriter(pi, 'i4', []);
    w.append(Int32Array.of(-7, 2147483647, 0));
    w.close();
    const bi = readFileSync(pi);
    expect(readHeaderByHand(bi).dict).toBe("{'descr': '<i4', 'fortran_order': False, 'shape': (3,), }");
    expect(bi.readInt32LE(HEADER_BYTES)).toBe(-7);
    expect(bi.readInt32LE(HEADER_BYTES + 4)).toBe(2147483647);
    const pu = join(dir, 'u.npy');
    const u = new NpyWriter(pu, 'u1', []);
    u.close();
    const bu = readFileSync(pu);
    expect(readHeaderByHand(bu).dict).toBe("{'descr': '|u1', 'fortran_order': False, 'shape': (0,), }");
    expect(parseNpy(bu).data.length).toBe(0);
  });

  it('refuses data of the wrong type or a partial row, and bad files', () => {
    const w = new NpyWriter(join(dir, 'bad.npy'), 'f4', [4]);
    expect(() => w.append(Int32Array.of(1, 2, 3, 4))).toThrow(/expected <f4/);
    expect(() => w.append(Float32Array.of(1, 2, 3))).toThrow(/whole number of rows/);
    w.close();
    expect(() => parseNpy(new Uint8Array(20), 'x.npy')).toThrow(/x.npy: not a .npy file/);
    expect(() => npyHeader('<f4', [1.5])).toThrow(RangeError);
  });

  // numpy is not needed by the app or these tests; when it happens to be installed it confirms the format.
  const hasNumpy = (() => {
    try {
      execFileSync('python3', ['-c', 'import numpy'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();
  it.skipIf(!hasNumpy)('is read by numpy.load when numpy is installed', () => {
    const path = join(dir, 'np.npy');
    const w = new NpyWriter(path, 'f4', [2]);
    w.append(Float32Array.of(0.5, -2, 3, 4));
    w.close();
    const out = execFileSync('python3', ['-c', `import numpy as np; a = np.load(${JSON.stringify(path)}); print(a.dtype, a.shape, a.sum())`])
      .toString()
      .trim();
    expect(out).toBe('float32 (2, 2) 5.5');
  });
});

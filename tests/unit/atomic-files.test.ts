// writeFilesAtomic: several files flushed together, renamed in order; one that cannot be written
// leaves every target as it was and no temporary behind; writeNewFileAtomic never replaces a file.
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileError, tempPathFor, tempTarget, writeFilesAtomic, writeNewFileAtomic } from '../../src/main/files/atomic';

describe('writeFilesAtomic', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hbs-atomic-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));
  const bytes = (s: string) => Buffer.from(s);

  it('writes every file, over what was there, and leaves no temporary', async () => {
    await writeFile(join(dir, 'a.csv'), 'old');
    await writeFilesAtomic([
      [join(dir, 'a.csv'), bytes('A')],
      [join(dir, 'b.json'), bytes('B')],
    ]);
    expect(await readFile(join(dir, 'a.csv'), 'utf8')).toBe('A');
    expect(await readFile(join(dir, 'b.json'), 'utf8')).toBe('B');
    expect((await readdir(dir)).sort()).toEqual(['a.csv', 'b.json']);
  });

  it('a file that cannot be written (its folder is missing) leaves the others untouched', async () => {
    const err = await writeFilesAtomic([
      [join(dir, 'a.csv'), bytes('A2')],
      [join(dir, 'gone', 'c.pvc'), bytes('C')],
      [join(dir, 'b.json'), bytes('B2')],
    ]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FileError);
    expect((err as FileError).code).toBe('NOT_FOUND');
    expect((err as FileError).message).toContain(join(dir, 'gone', 'c.pvc'));
    expect(await readFile(join(dir, 'a.csv'), 'utf8')).toBe('A');
    expect(await readFile(join(dir, 'b.json'), 'utf8')).toBe('B');
    expect((await readdir(dir)).sort()).toEqual(['a.csv', 'b.json']);
  });
});

describe('writeNewFileAtomic', () => {
  it('writes a new file whole, and never over one that is there (a file that appeared meanwhile), leaving no temporary', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hbs-atomic-new-'));
    try {
      await writeNewFileAtomic(join(dir, 'r.pdf'), Buffer.from('report'));
      expect(await readFile(join(dir, 'r.pdf'), 'utf8')).toBe('report');
      const err = await writeNewFileAtomic(join(dir, 'r.pdf'), Buffer.from('another')).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(FileError);
      expect((err as FileError).message).toMatch(/r\.pdf: appeared while it was being made; it is left as it is/);
      expect(await readFile(join(dir, 'r.pdf'), 'utf8')).toBe('report');
      expect(await readdir(dir)).toEqual(['r.pdf']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('tempTarget', () => {
  it('reads back the target and process of a name tempPathFor made, and nothing from any other name', () => {
    const name = tempPathFor('/x/beat-pvc-ft1.onnx').split('/').pop()!;
    expect(tempTarget(name)).toEqual({ target: 'beat-pvc-ft1.onnx', pid: process.pid });
    for (const other of ['notes.tmp', '.notes.tmp', 'beat-pvc-ft1.onnx', `.a.${process.pid}.TOOLONGxx.tmp`]) expect(tempTarget(other)).toBeNull();
  });
});

// Files and folders a command writes that the person named: never a record's own file, and a
// name that cannot be a folder said in one line (bad input), not an errno with a stack.
import { mkdir } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { isRecordFile } from '../main/export/target';
import { CliError } from './errors';

/** Throws a CliError when `file` (given as `flag`) is a record's header or signal file, or a reference annotation file (.atr). */
export async function refuseRecordFile(flag: string, file: string, what: string): Promise<void> {
  const f = resolve(file);
  if (/\.atr$/i.test(f) || (await isRecordFile(dirname(f), basename(f)))) throw new CliError(`${flag} ${file}: a record's file, not a place for ${what}`);
}

/** Errno codes of a file where a folder should be (or a folder where a file should): no retry fixes them. */
export const IN_THE_WAY: ReadonlySet<string | undefined> = new Set(['EEXIST', 'ENOTDIR', 'EISDIR']);

/**
 * Creates the folder `dir` and those above it, for the path `value` given as `flag` (the folder itself,
 * or a file to be written in it); a file in the way is bad input, said in one line.
 */
export async function makeFolder(flag: string, value: string, dir = value): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (!IN_THE_WAY.has(code)) throw e;
    throw new CliError(`${flag} ${value}: ${code === 'EEXIST' && dir === value ? 'a file, not a folder' : 'a file stands where one of its folders should be'}`);
  }
}

// Files and folders a command writes that the person named: never a record's own file, and a
// name that cannot be a folder said in one line (bad input), not an errno with a stack.
import { basename, dirname, resolve } from 'node:path';
import { isRecordFile } from '../main/export/target';
import { CliError } from './errors';

/** Throws a CliError when `file` (given as `flag`) is a record's header or signal file, or a reference annotation file (.atr). */
export async function refuseRecordFile(flag: string, file: string, what: string): Promise<void> {
  const f = resolve(file);
  if (/\.atr$/i.test(f) || (await isRecordFile(dirname(f), basename(f)))) throw new CliError(`${flag} ${file}: a record's file, not a place for ${what}`);
}

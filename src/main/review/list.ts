// The records of a folder (their .hea files), for a path field given a folder instead of a record.
import { readdir, stat } from 'node:fs/promises';
import { resolve } from 'node:path';

/**
 * Record names (header file names without .hea) in `dir`, in natural order ("100" before "1000");
 * `folder` false when `dir` is not a folder (a record path, the usual case: not an error).
 */
export async function listRecords(dir: string): Promise<{ dir: string; folder: boolean; records: string[] }> {
  const abs = resolve(dir);
  const s = await stat(abs).catch(() => null);
  if (!s?.isDirectory()) return { dir: abs, folder: false, records: [] };
  const names = (await readdir(abs)).filter((f) => f.toLowerCase().endsWith('.hea')).map((f) => f.slice(0, -4));
  return { dir: abs, folder: true, records: names.sort((a, b) => a.localeCompare(b, 'en', { numeric: true })) };
}

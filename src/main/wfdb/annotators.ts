// Finding a record's annotation files: <record>.<annotator> files in its directory that parse as
// MIT-format annotation files.
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { readAnnotationFile } from './annotations';
import { WfdbError, fsError } from './errors';
import type { RecordHeader } from './header';

export interface AnnotatorInfo {
  annotator: string;
  file: string;
  count: number;
}

/** Files larger than this are not probed as annotation files. */
const MAX_PROBE_BYTES = 256 * 1024 * 1024;

/** The annotators present beside record `name` in `dir` (signal files and the header excluded). */
export async function listAnnotators(dir: string, name: string, header?: RecordHeader): Promise<AnnotatorInfo[]> {
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch (err) {
    throw fsError(dir, err);
  }
  const signalFiles = new Set((header?.signals ?? []).map((s) => s.fileName));
  const found: AnnotatorInfo[] = [];
  for (const f of entries.sort()) {
    if (!f.startsWith(`${name}.`) || f === `${name}.hea` || signalFiles.has(f)) continue;
    const annotator = f.slice(name.length + 1);
    if (!/^[A-Za-z0-9_\-~]+$/.test(annotator)) continue;
    const file = join(dir, f);
    try {
      const st = await stat(file);
      if (!st.isFile() || st.size > MAX_PROBE_BYTES) continue;
      const anns = await readAnnotationFile(file);
      found.push({ annotator, file, count: anns.length });
    } catch (err) {
      if (!(err instanceof WfdbError)) throw err;
    }
  }
  return found;
}

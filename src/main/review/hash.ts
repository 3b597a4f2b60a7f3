// The record's content hash: SHA-256 over the header file and then each signal file in header
// order. Reviewer work is keyed by it, so the same record opened from another path (or copied)
// is recognised.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { headerPath } from '../wfdb/header';
import { fsError } from '../wfdb/errors';

export async function hashRecordFiles(recordPath: string, signalFiles: readonly string[]): Promise<string> {
  const hea = headerPath(recordPath);
  const h = createHash('sha256');
  try {
    h.update(await readFile(hea));
  } catch (e) {
    throw fsError(hea, e);
  }
  const seen = new Set<string>();
  for (const name of signalFiles) {
    if (seen.has(name) || name === '~') continue;
    seen.add(name);
    const file = join(dirname(hea), name);
    await new Promise<void>((ok, fail) => {
      createReadStream(file, { highWaterMark: 1 << 20 })
        .on('data', (c) => h.update(c))
        .on('end', () => ok())
        .on('error', (e) => fail(fsError(file, e)));
    });
  }
  return h.digest('hex');
}

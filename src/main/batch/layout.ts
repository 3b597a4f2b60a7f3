// Where `analyze --out DIR` puts a record's outputs. 'flat' is DIR/<record>.* (what `evaluate
// --test-dir` reads); 'database' is DIR/<database folder>/<record>.*, so mitdb/100 and svdb/100
// do not collide in one batch. Hash-free on purpose: a person finds a record's files by name.
import { realpathSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { recordName } from '../analysis/record';
import { databaseOf } from '../wfdb/header';

export const LAYOUTS = ['flat', 'database'] as const;
export type Layout = (typeof LAYOUTS)[number];

export { databaseOf } from '../wfdb/header';

/** Output path without extension: add .pvc, .csv, .json (or .error.json for a failed record). */
export function outputBase(outDir: string, recordPath: string, layout: Layout): string {
  const name = recordName(recordPath);
  return layout === 'database' ? join(outDir, databaseOf(recordPath), name) : join(outDir, name);
}

/**
 * A record's path with the links of its folder followed: the same record named through a link and by
 * its real path (scale/analyze_records.py resolves links, a person may not) is one record.
 */
export function realRecordPath(path: string): string {
  const abs = resolve(path);
  try {
    return join(realpathSync(dirname(abs)), basename(abs));
  } catch {
    return abs;
  }
}

/** Records of one call that would write to the same outputs, as [first, second] paths. */
export function collisions(recordPaths: readonly string[], outDir: string, layout: Layout): [string, string][] {
  const seen = new Map<string, string>();
  const out: [string, string][] = [];
  for (const p of recordPaths) {
    const key = outputBase(outDir, p, layout);
    const prev = seen.get(key);
    if (prev !== undefined && realRecordPath(prev) !== realRecordPath(p)) out.push([prev, p]);
    else seen.set(key, p);
  }
  return out;
}

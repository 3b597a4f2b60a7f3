// Which records a dataset command means: record paths (with or without .hea) or database folders.
import { readdirSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { DatasetError } from './errors';
import { heldForTest } from './splits';
import { databaseOf } from '../wfdb/header';

export interface RecordRef {
  /** Record name ("100"). */
  name: string;
  /** Database: the name of the record's folder ("mitdb"). */
  db: string;
  /** Absolute record path without extension (what openRecord takes). */
  path: string;
}

function refOf(path: string): RecordRef {
  const abs = resolve(path.endsWith('.hea') ? path.slice(0, -4) : path);
  return { name: basename(abs), db: databaseOf(abs), path: abs };
}

/** Expands arguments to records in order: a folder gives every record (.hea) in it, sorted by name. */
export function resolveRecords(args: readonly string[]): RecordRef[] {
  const out: RecordRef[] = [];
  for (const arg of args) {
    let isDir: boolean;
    try {
      isDir = statSync(arg).isDirectory();
    } catch {
      isDir = false;
    }
    if (isDir) {
      const heads = readdirSync(arg)
        .filter((f) => f.endsWith('.hea'))
        .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
      if (heads.length === 0) throw new DatasetError(arg, 'folder holds no WFDB record (.hea)', 'NOT_FOUND');
      for (const h of heads) out.push(refOf(join(arg, h)));
      continue;
    }
    const ref = refOf(arg);
    try {
      statSync(`${ref.path}.hea`);
    } catch {
      throw new DatasetError(`${ref.path}.hea`, 'no such record header', 'NOT_FOUND');
    }
    out.push(ref);
  }
  const seen = new Set<string>();
  return out.filter((r) => (seen.has(r.path) ? false : (seen.add(r.path), true)));
}

/**
 * For scripts that choose something (rules' parameters, thresholds): throws, naming the record, when
 * any of `paths` (record paths with or without .hea) is kept for the one-time test (splits.ts
 * heldForTest: MIT-BIH DS2, the rhythm model's test recordings). The record is known by its folder's
 * name and its own, however the path is spelled: through a link to the folder too (the folder's name
 * as given and as it really is: either one naming the database is enough).
 */
export function refuseTestRecords(paths: readonly string[]): void {
  const listings = new Map<string, string[]>();
  for (const p of paths) {
    const ref = refOf(p);
    const dir = dirname(ref.path);
    let real = dir;
    try {
      real = realpathSync(dir);
    } catch {
      // a folder that is not there: its name as given
    }
    let names = listings.get(real);
    if (!names) {
      try {
        names = readdirSync(real)
          .filter((f) => f.endsWith('.hea'))
          .map((f) => f.slice(0, -4));
      } catch {
        names = [];
      }
      listings.set(real, names);
    }
    const all = names.includes(ref.name) ? names : [...names, ref.name];
    for (const db of new Set([ref.db, databaseOf(join(real, ref.name))])) {
      const why = heldForTest(db, ref.name, all);
      if (why) throw new DatasetError(`${ref.path}.hea`, `${why}: choices are made on training and validation records only`, 'FORBIDDEN');
    }
  }
}

// PhysioNet/CinC Challenge 2017 labels: REFERENCE.csv next to the recordings ("A00001,N").
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatasetError } from './errors';
import { rhythmSplits, type RhythmSplit } from './splits';

const cache = new Map<string, Map<string, string> | null>();

/** The REFERENCE.csv labels of a folder (record name → N/A/O/~), or null when it has none. */
export function cincReference(folder: string): Map<string, string> | null {
  if (cache.has(folder)) return cache.get(folder)!;
  const file = join(folder, 'REFERENCE.csv');
  let labels: Map<string, string> | null = null;
  if (existsSync(file)) {
    labels = new Map();
    const lines = readFileSync(file, 'latin1').split(/\r?\n/);
    lines.forEach((line, i) => {
      if (line.trim() === '') return;
      const m = /^\s*([^,\s]+)\s*,\s*([NAO~])\s*$/.exec(line);
      if (!m) throw new DatasetError(file, `line ${i + 1}: expected "record,label" with label N, A, O or ~, got "${line}"`);
      labels!.set(m[1]!, m[2]!);
    });
  }
  cache.set(folder, labels);
  return labels;
}

/** A CinC 2017 recording of one rhythm split: its name, its path (without extension) and its REFERENCE.csv label. */
export interface CincRecording {
  name: string;
  path: string;
  label: string;
}

/** The recordings of `folder` (a CinC 2017 folder) in one rhythm split (splits.ts), in name order; throws when it has no REFERENCE.csv. */
export function cincSplit(folder: string, split: RhythmSplit): CincRecording[] {
  const ref = cincReference(folder);
  if (!ref) throw new DatasetError(join(folder, 'REFERENCE.csv'), 'not found (CinC 2017 not here)');
  const names = readdirSync(folder)
    .filter((f) => f.endsWith('.hea'))
    .map((f) => f.slice(0, -4));
  return rhythmSplits(names)
    .filter((r) => r.split === split)
    .map((r) => ({ name: r.name, path: join(folder, r.name), label: ref.get(r.name)! }));
}

// PhysioNet/CinC Challenge 2017 labels: REFERENCE.csv next to the recordings ("A00001,N").
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatasetError } from './errors';

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

// Whether a record's analysis already sits in the output folder (analyze --skip-done): its JSON
// exists (written last, atomically, so it means the .pvc and .csv are there too), analysed the same
// record file with the same settings. Another record's JSON at that place is a collision, not "done".
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { CACHE_FORMAT } from '../analysis/cache';

export type DoneCheck = { done: true } | { done: false; collision?: string };

/**
 * How a record's signals are read (its ECG leads by default, less a lead flat for most of the record,
 * voltages in mV, a second lead's flat seconds readable, beats where lead 0 is off read on lead 1):
 * part of the key, so outputs written under another reading are analysed again. Change it with the reading.
 */
export const READING = 'ecg-mV-live-leads-flat-lead-1-readable-lead-0-off-on-lead-1';

/**
 * The settings that change an analysis' outputs, in a stable order (compared as JSON), with the
 * reading and the pipeline's output format (the cache's: bumped whenever its outputs change).
 */
export function settingsKey(s: Record<string, unknown>): string {
  const keys = ['beats', 'threshold', 'provider', 'useRules', 'leads', 'modelsDir', 'registryDir'];
  return JSON.stringify([...keys.map((k) => [k, s[k] ?? null]), ['reading', READING], ['format', CACHE_FORMAT]]);
}

export async function checkDone(jsonPath: string, recordPath: string, key: string): Promise<DoneCheck> {
  let text: string;
  try {
    text = await readFile(jsonPath, 'utf8');
  } catch {
    return { done: false };
  }
  let j: { recordPath?: unknown; settingsKey?: unknown };
  try {
    j = JSON.parse(text) as typeof j;
  } catch {
    return { done: false };
  }
  if (typeof j.recordPath === 'string' && resolve(j.recordPath) !== resolve(recordPath)) return { done: false, collision: j.recordPath };
  return { done: j.recordPath !== undefined && j.settingsKey === key };
}

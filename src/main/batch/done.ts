// Whether a record's analysis already sits in the output folder (analyze --skip-done): its JSON
// exists (written last, atomically, so it means the .pvc and .csv are there too), analysed the same
// record file with the same settings. Another record's JSON at that place is a collision, not "done";
// a file there that no analysis wrote (a JSON without `recordPath`, a .csv of another header) is
// foreign: never written over.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { realRecordPath } from './layout';
import { CACHE_FORMAT } from '../analysis/cache';
import { BEATS_CSV_HEADER } from '../analysis/outputs';
import { RULES_VERSION, type TaskPlan } from '../analysis/plan';

export type DoneCheck = { done: true } | { done: false; collision?: string; foreign?: string };

/**
 * How a record's signals are read (its ECG leads by default, less a lead flat for most of the record,
 * voltages in mV, a second lead's flat seconds readable, beats where lead 0 is off read on lead 1):
 * part of the key, so outputs written under another reading are analysed again. Change it with the reading.
 */
export const READING = 'ecg-mV-live-leads-flat-lead-1-readable-lead-0-off-on-lead-1';

/**
 * The settings that change an analysis' outputs, in a stable order (compared as JSON), with the
 * models chosen (id, version, file hash: not the folders, whose model a fine-tune's activation or a
 * replaced file changes), the reading and the pipeline's output format (the cache's: bumped whenever
 * its outputs change).
 */
export function settingsKey(s: Record<string, unknown>, models: readonly TaskPlan[]): string {
  const keys = ['beats', 'threshold', 'provider', 'useRules', 'leads'];
  const chosen = models.map((m) =>
    'model' in m ? [m.task, m.model.entry.id, m.model.entry.version, m.sha256, entryHash(m.model.entry)] : [m.task, 'rules', RULES_VERSION]
  );
  return JSON.stringify([...keys.map((k) => [k, s[k] ?? null]), ['models', chosen], ['reading', READING], ['format', CACHE_FORMAT]]);
}

/** A manifest entry's digest: its thresholds or rules may change without a new file or version. */
function entryHash(entry: object): string {
  return createHash('sha256').update(JSON.stringify(entry)).digest('hex').slice(0, 16);
}

export async function checkDone(jsonPath: string, recordPath: string, key: string): Promise<DoneCheck> {
  const base = jsonPath.slice(0, -'.json'.length);
  let text: string;
  try {
    text = await readFile(jsonPath, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EISDIR') return { done: false, foreign: jsonPath };
    // no analysis here: a .csv there is someone else's unless it is one this command wrote (a run
    // stopped before its JSON, which is renamed last: the .csv, then the .pvc, then the JSON); a .pvc
    // without this command's .csv beside it is someone else's annotation file
    const csv = await readFile(`${base}.csv`, 'utf8').catch(() => null);
    if (csv !== null) return csv.startsWith(BEATS_CSV_HEADER) ? { done: false } : { done: false, foreign: `${base}.csv` };
    return existsSync(`${base}.pvc`) ? { done: false, foreign: `${base}.pvc` } : { done: false };
  }
  const j = jsonObject(text);
  if (!j) return { done: false, foreign: jsonPath };
  // an analysis written before the JSON named its record file: analysed again, written over
  if (typeof j.recordPath !== 'string') return isAnalysisJson(j) ? { done: false } : { done: false, foreign: jsonPath };
  if (realRecordPath(j.recordPath) !== realRecordPath(recordPath)) return { done: false, collision: j.recordPath };
  return { done: j.settingsKey === key };
}

/** The JSON object `text` holds, else null (not JSON, or not an object). */
function jsonObject(text: string): Record<string, unknown> | null {
  try {
    const v: unknown = JSON.parse(text);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Whether a JSON object is an analysis `analyze` wrote (of any version: the fields every one has carried). */
function isAnalysisJson(j: Record<string, unknown>): boolean {
  return typeof j.record === 'string' && typeof j.recordHash === 'string' && typeof j.pvcCount === 'number' && Array.isArray(j.episodes);
}

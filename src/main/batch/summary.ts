// One table of a batch: every record's analysis JSON (and the error file of a record that failed)
// under an output folder, as rows; written as CSV (d3-dsv) and Parquet (hyparquet-writer: pure JS,
// no native build, so it runs wherever the CLI runs). Rows are sorted by the JSON's path under the
// folder, so two runs over the same outputs give the same table.
import { csvFormat } from 'd3-dsv';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import * as z from '../../shared/zod';
import { HeartbeatError, type ErrorCode } from '../../shared/errors';
import { realRecordPath } from './layout';
import { StatusLine, type RecordStatus } from './status';

/** The analysis JSON fields the table reads (src/main/analysis/outputs.ts: a contract). */
const AnalysisJson = z.object({
  record: z.string(),
  beats: z.number(),
  pvcCount: z.number(),
  pvcBurden: z.number(),
  afBurden: z.number(),
  durationSec: z.number(),
  recording: z.nullish(z.object({ label: z.string(), confidence: z.number() })),
  models: z.array(z.object({ task: z.string(), id: z.string(), version: z.optional(z.string()), provider: z.string() })),
  provider: z.string(),
  summary: z.object({ longestPauseSec: z.number() }),
  wallSec: z.optional(z.number()),
  fromCache: z.optional(z.boolean()),
  recordPath: z.optional(z.string()),
});

export interface SummaryRow {
  /** The record's name (contract column). */
  record: string;
  /** Where its JSON is under the folder, without extension (e.g. "mitdb/100"): unique per row. */
  path: string;
  status: RecordStatus | 'failed';
  beats: number | null;
  pvcCount: number | null;
  pvcBurden: number | null;
  afBurden: number | null;
  longestPauseSec: number | null;
  durationSec: number | null;
  /** The recording-level call (label) and its confidence, when the analysis has one. */
  recording: string | null;
  recordingConfidence: number | null;
  beatModel: string | null;
  rhythmModel: string | null;
  provider: string | null;
  seconds: number | null;
  fromCache: boolean | null;
  recordPath: string | null;
  message: string | null;
}

export const SUMMARY_COLUMNS: readonly (keyof SummaryRow)[] = [
  'record',
  'path',
  'status',
  'beats',
  'pvcCount',
  'pvcBurden',
  'afBurden',
  'longestPauseSec',
  'durationSec',
  'recording',
  'recordingConfidence',
  'beatModel',
  'rhythmModel',
  'provider',
  'seconds',
  'fromCache',
  'recordPath',
  'message',
];

export class SummaryError extends HeartbeatError {
  override name = 'SummaryError';
  declare readonly file: string;
  constructor(file: string, problem: string, code: ErrorCode) {
    super(code, `${file}: ${problem}`, file);
  }
}

const modelName = (m: { id: string; version?: string } | undefined) => (m ? (m.version ? `${m.id}@${m.version}` : m.id) : null);

/** A row from an analysis JSON's text; null when the JSON is not an analysis (another tool's file). */
export function rowOfAnalysis(text: string, path: string): SummaryRow | null {
  const j = AnalysisJson.safeParse(JSON.parse(text));
  if (!j.success) return null;
  const a = j.data;
  return {
    record: a.record,
    path,
    status: 'done',
    beats: a.beats,
    pvcCount: a.pvcCount,
    pvcBurden: a.pvcBurden,
    afBurden: a.afBurden,
    longestPauseSec: a.summary.longestPauseSec,
    durationSec: a.durationSec,
    recording: a.recording?.label ?? null,
    recordingConfidence: a.recording?.confidence ?? null,
    beatModel: modelName(a.models.find((m) => m.task === 'beat')),
    rhythmModel: modelName(a.models.find((m) => m.task === 'rhythm')),
    provider: a.provider,
    seconds: a.wallSec ?? null,
    fromCache: a.fromCache ?? null,
    recordPath: a.recordPath ?? null,
    message: null,
  };
}

function rowOfError(line: StatusLine, path: string): SummaryRow {
  return {
    record: line.record,
    path,
    status: line.status,
    beats: null,
    pvcCount: null,
    pvcBurden: null,
    afBurden: null,
    longestPauseSec: null,
    durationSec: null,
    recording: null,
    recordingConfidence: null,
    beatModel: null,
    rhythmModel: null,
    provider: null,
    seconds: null,
    fromCache: null,
    recordPath: line.recordPath,
    message: line.message ?? line.code ?? null,
  };
}

async function jsonFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile() && e.name.endsWith('.json')).map((e) => join(e.parentPath, e.name));
}

export interface Summary {
  rows: SummaryRow[];
  /** JSON files that are neither an analysis nor an error file (left out, named here). */
  skipped: string[];
  /** A record found at two paths (analysed in both layouts into the folder): which row was kept. */
  warnings: string[];
}

/** Every record under `dir`: its analysis, or its error file when it has no analysis. */
export async function readSummary(dir: string): Promise<Summary> {
  let files: string[];
  try {
    files = await jsonFiles(dir);
  } catch (e) {
    throw new SummaryError(dir, `cannot read the folder (${(e as Error).message})`, 'IO');
  }
  const done = new Map<string, SummaryRow>();
  const failed = new Map<string, SummaryRow>();
  const skipped: string[] = [];
  const mtime = new Map<string, number>();
  for (const file of files.sort()) {
    const rel = relative(dir, file).split(sep).join('/');
    let parsed: unknown;
    try {
      mtime.set(rel, (await stat(file)).mtimeMs);
      parsed = JSON.parse(await readFile(file, 'utf8'));
    } catch (e) {
      throw new SummaryError(file, `not JSON (${(e as Error).message})`, 'PARSE');
    }
    // <record>.error.json is that record's error file, or the analysis of a record named <record>.error: told by what it holds
    const line = rel.endsWith('.error.json') ? StatusLine.safeParse(parsed) : null;
    if (line?.success) {
      failed.set(rel.slice(0, -'.error.json'.length), rowOfError(line.data, rel.slice(0, -'.error.json'.length)));
      continue;
    }
    const row = rowOfAnalysis(JSON.stringify(parsed), rel.slice(0, -'.json'.length));
    if (row) done.set(row.path, row);
    else skipped.push(file);
  }
  // A record analysed once and failed on a later try keeps its analysis.
  for (const [path, row] of failed) if (!done.has(path)) done.set(path, row);
  const { rows, warnings } = oncePerRecord([...done.values()], (r) => mtime.get(`${r.path}${r.status === 'done' ? '' : '.error'}.json`) ?? 0, dir);
  return { rows: rows.sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0)), skipped, warnings };
}

/**
 * One row per record file: a record analysed into the folder in both layouts (OUT/100.json and
 * OUT/mitdb/100.json) was counted twice. Its analysis wins over an error, then the newest file.
 */
function oncePerRecord(rows: SummaryRow[], mtimeOf: (r: SummaryRow) => number, dir: string): { rows: SummaryRow[]; warnings: string[] } {
  const kept = new Map<string, SummaryRow>();
  const warnings: string[] = [];
  const rank = (r: SummaryRow) => [r.status === 'done' ? 1 : 0, mtimeOf(r)] as const;
  for (const r of rows) {
    const key = r.recordPath === null ? `path:${r.path}` : realRecordPath(r.recordPath); // JSONs older than recordPath: by path
    const prev = kept.get(key);
    if (!prev) {
      kept.set(key, r);
      continue;
    }
    const [a, b] = [rank(prev), rank(r)];
    const [win, lose] = b[0] > a[0] || (b[0] === a[0] && b[1] > a[1]) ? [r, prev] : [prev, r];
    kept.set(key, win);
    warnings.push(`${r.recordPath} is in ${dir} twice (${lose.path}, ${win.path}; both layouts?): kept ${win.path}`);
  }
  return { rows: [...kept.values()], warnings };
}

export function summaryCsv(rows: readonly SummaryRow[]): string {
  return (
    csvFormat(
      rows.map((r) => ({ ...r })),
      [...SUMMARY_COLUMNS]
    ) + '\n'
  );
}

const TEXT = new Set<keyof SummaryRow>(['record', 'path', 'status', 'recording', 'beatModel', 'rhythmModel', 'provider', 'recordPath', 'message']);
const INTEGER = new Set<keyof SummaryRow>(['beats', 'pvcCount']);

export function summaryParquet(rows: readonly SummaryRow[]): Uint8Array {
  const columnData = SUMMARY_COLUMNS.map((name) => ({
    name,
    data: rows.map((r) => r[name]),
    type: TEXT.has(name) ? ('STRING' as const) : INTEGER.has(name) ? ('INT32' as const) : name === 'fromCache' ? ('BOOLEAN' as const) : ('DOUBLE' as const),
  }));
  return new Uint8Array(parquetWriteBuffer({ columnData }));
}

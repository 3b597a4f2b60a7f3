// Readers for the WFDB software's own outputs in ../shared/data/reference (rdann, rdsamp -H).
import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';

export interface RdannRow {
  sample: number;
  type: string;
  sub: number;
  chan: number;
  num: number;
  aux: string;
}

/** Parses `rdann` output: time, sample, type, sub, chan, num, then a tab and the aux string. */
export function parseRdann(text: string): RdannRow[] {
  const rows: RdannRow[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const tab = line.indexOf('\t');
    const head = (tab >= 0 ? line.slice(0, tab) : line).trim().split(/\s+/);
    if (head.length !== 6) throw new Error(`unexpected rdann line: ${line}`);
    rows.push({
      sample: Number(head[1]),
      type: head[2]!,
      sub: Number(head[3]),
      chan: Number(head[4]),
      num: Number(head[5]),
      aux: tab >= 0 ? line.slice(tab + 1) : '',
    });
  }
  return rows;
}

/** Reads a gzipped `rdsamp -H` output into one Int32Array per column (sample number first); "-" = -32768. */
export async function readRdsampH(path: string, nCols: number): Promise<Int32Array[]> {
  const text = gunzipSync(await readFile(path)).toString('latin1');
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  const cols = Array.from({ length: nCols }, () => new Int32Array(lines.length));
  lines.forEach((line, r) => {
    const f = line.trim().split(/\s+/);
    if (f.length !== nCols) throw new Error(`${path}: row ${r} has ${f.length} columns, expected ${nCols}`);
    for (let c = 0; c < nCols; c++) cols[c]![r] = f[c] === '-' ? -32768 : Number(f[c]);
  });
  return cols;
}

/** The aux text rdann prints: the bytes up to the first NUL. */
export function auxText(aux: string | null): string {
  if (aux === null) return '';
  const nul = aux.indexOf('\0');
  return nul >= 0 ? aux.slice(0, nul) : aux;
}

/** Index of the first element where two arrays differ (or where one ends), -1 when identical. */
export function firstDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}

/** A message-friendly description of the first difference, or 'identical'. */
export function diffReport(a: ArrayLike<number>, b: ArrayLike<number>): string {
  const i = firstDiff(a, b);
  return i < 0 ? 'identical' : `first difference at ${i}: ${a[i]} vs ${b[i]} (lengths ${a.length}, ${b.length})`;
}

// A dataset is written into a staging folder inside its output folder and moved in whole at the end,
// its meta.json last (an earlier meta.json removed first), so a run that fails leaves the folder as
// it was, never the .npy files of one run beside the meta.json of another; and a folder whose
// meta.json is not a dataset of this kind is not written into. A staging folder left by a run that
// was interrupted (its process gone) goes when the next run starts.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { processAlive } from '../files/lock';
import { DatasetError } from './errors';
import { NpyWriter } from './npy';

export interface Staging {
  /** Where a file of the dataset is written until commit(). */
  path(name: string): string;
  /** Moves the files named into the output folder, in order: meta.json goes last. */
  commit(names: readonly string[]): void;
  /** Removes what was written (a failed run). */
  abandon(): void;
}

/** The `format` a meta.json names, '' when it is no JSON object with one (or cannot be read). */
function formatOf(meta: string): string {
  try {
    const j: unknown = JSON.parse(readFileSync(meta, 'utf8'));
    const f = j && typeof j === 'object' ? (j as { format?: unknown }).format : undefined;
    return typeof f === 'string' ? f : '';
  } catch {
    return '';
  }
}

/** Staging folders of this machine's runs whose process has ended (interrupted: Ctrl-C, killed) are removed; another machine's (a shared folder) are left to it. */
function removeAbandoned(outDir: string): void {
  for (const name of readdirSync(outDir)) {
    const m = /^\.staging-(\d+)@(.*)\+[^+]*$/.exec(name);
    if (!m || m[2] !== hostname() || processAlive(Number(m[1]))) continue;
    rmSync(join(outDir, name), { recursive: true, force: true });
  }
}

/** Stages a dataset of `format` (meta.json's `format`) for `outDir` (created). */
export function stageDataset(outDir: string, format: string): Staging {
  const meta = join(outDir, 'meta.json');
  if (existsSync(meta) && formatOf(meta) !== format)
    throw new DatasetError(
      meta,
      `is not the meta.json of a ${format} dataset: a dataset is never written over another folder's files (choose another --out)`,
      'BAD_VALUE'
    );
  let dir: string;
  try {
    mkdirSync(outDir, { recursive: true });
    removeAbandoned(outDir);
    dir = mkdtempSync(join(outDir, `.staging-${process.pid}@${hostname()}+`));
  } catch (err) {
    throw new DatasetError(outDir, `cannot write the dataset there: ${(err as Error).message}`, 'IO');
  }
  return {
    path: (name) => join(dir, name),
    commit(names) {
      try {
        rmSync(meta, { force: true });
        for (const n of names) renameSync(join(dir, n), join(outDir, n));
      } catch (err) {
        throw new DatasetError(outDir, `cannot move the dataset in: ${(err as Error).message}`, 'IO');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    abandon: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Opens one .npy file of a dataset being written: its name, dtype and row shape. */
export type OpenNpy = (name: string, kind: NpyWriter['kind'], shape: number[]) => NpyWriter;

/**
 * Writes a dataset of `format` into `outDir` whole: `write` fills the .npy files it opens with `npy`
 * and returns the meta (its `files` name them); `finish` may check or amend the meta and write files
 * of its own beside it, returning their names. Then meta.json, and all is moved in (stageDataset). A
 * throw anywhere closes the open files and leaves the folder as it was.
 */
export async function writeStagedDataset<M extends { files: Record<string, unknown> }>(
  outDir: string,
  format: string,
  write: (npy: OpenNpy) => Promise<M>,
  finish?: (meta: M, path: (name: string) => string) => Promise<string[]>
): Promise<M> {
  const st = stageDataset(outDir, format);
  const opened: NpyWriter[] = [];
  const npy: OpenNpy = (name, kind, shape) => {
    const x = new NpyWriter(st.path(name), kind, shape);
    opened.push(x);
    return x;
  };
  try {
    const meta = await write(npy);
    for (const x of opened) x.close();
    const extra = finish ? await finish(meta, st.path) : [];
    writeFileSync(st.path('meta.json'), JSON.stringify(meta, null, 2) + '\n');
    st.commit([...Object.keys(meta.files), ...extra, 'meta.json']);
    return meta;
  } catch (err) {
    for (const x of opened) x.close();
    st.abandon();
    throw err;
  }
}

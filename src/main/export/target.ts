// Where an export may go. The app derives the file name (record name + annotator or
// .review.<format>); the folder is the record's own, the app's exports folder (for read-only
// records) or a folder the user chose (OS dialog, or HEARTBEAT_EXPORT_DIRS in browser mode).
// Folders are compared as real paths, so a symlink cannot lead the export elsewhere. No header
// or signal file of any record in the target folder is ever a target, and an existing file
// that is not an earlier export of the same record is replaced only with a confirmation that
// names it.
import { lstat, mkdir, readdir, readFile, realpath, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { HeartbeatError, type ErrorCode } from '../../shared/errors';
import { parseHeader } from '../wfdb/header';

export type ExportFormat = 'wfdb' | 'csv' | 'json';

export class ExportError extends HeartbeatError {
  override name = 'ExportError';
  declare readonly code: Extract<ErrorCode, 'CONFIRM_OVERWRITE' | 'BAD_TARGET' | 'NOT_FOUND'>;
  declare readonly file: string;
  constructor(code: Extract<ErrorCode, 'CONFIRM_OVERWRITE' | 'BAD_TARGET' | 'NOT_FOUND'>, file: string, message: string) {
    super(code, message, file);
  }
}

/** Extensions that belong to records, never to an export. */
const RECORD_EXTENSIONS = new Set(['hea', 'dat', 'mat', 'edf', 'flac', 'tmp']);
/** Headers larger than this are not read when collecting a folder's signal file names. */
const MAX_SCANNED_HEADER = 1 << 20;

/** The file name the app writes for `recordName`: `<name>.<annotator>` or `<name>.review.<format>`. */
export function exportFileName(recordName: string, format: ExportFormat, annotator = 'rev'): string {
  if (format !== 'wfdb') return `${recordName}.review.${format}`;
  if (RECORD_EXTENSIONS.has(annotator.toLowerCase()))
    throw new ExportError(
      'BAD_TARGET',
      `${recordName}.${annotator}`,
      `"${annotator}" names a record's header or signal file, not an annotator; choose another annotator name (e.g. rev).`
    );
  return `${recordName}.${annotator}`;
}

function inside(child: string, parent: string): boolean {
  return child === parent || child.startsWith(parent.endsWith(sep) ? parent : parent + sep);
}

async function realDir(dir: string, what: string): Promise<string> {
  let real: string;
  try {
    real = await realpath(dir);
  } catch {
    throw new ExportError('BAD_TARGET', dir, `${dir}: the ${what} does not exist.`);
  }
  if (!(await stat(real)).isDirectory()) throw new ExportError('BAD_TARGET', dir, `${dir}: the ${what} is not a folder.`);
  return real;
}

async function realOrNull(dir: string | undefined): Promise<string | null> {
  if (!dir) return null;
  try {
    return await realpath(dir);
  } catch {
    return null;
  }
}

/** Every file a header in `dir` names as a signal file or a segment's header, plus the headers themselves. */
/** Whether a file name has the extension of a record's header or signal file. */
export function hasRecordExtension(name: string): boolean {
  return RECORD_EXTENSIONS.has(name.slice(name.lastIndexOf('.') + 1).toLowerCase());
}

/**
 * Whether `name` in `dir` is a record's header or signal file (by its extension, or named by a
 * header there): never written over. Names compare ignoring case: on macOS and Windows `x.ecg`
 * is the signal file `x.ECG`.
 */
export async function isRecordFile(dir: string, name: string): Promise<boolean> {
  if (hasRecordExtension(name)) return true;
  const lower = name.toLowerCase();
  for (const f of await recordFilesIn(dir)) if (f.toLowerCase() === lower) return true;
  return false;
}

export async function recordFilesIn(dir: string): Promise<Set<string>> {
  const out = new Set<string>();
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return out;
  }
  for (const f of names) {
    if (!f.toLowerCase().endsWith('.hea')) continue; // X.HEA is a header where case is ignored
    out.add(f);
    const file = join(dir, f);
    try {
      const s = await stat(file);
      if (!s.isFile() || s.size > MAX_SCANNED_HEADER) continue;
      const h = parseHeader(await readFile(file, 'latin1'), file);
      for (const sig of h.signals) if (sig.fileName !== '~') out.add(basename(sig.fileName));
      for (const seg of h.segments ?? []) if (seg.name !== '~') out.add(`${seg.name}.hea`);
    } catch {
      // an unreadable header names no files we could know of; its extension guard still holds
    }
  }
  return out;
}

export interface ExportPlaces {
  /** Records under this folder (the bundled demo) are exported to `fallbackDir` instead of beside the record. */
  readOnlyDir?: string;
  /** The app's own exports folder (created when needed). */
  fallbackDir: string;
  /** Folders the user chose (OS dialog, HEARTBEAT_EXPORT_DIRS). */
  allowedDirs?: () => Iterable<string>;
  /** The record of earlier exports (see ledger.ts); without it only JSON/CSV content identifies one. */
  ledgerFile?: string;
}

export interface ExportTarget {
  /** Real path of the file to write. */
  file: string;
  /** Whether a file is there now. */
  exists: boolean;
}

/**
 * Resolves and checks the file an export of `recordPath` writes. Throws ExportError BAD_TARGET
 * for a folder the user did not choose, a header or signal file, a symlink or a folder in its
 * place; `not-found` when the record's header is missing.
 */
export async function exportTarget(
  req: { recordPath: string; format: ExportFormat; annotator?: string | undefined; outDir?: string | undefined },
  places: ExportPlaces
): Promise<ExportTarget> {
  const hea = resolve(req.recordPath.endsWith('.hea') ? req.recordPath : `${req.recordPath}.hea`);
  try {
    if (!(await stat(hea)).isFile()) throw new Error('not a file');
  } catch {
    throw new ExportError('NOT_FOUND', hea, `${hea}: no such record header; an export belongs to an open record.`);
  }
  const recordName = basename(hea).slice(0, -4);
  const recordDir = await realDir(dirname(hea), 'record folder');
  const readOnly = await realOrNull(places.readOnlyDir);
  let dir: string;
  if (req.outDir) {
    dir = await realDir(resolve(req.outDir), 'export folder');
    const allowed = [recordDir, await realOrNull(places.fallbackDir), ...(await Promise.all([...(places.allowedDirs?.() ?? [])].map(realOrNull)))];
    if (!allowed.some((a) => a !== null && a === dir)) {
      throw new ExportError(
        'BAD_TARGET',
        req.outDir,
        `${req.outDir}: not a folder you chose for exports. Export beside the record, choose the folder with the app's dialog, or (browser mode) list it in HEARTBEAT_EXPORT_DIRS.`
      );
    }
    if (readOnly && inside(dir, readOnly)) throw new ExportError('BAD_TARGET', req.outDir, `${req.outDir}: the app's bundled records are read-only.`);
  } else if (readOnly && inside(recordDir, readOnly)) {
    await mkdir(places.fallbackDir, { recursive: true });
    dir = await realDir(places.fallbackDir, 'exports folder');
  } else dir = recordDir;

  const name = exportFileName(recordName, req.format, req.annotator);
  const file = join(dir, name);
  if (await isRecordFile(dir, name)) {
    throw new ExportError(
      'BAD_TARGET',
      file,
      `${file}: a record's header or signal file; an export never replaces one. Choose another annotator name or folder.`
    );
  }
  let st;
  try {
    st = await lstat(file);
  } catch {
    return { file, exists: false };
  }
  if (st.isSymbolicLink()) throw new ExportError('BAD_TARGET', file, `${file}: a symbolic link; an export never writes through one.`);
  if (!st.isFile()) throw new ExportError('BAD_TARGET', file, `${file}: not a regular file.`);
  return { file, exists: true };
}

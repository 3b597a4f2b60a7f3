// Writing a review (WFDB annotation file, CSV, JSON; always temp file + rename) to the place
// target.ts allows, and reading one back to continue. An existing file is replaced only when it is
// an earlier export of the same record (ledger.ts) or the request confirms that very file.
import { open, realpath, stat } from 'node:fs/promises';
import { basename, extname, resolve } from 'node:path';
import * as z from '../../shared/zod';
import { asRdann, decodeAnnotations, encodeAnnotations, withTimeResolution } from '../wfdb/annotations';
import { writeFileAtomic } from '../files/atomic';
import { AnnotatorName, ExportRequest, ReviewExport, type ExportResult } from '../../shared/review';
import { reviewToCsv, csvToReview, ReviewFileError } from './csv';
import { reviewToAnnotations, annotationsToReview } from './wfdb';
import { exportTarget, ExportError, recordFilesIn, type ExportPlaces } from './target';
import { isEarlierExport, noteExport } from './ledger';

export { ReviewFileError, ExportError, type ExportPlaces };
export { exportTarget, exportFileName } from './target';

/** Review files larger than this are refused on import (a 7-day Holter's review is ~100 MB of JSON). */
export const MAX_REVIEW_FILE_BYTES = 512 * 1024 * 1024;

async function confirms(confirm: string | undefined, file: string): Promise<boolean> {
  if (!confirm) return false;
  if (resolve(confirm) === file) return true;
  try {
    return (await realpath(confirm)) === file;
  } catch {
    return false;
  }
}

/**
 * Writes the review where exportTarget says. `recordHash` is the record's content hash as the
 * main process computed it (an earlier export is recognised by it); the review's own by default.
 * `frameFs`: the record's frame rate, when its review counts samples at a multiple of it (a
 * multi-frequency record): a WFDB export then says its time resolution, as WFDB writes it.
 */
export async function writeExport(
  req: z.infer<typeof ExportRequest>,
  places: ExportPlaces,
  recordHash = req.review.record.hash,
  frameFs = req.review.record.fs
): Promise<ExportResult> {
  const { file, exists } = await exportTarget(req, places);
  if (exists && !(await confirms(req.confirmOverwrite, file)) && !(await isEarlierExport(file, req.format, recordHash, places.ledgerFile))) {
    const what =
      req.format === 'wfdb' && req.annotator === 'atr' ? "holds the record's reference annotations" : 'exists and is not an earlier export of this record';
    throw new ExportError('CONFIRM_OVERWRITE', file, `${file} ${what}; confirm replacing ${basename(file)}, or choose another annotator name or folder.`);
  }
  const bytes =
    req.format === 'wfdb'
      ? encodeAnnotations(withTimeResolution(reviewToAnnotations(req.review), req.review.record.fs, frameFs), file)
      : new TextEncoder().encode(req.format === 'csv' ? reviewToCsv(req.review) : JSON.stringify(req.review, null, 1) + '\n');
  await writeFileAtomic(file, bytes);
  if (places.ledgerFile) await noteExport(places.ledgerFile, file, recordHash, bytes);
  const beats = req.review.beats.filter((b) => b.status !== 'deleted').length;
  return { file, bytes: bytes.byteLength, beats, episodes: req.review.episodes.length };
}

async function readReviewFile(path: string): Promise<Buffer> {
  let fh;
  try {
    // checked before opening: opening a FIFO would wait for a writer
    if (!(await stat(path)).isFile()) throw new ReviewFileError(path, 'not a regular file');
    fh = await open(path, 'r');
  } catch (e) {
    if (e instanceof ReviewFileError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new ReviewFileError(
      path,
      code === 'ENOENT' ? 'file not found' : code === 'EACCES' || code === 'EPERM' ? 'cannot read: permission denied' : 'cannot read',
      code === 'ENOENT' ? 'NOT_FOUND' : 'BAD_REVIEW_FILE'
    );
  }
  try {
    const st = await fh.stat();
    if (!st.isFile()) throw new ReviewFileError(path, 'not a regular file');
    if (st.size > MAX_REVIEW_FILE_BYTES) throw new ReviewFileError(path, `${st.size} bytes is larger than any review file (${MAX_REVIEW_FILE_BYTES} at most)`);
    return await fh.readFile();
  } finally {
    await fh.close();
  }
}

/** A JSON syntax error without the bytes V8 quotes from the input (it may not be a review at all). */
function jsonProblem(e: unknown): string {
  const at = /position (\d+)/.exec((e as Error).message);
  return at ? `not valid JSON (syntax error at character ${at[1]})` : 'not valid JSON';
}

/**
 * Reads a review back from a JSON or CSV review file or a WFDB annotation file (an annotator
 * extension, never a record's header or signal file); `record` fills the record fields of
 * annotation files. Errors name the file and the problem, never the file's content.
 */
export async function importReview(
  file: string,
  record: { name: string; hash: string; fs: number; nFrames?: number; frameFs?: number }
): Promise<ReviewExport> {
  const path = resolve(file);
  const ext = extname(path).toLowerCase();
  if (ext === '.json' || ext === '.csv') {
    const bytes = await readReviewFile(path);
    const text = bytes.toString('utf8');
    if (ext === '.csv') return csvToReview(text, path);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      throw new ReviewFileError(path, jsonProblem(e));
    }
    const parsed = ReviewExport.safeParse(json);
    if (!parsed.success)
      throw new ReviewFileError(
        path,
        `not a Heartbeat Sensei review: ${parsed.error.issues
          .slice(0, 3)
          .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
          .join('; ')}`
      );
    return parsed.data;
  }
  const annotator = ext.slice(1);
  if (!AnnotatorName.safeParse(annotator).success || ['hea', 'dat', 'mat', 'edf', 'tmp'].includes(annotator)) {
    throw new ReviewFileError(path, 'not a review file: import a .json or .csv review or a WFDB annotation file (<record>.<annotator>)');
  }
  const real = await realpath(path).catch(() => path);
  if ((await recordFilesIn(resolve(real, '..'))).has(basename(real))) throw new ReviewFileError(real, "a record's signal file, not an annotation file");
  // an annotation file holds no record of its own: read with another record it would fill that one's review
  // (or report) with its labels; it is <record>.<annotator>, so its name says whose it is
  const owner = basename(path, extname(path));
  if (record.name && owner !== record.name) throw new ReviewFileError(path, `belongs to another record (${owner}), not ${record.name}`);
  const bytes = await readReviewFile(path);
  // times stored at a "## time resolution" of their own are scaled to the record's frames, as rdann reads them,
  // or to `fs` when the record is reviewed at a multiple of its frame rate `frameFs` (a multi-frequency record)
  return annotationsToReview(asRdann(decodeAnnotations(bytes, path), record.frameFs ?? record.fs, record.fs), record);
}

// Writing a review (WFDB annotation file, CSV, JSON; always temp file + rename, never the
// record's own .atr without an explicit confirmation) and reading one back to continue.
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve, sep } from 'node:path';
import { mkdir } from 'node:fs/promises';
import { z } from 'zod';
import { writeAnnotations, readAnnotationFile, annotationPath } from '../wfdb/annotations';
import { writeFileAtomic } from '../wfdb/atomic';
import { ExportRequest, ReviewExport, type ExportResult } from '../../shared/review';
import { reviewToCsv, csvToReview, ReviewFileError } from './csv';
import { reviewToAnnotations, annotationsToReview } from './wfdb';

export { ReviewFileError };

export class ExportError extends Error {
  constructor(
    readonly code: 'CONFIRM_OVERWRITE' | 'BAD_TARGET',
    message: string,
  ) {
    super(message);
    this.name = 'ExportError';
  }
}

export interface ExportPlaces {
  /** Records under this folder (the bundled demo) are exported to `fallbackDir` instead of beside the record. */
  readOnlyDir?: string;
  fallbackDir: string;
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}

export function defaultExportPath(req: Pick<z.infer<typeof ExportRequest>, 'recordPath' | 'format' | 'annotator' | 'outDir'>, places: ExportPlaces): string {
  const rec = resolve(req.recordPath.endsWith('.hea') ? req.recordPath.slice(0, -4) : req.recordPath);
  const inReadOnly = places.readOnlyDir !== undefined && (rec + sep).startsWith(resolve(places.readOnlyDir) + sep);
  const base = req.outDir ? join(resolve(req.outDir), basename(rec)) : inReadOnly ? join(places.fallbackDir, basename(rec)) : rec;
  if (req.format === 'wfdb') return annotationPath(base, req.annotator ?? 'rev');
  return `${base}.review.${req.format}`;
}

export async function writeExport(req: z.infer<typeof ExportRequest>, places: ExportPlaces): Promise<ExportResult> {
  const file = resolve(req.outPath ?? defaultExportPath(req, places));
  const rec = resolve(req.recordPath.endsWith('.hea') ? req.recordPath.slice(0, -4) : req.recordPath);
  if (file === `${rec}.hea` || file === `${rec}.dat`) throw new ExportError('BAD_TARGET', `${file}: refusing to write over the record's own header or signal file.`);
  if (file === annotationPath(rec, 'atr') && (await exists(file)) && req.confirmOverwrite !== true) {
    throw new ExportError('CONFIRM_OVERWRITE', `${file} holds the record's reference annotations; confirm to replace it, or choose another annotator name.`);
  }
  await mkdir(dirname(file), { recursive: true });
  let bytes: Uint8Array;
  if (req.format === 'wfdb') {
    await writeAnnotations(file, reviewToAnnotations(req.review));
    bytes = await readFile(file);
  } else {
    bytes = new TextEncoder().encode(req.format === 'csv' ? reviewToCsv(req.review) : JSON.stringify(req.review, null, 1) + '\n');
    await writeFileAtomic(file, bytes);
  }
  const beats = req.review.beats.filter((b) => b.status !== 'deleted').length;
  return { file, bytes: bytes.byteLength, beats, episodes: req.review.episodes.length };
}

/** Reads a review back from a JSON, CSV or WFDB annotation file; `record` fills the record fields of annotation files. */
export async function importReview(file: string, record: { name: string; hash: string; fs: number }): Promise<ReviewExport> {
  const path = resolve(file);
  const ext = extname(path).toLowerCase();
  if (ext === '.json' || ext === '.csv') {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (e) {
      throw new ReviewFileError(path, (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : `cannot read: ${(e as Error).message}`);
    }
    if (ext === '.csv') return csvToReview(text, path);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      throw new ReviewFileError(path, `not JSON: ${(e as Error).message}`);
    }
    const parsed = ReviewExport.safeParse(json);
    if (!parsed.success) throw new ReviewFileError(path, `not a Heartbeat Sensei review: ${parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
    return parsed.data;
  }
  return annotationsToReview(await readAnnotationFile(path), record);
}


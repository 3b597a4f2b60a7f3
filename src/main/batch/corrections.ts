// Pooled review corrections as a beat dataset for training (`npm run train:beats -- --corrections DIR`):
// review exports (JSON, from any number of reviewers and records) are matched to their records by
// content hash, turned into the review's WFDB annotations (export/wfdb.ts) and cut into beats by
// the dataset's own code (dataset/beats.ts: the one preprocessing). Beats a person confirmed,
// relabelled or added are marked in reviewed.npy; the others (unreviewed: the model's own label)
// are rows too, because each beat's RR features need its neighbours, but training reads only the
// marked ones (training/hbs/corrections.py).
import { mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { importReview } from '../export';
import { reviewToAnnotations } from '../export/wfdb';
import { NpyWriter, referenceBeats, writeBeatDataset, type BeatDatasetMeta, type RecordRef } from '../dataset';
import { recordContentHash } from '../analysis/record';
import { databaseOf, openRecord, writeAnnotations } from '../wfdb';
import { HeartbeatError, type ErrorCode } from '../../shared/errors';
import type { ReviewExport } from '../../shared/review';

/** Reviewed = a person's label: confirmed, relabelled or added (deleted beats and X marks are not beats). */
const REVIEWED = new Set(['confirmed', 'relabelled', 'added']);

export class CorrectionsError extends HeartbeatError {
  override name = 'CorrectionsError';
  declare readonly file: string;
  constructor(file: string, problem: string, code: ErrorCode) {
    super(code, `${file}: ${problem}`, file);
  }
}

/** Per dataset row of the review's record (the dataset's beat order): 1 where a person labelled the beat. */
export function reviewedMask(review: ReviewExport): Uint8Array {
  const { sample } = referenceBeats(reviewToAnnotations(review));
  const byPerson = new Set(review.beats.filter((b) => REVIEWED.has(b.status) && b.label !== 'X').map((b) => b.sample));
  return Uint8Array.from(sample, (s) => (byPerson.has(s) ? 1 : 0));
}

async function filesUnder(dir: string, ext: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith(ext))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

/** Every record (.hea) under the folders, by content hash. */
async function recordsByHash(dirs: readonly string[], names: ReadonlySet<string>): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const d of dirs) {
    for (const hea of await filesUnder(resolve(d), '.hea')) {
      const path = hea.slice(0, -4);
      if (!names.has(basename(path))) continue;
      const rec = await openRecord(path);
      try {
        out.set(await recordContentHash(rec, path), path);
      } finally {
        await rec.close();
      }
    }
  }
  return out;
}

export interface CorrectionsSummary {
  records: { name: string; db: string; path: string; reviews: string[]; reviewer: string; beats: number; reviewed: number }[];
  /** Exports of a record that a later export of the same record replaced. */
  superseded: string[];
}

/**
 * Writes the corrections dataset of the review exports under `reviewsDir` into `outDir`: the beat
 * dataset files + meta.json (as `heartbeat-sensei dataset`), reviewed.npy and corrections.json.
 * The latest export of a record (exportedAt) is its review. Records are looked for under `recordDirs`.
 */
export async function writeCorrectionsDataset(reviewsDir: string, recordDirs: readonly string[], outDir: string): Promise<CorrectionsSummary> {
  const files = (await filesUnder(resolve(reviewsDir), '.json')).filter((f) => !f.startsWith(resolve(outDir)));
  if (files.length === 0) throw new CorrectionsError(reviewsDir, 'no review export (.json) found', 'NOT_FOUND');
  const latest = new Map<string, { review: ReviewExport; file: string; all: string[] }>();
  const superseded: string[] = [];
  for (const file of files) {
    const review = await importReview(file, { name: '', hash: '', fs: 1 });
    const prev = latest.get(review.record.hash);
    if (!prev) latest.set(review.record.hash, { review, file, all: [file] });
    else if (review.exportedAt > prev.review.exportedAt) {
      superseded.push(prev.file);
      latest.set(review.record.hash, { review, file, all: [...prev.all, file] });
    } else {
      superseded.push(file);
      prev.all.push(file);
    }
  }
  const paths = await recordsByHash(recordDirs, new Set([...latest.values()].map((x) => x.review.record.name)));
  // The dataset code reads a record's labels from <record>.<annotator> beside it: a scratch folder
  // of links to the record's files holds the review's annotations, so nothing is written beside the data.
  const scratch = await mkdtemp(join(tmpdir(), 'hbs-corrections-'));
  try {
    const refs: RecordRef[] = [];
    const masks: Uint8Array[] = [];
    const summary: CorrectionsSummary = { records: [], superseded };
    for (const [hash, { review, file, all }] of latest) {
      const path = paths.get(hash);
      if (!path)
        throw new CorrectionsError(
          file,
          `record ${review.record.name} (content hash ${hash.slice(0, 12)}…) not found under ${recordDirs.join(', ')}`,
          'NOT_FOUND'
        );
      const db = databaseOf(path);
      const here = join(scratch, String(refs.length));
      await mkdir(here);
      const rec = await openRecord(path);
      const signalFiles = [...new Set(rec.header.signals.map((s) => s.fileName).filter((f) => f && f !== '~'))];
      await rec.close();
      for (const f of [`${review.record.name}.hea`, ...signalFiles]) await symlink(join(dirname(path), f), join(here, f));
      await writeAnnotations(join(here, `${review.record.name}.rev`), reviewToAnnotations(review));
      refs.push({ name: review.record.name, db, path: join(here, review.record.name) });
      const mask = reviewedMask(review);
      masks.push(mask);
      summary.records.push({
        name: review.record.name,
        db,
        path,
        reviews: all,
        reviewer: review.reviewer,
        beats: mask.length,
        reviewed: mask.reduce((s, x) => s + x, 0),
      });
    }
    // the check and the corrections' own files before the dataset is moved in: all of it, or none
    await writeBeatDataset(refs, outDir, {
      annotator: 'rev',
      finish: async (meta: BeatDatasetMeta, path) => {
        meta.records.forEach((m, i) => {
          if (m.nBeats !== masks[i]!.length)
            throw new CorrectionsError(summary.records[i]!.reviews.at(-1)!, `${m.nBeats} beats cut, ${masks[i]!.length} in the review`, 'BAD_REVIEW_FILE');
          m.path = summary.records[i]!.path;
        });
        const w = new NpyWriter(path('reviewed.npy'), 'u1', []);
        for (const m of masks) w.append(m);
        w.close();
        await writeFile(path('corrections.json'), JSON.stringify({ format: 'heartbeat-sensei-corrections', version: 1, ...summary }, null, 2) + '\n');
        return ['reviewed.npy', 'corrections.json'];
      },
    });
    return summary;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

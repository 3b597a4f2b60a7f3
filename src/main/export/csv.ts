// The review as CSV: one row per beat and per rhythm episode (column `kind`), with who/when and an
// episode's source, preceded by one `#` line carrying the record, its hash, rate and threshold (so a
// re-import knows which record it belongs to). RFC 4180 quoting; text cells are always quoted, and those a
// spreadsheet would run as a formula (leading = + - @ tab CR) carry a leading ' that import drops.
// Written here (d3-dsv quotes only where needed, and the format quotes every text cell); read by d3-dsv.
import { csvParseRows } from 'd3-dsv';
import { HeartbeatError, type ErrorCode } from '../../shared/errors';
import { REVIEW_FORMAT, ReviewExport, type ReviewedBeat, type ReviewedEpisode } from '../../shared/review';
import { episodeName } from '../../shared/analysis';

export const CSV_COLUMNS = [
  'kind',
  'sample',
  'end_sample',
  'time_s',
  'label',
  'status',
  'predicted',
  'pvc_score',
  'reference',
  'confidence',
  'explanation',
  'reviewer',
  'reviewed_at',
  // appended (the columns before it keep their places): who found an episode (model, rules, reference;
  // none for the reviewer's own), as the JSON export carries it; files written before lack it
  'source',
] as const;

/** The columns every review CSV has: those before `source`, which older exports lack. */
const REQUIRED_COLUMNS = CSV_COLUMNS.length - 1;

export class ReviewFileError extends HeartbeatError {
  override name = 'ReviewFileError';
  declare readonly file: string;
  constructor(file: string, problem: string, code: Extract<ErrorCode, 'NOT_FOUND' | 'BAD_REVIEW_FILE'> = 'BAD_REVIEW_FILE') {
    super(code, `${file}: ${problem}`, file);
  }
}

/** Formula-leading cells, also when already prefixed (so the prefix round-trips). */
const FORMULA = /^'*[=+\-@\t\r]/;

/** A number cell: plain (the exporter's numbers are never negative). */
function num(v: string | number | undefined): string {
  if (v === undefined) return '';
  const s = String(v);
  return /^[0-9.]+$/.test(s) ? s : text(s);
}

/** A text cell: quoted, with a ' before a formula-leading value. */
function text(v: string | undefined): string {
  if (v === undefined) return '';
  const s = FORMULA.test(v) ? `'${v}` : v;
  return `"${s.replace(/"/g, '""')}"`;
}

/** Inverse of text()'s formula guard. */
export function unguard(v: string): string {
  return v.startsWith("'") && FORMULA.test(v) ? v.slice(1) : v;
}

/** "task:id:version;…" of a CSV's meta line back to the export's models (an id may hold ':', a version not). */
function modelsOf(text: string): { task: string; id: string; version: string }[] {
  return text.split(';').map((m) => {
    const task = m.slice(0, m.indexOf(':'));
    const rest = m.slice(task.length + 1);
    return { task, id: rest.slice(0, rest.lastIndexOf(':')), version: rest.slice(rest.lastIndexOf(':') + 1) };
  });
}

export function reviewToCsv(r: ReviewExport): string {
  const meta = new URLSearchParams({
    format: REVIEW_FORMAT,
    version: '1',
    record: r.record.name,
    hash: r.record.hash,
    fs: String(r.record.fs),
    threshold: r.threshold === null ? '' : String(r.threshold),
    exportedAt: r.exportedAt,
    reviewer: r.reviewer,
    ...(r.models ? { models: r.models.map((m) => `${m.task}:${m.id}:${m.version}`).join(';') } : {}),
  });
  const lines = [`# ${meta.toString()}`, CSV_COLUMNS.join(',')];
  const t = (s: number) => (s / r.record.fs).toFixed(3);
  for (const b of r.beats) {
    lines.push(
      [
        'beat',
        num(b.sample),
        '',
        num(t(b.sample)),
        text(b.label),
        text(b.status),
        text(b.predicted),
        // in full: pvc_score >= the threshold must give the label (rounded, a score just under it read as over)
        num(b.pvcScore === undefined ? undefined : String(b.pvcScore)),
        text(b.reference),
        '',
        '',
        text(b.reviewer),
        text(b.reviewedAt),
        '',
      ].join(',')
    );
  }
  for (const e of r.episodes) {
    lines.push(
      [
        'episode',
        num(e.onsetSample),
        num(e.offsetSample),
        num(t(e.onsetSample)),
        // VF is a VT episode of rhythm VF: named as the app names it
        text(episodeName(e)),
        text(e.status),
        '',
        '',
        '',
        num(e.confidence.toFixed(3)),
        text(e.explanation),
        text(e.reviewer),
        text(e.reviewedAt),
        text(e.source),
      ].join(',')
    );
  }
  return lines.join('\n') + '\n';
}

export function csvToReview(text: string, file: string): ReviewExport {
  const lines = text.split(/\r?\n/);
  const first = lines[0] ?? '';
  if (!first.startsWith('# '))
    throw new ReviewFileError(file, 'not a Heartbeat Sensei review CSV (its first line should start with "# format=heartbeat-sensei-review")');
  const meta = new URLSearchParams(first.slice(2));
  if (meta.get('format') !== REVIEW_FORMAT) throw new ReviewFileError(file, `not a Heartbeat Sensei review CSV (format should be ${REVIEW_FORMAT})`);
  const rows = csvParseRows(lines.slice(1).join('\n')).filter((r) => r.length > 1 || r[0] !== '');
  const header = rows.shift();
  if (!header || header.length < REQUIRED_COLUMNS || header.length > CSV_COLUMNS.length || header.some((c, i) => CSV_COLUMNS[i] !== c))
    throw new ReviewFileError(file, `the column header should be ${CSV_COLUMNS.join(',')}`);
  const col = (r: string[], name: (typeof CSV_COLUMNS)[number]): string | undefined => {
    const v = r[CSV_COLUMNS.indexOf(name)];
    return v === undefined || v === '' ? undefined : unguard(v);
  };
  const beats: ReviewedBeat[] = [];
  const episodes: ReviewedEpisode[] = [];
  rows.forEach((r, i) => {
    const kind = r[0];
    const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));
    if (kind === 'beat') {
      beats.push({
        sample: Number(col(r, 'sample')),
        label: col(r, 'label') as ReviewedBeat['label'],
        status: col(r, 'status') as ReviewedBeat['status'],
        predicted: col(r, 'predicted') as ReviewedBeat['predicted'],
        pvcScore: num(col(r, 'pvc_score')),
        reference: col(r, 'reference'),
        reviewer: col(r, 'reviewer'),
        reviewedAt: col(r, 'reviewed_at'),
      });
    } else if (kind === 'episode') {
      const label = col(r, 'label');
      episodes.push({
        ...(label === 'VF' ? { type: 'VT' as const, rhythm: 'VF' as const } : { type: label as ReviewedEpisode['type'] }),
        onsetSample: Number(col(r, 'sample')),
        offsetSample: Number(col(r, 'end_sample')),
        confidence: Number(col(r, 'confidence') ?? 0),
        explanation: col(r, 'explanation') ?? '',
        status: col(r, 'status') as ReviewedEpisode['status'],
        reviewer: col(r, 'reviewer'),
        reviewedAt: col(r, 'reviewed_at'),
        source: col(r, 'source') as ReviewedEpisode['source'],
      });
    } else throw new ReviewFileError(file, `row ${i + 3}: the kind column must be "beat" or "episode"`);
  });
  const thr = meta.get('threshold');
  const parsed = ReviewExport.safeParse({
    format: REVIEW_FORMAT,
    version: Number(meta.get('version')),
    record: { name: meta.get('record') ?? '', hash: meta.get('hash') ?? '', fs: Number(meta.get('fs')) },
    threshold: thr ? Number(thr) : null,
    exportedAt: meta.get('exportedAt') ?? '',
    reviewer: meta.get('reviewer') ?? '',
    beats,
    episodes,
    ...(meta.get('models') ? { models: modelsOf(meta.get('models')!) } : {}),
  });
  if (!parsed.success)
    throw new ReviewFileError(
      file,
      `invalid review: ${parsed.error.issues
        .slice(0, 3)
        .map((i) => `${i.path.join('.')}: ${i.message}`)
        .join('; ')}`
    );
  return parsed.data;
}

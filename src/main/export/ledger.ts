// Which files are earlier exports of which record, so a re-export replaces its own earlier file
// without a question and anything else only with a confirmation. The ledger (JSON in the data
// folder) keeps, per real path, the record's content hash and the SHA-256 of the bytes written:
// a file edited since, or written by anyone else, is not an earlier export. JSON and CSV exports
// also carry the record's hash in their content, which identifies them where there is no ledger
// (with one, it decides: another reviewer's export of the same record is theirs, not an earlier one).
import { createHash } from 'node:crypto';
import { mkdir, readFile, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { writeFileAtomic } from '../files/atomic';
import { REVIEW_FORMAT } from '../../shared/review';
import type { ExportFormat } from './target';

interface Entry {
  record: string;
  sha256: string;
}

/** Files larger than this are never read to identify an earlier export. */
const MAX_IDENTIFY_BYTES = 512 * 1024 * 1024;

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

async function load(file: string): Promise<Map<string, Entry>> {
  const out = new Map<string, Entry>();
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch {
    return out; // absent or damaged: no file counts as an earlier export (the safe side)
  }
  const files = (json as { files?: unknown } | null)?.files;
  if (!files || typeof files !== 'object' || Array.isArray(files)) return out;
  for (const [path, e] of Object.entries(files)) {
    const { record, sha256: sum } = (e ?? {}) as Partial<Entry>;
    if (typeof record === 'string' && typeof sum === 'string') out.set(path, { record, sha256: sum });
  }
  return out;
}

const queues = new Map<string, Promise<unknown>>();

/** Runs `fn` after every earlier update of the same ledger file (one process). */
function serial<T>(ledger: string, fn: () => Promise<T>): Promise<T> {
  const prev = queues.get(ledger) ?? Promise.resolve();
  const next = prev.then(fn, fn);
  queues.set(
    ledger,
    next.catch(() => undefined)
  );
  return next;
}

/** Records that `file` now holds `bytes`, exported from the record with content hash `recordHash`. */
export function noteExport(ledger: string, file: string, recordHash: string, bytes: Uint8Array): Promise<void> {
  return serial(ledger, async () => {
    const m = await load(ledger);
    m.set(file, { record: recordHash, sha256: sha256(bytes) });
    const files: Record<string, Entry> = {};
    for (const [k, v] of [...m].sort(([a], [b]) => a.localeCompare(b))) files[k] = v;
    await mkdir(dirname(ledger), { recursive: true });
    await writeFileAtomic(ledger, new TextEncoder().encode(JSON.stringify({ version: 1, files }, null, 1) + '\n'));
  }).catch(() => undefined); // the export is written; without its entry the next one only asks to confirm
}

function reviewHashOf(bytes: Buffer, format: ExportFormat): string | null {
  try {
    if (format === 'json') {
      const r = JSON.parse(bytes.toString('utf8')) as { format?: unknown; record?: { hash?: unknown } };
      return r?.format === REVIEW_FORMAT && typeof r.record?.hash === 'string' ? r.record.hash : null;
    }
    if (format === 'csv') {
      const first =
        bytes
          .subarray(0, Math.min(bytes.length, 64 * 1024))
          .toString('utf8')
          .split(/\r?\n/, 1)[0] ?? '';
      if (!first.startsWith('# ')) return null;
      const meta = new URLSearchParams(first.slice(2));
      return meta.get('format') === REVIEW_FORMAT ? meta.get('hash') : null;
    }
  } catch {
    return null;
  }
  return null;
}

/** True when `file` is an earlier export of the record whose content hash is `recordHash`. */
export async function isEarlierExport(file: string, format: ExportFormat, recordHash: string, ledger?: string): Promise<boolean> {
  if (!recordHash) return false;
  try {
    if ((await stat(file)).size > MAX_IDENTIFY_BYTES) return false;
    const bytes = await readFile(file);
    if (!ledger) return reviewHashOf(bytes, format) === recordHash;
    const e = (await load(ledger)).get(file);
    return e !== undefined && e.record === recordHash && e.sha256 === sha256(bytes);
  } catch {
    return false;
  }
}

// On-disk cache of analyses, keyed by (record content hash, models used, settings). One binary
// file per key: a JSON head describing the object with its typed arrays replaced by references,
// then the arrays' bytes (8-byte aligned). Written to a temporary file then renamed, so a crash
// never leaves a half-written entry; a damaged entry is ignored and recomputed. The folder is kept
// under a size budget: a read marks an entry used (its time), a write removes the least recently used.
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, stat, unlink, utimes } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { Analysis } from '../../shared/analysis';
import { writeFileAtomic } from '../wfdb/atomic';
import { envSetting } from '../app/env';

const MAGIC = 0x41534248; // "HBSA" little-endian
/** Bumped whenever the pipeline's output for the same inputs changes (old entries are then ignored). */
export const CACHE_FORMAT = 28;

type Typed = Int32Array | Float32Array | Uint8Array | Float64Array;
const CTORS = { Int32Array, Float32Array, Uint8Array, Float64Array } as const;
type TypedName = keyof typeof CTORS;
interface ArrayRef {
  $typed: TypedName;
  offset: number;
  length: number;
}

/** HEARTBEAT_CACHE_DIR, else ~/.cache/heartbeat-sensei. */
export function defaultCacheDir(): string {
  return resolve(envSetting('HEARTBEAT_CACHE_DIR') ?? join(homedir(), '.cache', 'heartbeat-sensei'));
}

/** The cache key: a SHA-256 of everything the result depends on (threshold excluded: re-labelled). */
export function cacheKey(parts: { recordHash: string; models: unknown; settings: unknown }): string {
  return createHash('sha256')
    .update(JSON.stringify({ format: CACHE_FORMAT, ...parts }))
    .digest('hex');
}

function typedName(v: unknown): TypedName | null {
  for (const name of Object.keys(CTORS) as TypedName[]) if (v instanceof CTORS[name]) return name;
  return null;
}

export function encodeAnalysis(a: Analysis): Uint8Array {
  const arrays: Typed[] = [];
  let offset = 0;
  const head = JSON.stringify(a, function (this: unknown, _key, value: unknown) {
    const name = typedName(value);
    if (!name) return value;
    const t = value as Typed;
    offset = (offset + 7) & ~7;
    const ref: ArrayRef = { $typed: name, offset, length: t.length };
    offset += t.byteLength;
    arrays.push(t);
    return ref;
  });
  const headBytes = Buffer.from(head, 'utf8');
  const start = (8 + headBytes.length + 7) & ~7;
  const out = new Uint8Array(start + offset);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, MAGIC, true);
  dv.setUint32(4, headBytes.length, true);
  out.set(headBytes, 8);
  let at = 0;
  for (const t of arrays) {
    at = (at + 7) & ~7;
    out.set(new Uint8Array(t.buffer, t.byteOffset, t.byteLength), start + at);
    at += t.byteLength;
  }
  return out;
}

/** Decodes a cache entry; null when it is damaged or not an analysis. */
export function decodeAnalysis(bytes: Uint8Array): Analysis | null {
  if (bytes.length < 8) return null;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (dv.getUint32(0, true) !== MAGIC) return null;
  const len = dv.getUint32(4, true);
  if (8 + len > bytes.length) return null;
  const start = (8 + len + 7) & ~7;
  let bad = false;
  let obj: unknown;
  try {
    obj = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset + 8, len).toString('utf8'), (_key, value: unknown) => {
      if (!value || typeof value !== 'object' || !('$typed' in value)) return value;
      const ref = value as ArrayRef;
      const C = CTORS[ref.$typed];
      const byteLen = ref.length * (C?.BYTES_PER_ELEMENT ?? 0);
      if (!C || start + ref.offset + byteLen > bytes.length) {
        bad = true;
        return null;
      }
      // A fresh, aligned copy (Buffer#slice would be a view into the whole file).
      const copy = new Uint8Array(byteLen);
      copy.set(bytes.subarray(start + ref.offset, start + ref.offset + byteLen));
      return new C(copy.buffer, 0, ref.length);
    });
  } catch {
    return null;
  }
  if (bad) return null;
  const parsed = Analysis.safeParse(obj);
  return parsed.success ? parsed.data : null;
}

const ENTRY = /^[0-9a-f]{64}\.hbsa$/;
/** HEARTBEAT_CACHE_MAX_MB, else 2048: ~100 analyses of 24-hour Holters, thousands of 30-minute records. */
export function cacheBudgetBytes(): number {
  // set but empty is unset: Number('') is 0, a budget that would empty the cache on every write
  const raw = envSetting('HEARTBEAT_CACHE_MAX_MB');
  const mb = raw ? Number(raw) : NaN;
  return (Number.isFinite(mb) && mb >= 0 ? mb : 2048) * 1024 * 1024;
}

export async function readCache(dir: string, key: string): Promise<Analysis | null> {
  const path = join(dir, `${key}.hbsa`);
  try {
    const hit = decodeAnalysis(await readFile(path));
    if (hit) {
      const now = new Date();
      await utimes(path, now, now).catch(() => undefined); // used now: the last to be evicted
    }
    return hit;
  } catch {
    return null;
  }
}

export async function writeCache(dir: string, key: string, a: Analysis, budgetBytes = cacheBudgetBytes()): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFileAtomic(join(dir, `${key}.hbsa`), encodeAnalysis(a));
  await pruneCache(dir, budgetBytes, key).catch(() => undefined);
}

/**
 * Removes the entries used longest ago until the folder's entries fit in `budgetBytes`; `keep` (the
 * entry just written) stays even when it alone is over. Only files named as entries are counted or
 * removed. Another process pruning or reading at the same time only makes a removal fail, ignored.
 */
export async function pruneCache(dir: string, budgetBytes: number, keep?: string): Promise<string[]> {
  const names = (await readdir(dir)).filter((n) => ENTRY.test(n));
  const entries = (
    await Promise.all(
      names.map((name) =>
        stat(join(dir, name)).then(
          (s) => (s.isFile() ? { name, size: s.size, used: s.mtimeMs } : null),
          () => null
        )
      )
    )
  ).filter((e) => e !== null);
  let total = entries.reduce((t, e) => t + e.size, 0);
  if (total <= budgetBytes) return [];
  entries.sort((a, b) => a.used - b.used);
  const removed: string[] = [];
  for (const e of entries) {
    if (total <= budgetBytes) break;
    if (e.name === `${keep}.hbsa`) continue;
    try {
      await unlink(join(dir, e.name));
      removed.push(e.name);
    } catch {
      // gone already, or held open elsewhere (Windows): left for the next write
    }
    total -= e.size;
  }
  return removed;
}

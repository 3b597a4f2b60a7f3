// Atomic file writes: data goes to a temporary file in the same directory, which is then renamed
// over the target, so a reader never sees a half-written file. Used for every file the app writes
// (records' annotations and signals, exports, models, the analysis cache, CLI outputs).
import { link, open, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { errorCodeOf, HeartbeatError } from '../../shared/errors';

/** A file that could not be written: NOT_FOUND (its folder is missing) or IO, naming the file. */
export class FileError extends HeartbeatError {
  override name = 'FileError';
  declare readonly file: string;
  constructor(code: 'NOT_FOUND' | 'IO', file: string, problem: string) {
    super(code, `${file}: ${problem}`, file);
  }
}

/** A file-system error as a FileError naming the file; an error that already has one of ErrorCode passes through. */
function fsError(file: string, err: unknown, what: string): Error {
  if (err instanceof Error && errorCodeOf(err) !== 'INTERNAL') return err;
  const code = (err as NodeJS.ErrnoException | null)?.code;
  if (code === 'ENOENT') return new FileError('NOT_FOUND', file, 'file not found');
  if (code === 'EISDIR') return new FileError('IO', file, 'is a directory, not a file');
  if (code === 'EACCES' || code === 'EPERM') return new FileError('IO', file, `${what}: permission denied`);
  const msg = err instanceof Error ? err.message : String(err);
  return new FileError('IO', file, `${what}: ${msg}`);
}

export function tempPathFor(file: string): string {
  return join(dirname(file), `.${basename(file)}.${process.pid}.${Math.random().toString(36).slice(2, 10)}.tmp`);
}

/** The target's name and the process of a temporary tempPathFor named; null for any other file name. */
export function tempTarget(name: string): { target: string; pid: number } | null {
  const m = /^\.(.+)\.(\d+)\.[0-9a-z]{1,8}\.tmp$/.exec(name);
  return m ? { target: m[1]!, pid: Number(m[2]) } : null;
}

/** Writes chunks produced by `produce` to a temporary file; returns its path (caller renames). */
export async function writeTemp(file: string, produce: (write: (bytes: Uint8Array) => Promise<void>) => Promise<void>): Promise<string> {
  const tmp = tempPathFor(file);
  let fh;
  try {
    fh = await open(tmp, 'wx');
  } catch (err) {
    throw fsError(file, err, 'cannot write');
  }
  try {
    await produce(async (bytes) => {
      let off = 0;
      while (off < bytes.length) {
        const { bytesWritten } = await fh.write(bytes, off, bytes.length - off);
        off += bytesWritten;
      }
    });
    await fh.sync();
    await fh.close();
  } catch (err) {
    await fh.close().catch(() => undefined);
    await unlink(tmp).catch(() => undefined);
    throw fsError(file, err, 'cannot write');
  }
  return tmp;
}

/** Renames temporaries over their targets; on failure removes what is left. */
export async function commitTemps(pairs: [tmp: string, file: string][]): Promise<void> {
  for (const [tmp, file] of pairs) {
    try {
      await rename(tmp, file);
    } catch (err) {
      await Promise.all(pairs.map(([t]) => unlink(t).catch(() => undefined)));
      throw fsError(file, err, 'cannot write');
    }
  }
}

/**
 * Writes bytes to `file` atomically. `beforeCommit` runs between the flush and the rename (e.g. a
 * last cancellation check); when it throws, the temporary file is removed, `file` is untouched and
 * its error propagates as it is.
 */
export async function writeFileAtomic(file: string, bytes: Uint8Array, beforeCommit?: () => void): Promise<void> {
  const tmp = await writeTemp(file, (write) => write(bytes));
  try {
    beforeCommit?.();
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
  await commitTemps([[tmp, file]]);
}

/**
 * writeFileAtomic for a file nobody chose to replace (a default output name): the flushed temporary
 * is linked in place, which fails when a file appeared there meanwhile (FileError IO naming it: that
 * file is left as it is). Where the file system has no hard links, the rename follows a last check.
 */
export async function writeNewFileAtomic(file: string, bytes: Uint8Array): Promise<void> {
  const tmp = await writeTemp(file, (write) => write(bytes));
  try {
    await link(tmp, file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new FileError('IO', file, 'appeared while it was being made; it is left as it is (name the output to replace it)');
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw fsError(file, err, 'cannot write');
    if (
      await stat(file).then(
        () => true,
        () => false
      )
    )
      throw new FileError('IO', file, 'appeared while it was being made; it is left as it is (name the output to replace it)');
    await rename(tmp, file).catch((e: unknown) => {
      throw fsError(file, e, 'cannot write');
    });
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
}

/**
 * Writes several files atomically: their temporaries are written and flushed together (the flushes
 * overlap), then renamed in the order given, so a file that marks the others complete can go last.
 * When a temporary cannot be written, none of the files is touched.
 */
export async function writeFilesAtomic(files: readonly (readonly [file: string, bytes: Uint8Array])[]): Promise<void> {
  const temps = await Promise.allSettled(files.map(([file, bytes]) => writeTemp(file, (write) => write(bytes))));
  const failed = temps.find((t): t is PromiseRejectedResult => t.status === 'rejected');
  if (failed) {
    await Promise.all(temps.map((t) => (t.status === 'fulfilled' ? unlink(t.value).catch(() => undefined) : undefined)));
    throw failed.reason;
  }
  await commitTemps(temps.map((t, i) => [(t as PromiseFulfilledResult<string>).value, files[i]![0]]));
}

// A lock between processes on one file's read-modify-write (the model registry's manifest, which
// the app and the CLI both change): a lock file created exclusively beside it, holding the owner's
// pid. No library: the lock needs exclusive create, a liveness check and a retry, which the
// platform gives (open 'wx', process.kill(pid, 0)).
import { randomBytes } from 'node:crypto';
import { open, readFile, rm, stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { FileError } from './atomic';

export interface LockOptions {
  /** How long to wait for the lock before giving up (default 10 s). */
  timeoutMs?: number;
  /** A lock older than this is taken over even when its owner seems alive (default 60 s). */
  staleMs?: number;
}

/** Whether the process `pid` of this machine still runs. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'; // exists, someone else's
  }
}

/** The lock's owner as it wrote it ("<pid> <token>"), or null when there is no lock (or it cannot be read). */
async function ownerOf(lock: string): Promise<string | null> {
  return readFile(lock, 'utf8').catch(() => null);
}

/** Whether the lock holding `owner` was left by a process that is gone, or is older than `staleMs`. */
async function stale(lock: string, owner: string, staleMs: number): Promise<boolean> {
  const st = await stat(lock).catch(() => null);
  if (!st) return false; // gone already: try again
  if (Date.now() - st.mtimeMs > staleMs) return true;
  const pid = Number.parseInt(owner, 10);
  // a lock just created may not hold its owner yet: wait for it
  return Number.isInteger(pid) && pid > 0 && pid !== process.pid && !processAlive(pid);
}

/**
 * Removes a stale lock if it still holds `owner`, holding `<lock>.takeover` meanwhile: of the waiters
 * that judged it stale, one removes it, and the others then find the lock a fresh owner made since.
 * A takeover guard left by a process that died in these few lines goes after 10 s.
 */
async function takeOver(lock: string, owner: string): Promise<void> {
  const guard = `${lock}.takeover`;
  try {
    await (await open(guard, 'wx')).close();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw new FileError('IO', guard, `cannot create the lock file: ${(e as Error).message}`);
    const st = await stat(guard).catch(() => null);
    if (st && Date.now() - st.mtimeMs > 10_000) await rm(guard, { force: true });
    return;
  }
  try {
    if ((await ownerOf(lock)) === owner) await rm(lock, { force: true });
  } finally {
    await rm(guard, { force: true });
  }
}

/**
 * Runs `fn` holding `<file>.lock`. Waits while another process holds it; takes over a lock whose
 * owner has died or that is older than `staleMs`; throws FileError IO after `timeoutMs`. A lock is
 * taken over (takeOver), and released, only while it still holds the owner read (each holder writes a
 * token of its own): a waiter that judged a lock stale never removes a fresh one made since.
 */
export async function withFileLock<T>(file: string, fn: () => Promise<T>, o: LockOptions = {}): Promise<T> {
  const lock = `${file}.lock`;
  const me = `${process.pid} ${randomBytes(8).toString('hex')}`;
  const deadline = Date.now() + (o.timeoutMs ?? 10_000);
  for (let wait = 5; ; wait = Math.min(100, wait * 2)) {
    try {
      const fh = await open(lock, 'wx');
      try {
        await fh.writeFile(me);
      } finally {
        await fh.close();
      }
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw new FileError('IO', lock, `cannot create the lock file: ${(e as Error).message}`);
    }
    const owner = await ownerOf(lock);
    if (owner !== null && (await stale(lock, owner, o.staleMs ?? 60_000))) {
      await takeOver(lock, owner);
      continue;
    }
    if (Date.now() > deadline) throw new FileError('IO', file, `busy: another process has held ${lock} for over ${(o.timeoutMs ?? 10_000) / 1000} s`);
    await sleep(wait);
  }
  try {
    return await fn();
  } finally {
    if ((await ownerOf(lock)) === me) await rm(lock, { force: true });
  }
}

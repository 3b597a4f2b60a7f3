// A lock between processes on one file's read-modify-write (the model registry's manifest, which
// the app and the CLI both change): a lock file created exclusively beside it, holding the owner's
// pid. No library: the lock needs exclusive create, a liveness check and a retry, which the
// platform gives (open 'wx', process.kill(pid, 0)).
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
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'; // exists, someone else's
  }
}

/** Whether the lock file was left by a process that is gone, or is older than `staleMs`. */
async function stale(lock: string, staleMs: number): Promise<boolean> {
  const [text, st] = await Promise.all([readFile(lock, 'utf8').catch(() => null), stat(lock).catch(() => null)]);
  if (!st) return false; // gone already: try again
  if (Date.now() - st.mtimeMs > staleMs) return true;
  const pid = Number.parseInt(text ?? '', 10);
  // a lock just created may not hold its pid yet: wait for it
  return Number.isInteger(pid) && pid > 0 && pid !== process.pid && !alive(pid);
}

/**
 * Runs `fn` holding `<file>.lock`. Waits while another process holds it; takes over a lock whose
 * owner has died or that is older than `staleMs`; throws FileError IO after `timeoutMs`.
 */
export async function withFileLock<T>(file: string, fn: () => Promise<T>, o: LockOptions = {}): Promise<T> {
  const lock = `${file}.lock`;
  const deadline = Date.now() + (o.timeoutMs ?? 10_000);
  for (let wait = 5; ; wait = Math.min(100, wait * 2)) {
    try {
      const fh = await open(lock, 'wx');
      try {
        await fh.writeFile(String(process.pid));
      } finally {
        await fh.close();
      }
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw new FileError('IO', lock, `cannot create the lock file: ${(e as Error).message}`);
    }
    if (await stale(lock, o.staleMs ?? 60_000)) {
      await rm(lock, { force: true });
      continue;
    }
    if (Date.now() > deadline) throw new FileError('IO', file, `busy: another process has held ${lock} for over ${(o.timeoutMs ?? 10_000) / 1000} s`);
    await sleep(wait);
  }
  try {
    return await fn();
  } finally {
    await rm(lock, { force: true });
  }
}

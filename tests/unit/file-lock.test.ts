// The lock between processes on the registry manifest's read-modify-write (src/main/files/lock.ts):
// holders in turn, a dead owner's lock taken over, a live owner's waited for until the timeout.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { withFileLock } from '../../src/main/files/lock';

const dir = mkdtempSync(join(tmpdir(), 'hbs-lock-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('withFileLock', () => {
  it('runs holders one at a time and removes the lock after each', async () => {
    const file = join(dir, 'a.json');
    const log: string[] = [];
    const holder = (name: string) =>
      withFileLock(file, async () => {
        log.push(`${name} in`);
        await new Promise((r) => setTimeout(r, 20));
        log.push(`${name} out`);
      });
    await Promise.all([holder('x'), holder('y'), holder('z')]);
    for (let i = 0; i < log.length; i += 2) expect(log[i + 1]).toBe(log[i]!.replace('in', 'out'));
    expect(existsSync(`${file}.lock`)).toBe(false);
  });

  it('of several waiters that find one lock of an ended process, one at a time holds it', async () => {
    let most = 0;
    for (let round = 0; round < 10; round++) {
      const file = join(dir, `c${round}.json`);
      writeFileSync(`${file}.lock`, '999999 gone');
      let inside = 0;
      const body = async () => {
        most = Math.max(most, ++inside);
        await new Promise((r) => setTimeout(r, 20));
        inside--;
      };
      await Promise.all([withFileLock(file, body), withFileLock(file, body), withFileLock(file, body)]);
    }
    expect(most).toBe(1);
  });

  it('takes over the lock of a process that has ended; waits for a live one until the timeout', async () => {
    const file = join(dir, 'b.json');
    const gone = spawn(process.execPath, ['-e', '0']);
    const pid = gone.pid!;
    await new Promise((r) => gone.once('exit', r));
    writeFileSync(`${file}.lock`, String(pid));
    expect(await withFileLock(file, async () => 'taken over')).toBe('taken over');
    const live = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 20000)']);
    try {
      writeFileSync(`${file}.lock`, String(live.pid));
      await expect(withFileLock(file, async () => 'never', { timeoutMs: 300 })).rejects.toThrow(/busy/);
      // and one older than staleMs is taken over even with its owner alive
      await new Promise((r) => setTimeout(r, 60));
      expect(await withFileLock(file, async () => 'stale', { staleMs: 50 })).toBe('stale');
    } finally {
      live.kill();
    }
  });
});

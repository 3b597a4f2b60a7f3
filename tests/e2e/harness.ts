// Starts `npm run start:web` as a user would (reading the `Review UI: …` line it prints), and
// Chromium through playwright-core (which one: tests/helpers/browser.ts).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { testBrowser } from '../helpers/browser';

export const ROOT = resolve(import.meta.dirname, '../..');
export const SHOTS = resolve(ROOT, 'tests/e2e/screenshots');

export interface WebServer {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

const LINE = /^Review UI: (http:\/\/127\.0\.0\.1:(\d+)\/\?token=([A-Za-z0-9_-]+))$/m;

export async function startWeb(env: Record<string, string> = {}): Promise<WebServer> {
  const child = spawn(process.execPath, [resolve(ROOT, 'node_modules/tsx/dist/cli.mjs'), 'scripts/start-web.ts', '--no-open', '--port', '0'], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const url = await new Promise<string>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`start:web printed no URL in 120 s\nstdout: ${out}\nstderr: ${err}`)), 120_000);
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = LINE.exec(out);
      if (m) {
        clearTimeout(timer);
        ok(m[1]!);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`start:web exited with ${code}\nstdout: ${out}\nstderr: ${err}`));
    });
  });
  return {
    url,
    child,
    stop: () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
      }),
  };
}

export async function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  const browser = await testBrowser();
  await mkdir(SHOTS, { recursive: true });
  return chromium.launch({
    executablePath: browser.path,
    args: ['--headless', '--no-sandbox', '--disable-gpu', ...extraArgs],
    env: { ...process.env, ...browser.env } as Record<string, string>,
  });
}

/** Percentile of a list of numbers (nearest rank). */
export function percentile(xs: readonly number[], p: number): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

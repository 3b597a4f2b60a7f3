// The navigation-key measurement shared by the bench (navigation.bench.ts) and the scripts that
// compare builds (navigation-ab.ts, navigation-trace.ts): the 24-h synthetic Holter, opened in the
// review UI and analysed, each key timed from its keydown to the end of the frame that shows it
// (rAF, then a user-blocking task after the frame's commit).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { launchChromium, ROOT } from '../tests/e2e/harness';

export const TARGET_MS = 16;
/** Keys and presses per run. */
export const KEYS = [
  ['j', 60],
  ['k', 60],
  ['ArrowRight', 60],
  ['Enter', 60],
] as const;

/** Writes the benchmark's 24-h Holter (synthetic, 2 leads, 360 Hz) to `rec` (a path without extension). */
export function makeHolter(rec: string): void {
  const s = spawnSync(
    process.execPath,
    [resolve(ROOT, 'bin/heartbeat-sensei.mjs'), 'synth', '--scenario', 'holter', '--minutes', '1440', '--seed', '3', '--out', rec],
    { cwd: ROOT, encoding: 'utf8' }
  );
  if (s.status !== 0) throw new Error(`synth failed: ${s.stderr}`);
}

/** Polls `expr` in the page until it is truthy (waitForFunction evaluates strings, which the page's CSP refuses). */
export async function until(page: Page, expr: string, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await page.evaluate(expr))) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${expr}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Opens the record at `rec` in the UI at `url`, waits for its analysis, arms the key timer and goes to the first flagged beat. */
export async function openHolter(page: Page, url: string, rec: string): Promise<void> {
  await page.goto(url);
  await page.waitForSelector('[data-testid=path]');
  await page.fill('[data-testid=path]', rec);
  await page.keyboard.press('Enter');
  await until(page, `(document.querySelector('[data-testid=status]')?.textContent ?? '').includes('24:00:00')`, 120_000);
  await page.waitForSelector('[data-testid=flagged-count]', { timeout: 600_000 });
  await page.waitForSelector('[data-testid=analysis-progress]', { state: 'detached', timeout: 600_000 });
  await page.evaluate('document.activeElement && document.activeElement.blur()');
  await page.mouse.move(5, 5);
  // capture phase: starts before the app's handler. The rAF runs in the frame that shows the key;
  // a user-blocking task posted from it runs as soon as that frame is committed, ahead of the
  // ordinary tasks already queued (a message or timer would wait behind the app's post-paint work,
  // its store write and signal prefetch, which do not hold back the frame on screen).
  await page.evaluate(`(() => {
    window.__nav = [];
    let t0 = 0;
    const frameShown = () => window.__nav.push(performance.now() - t0);
    window.addEventListener('keydown', () => {
      t0 = performance.now();
      requestAnimationFrame(() => scheduler.postTask(frameShown, { priority: 'user-blocking' }));
    }, true);
  })()`);
  await page.keyboard.press('j'); // the first flagged beat: fetches its stretch of signal
  await page.waitForSelector('[data-testid=current-beat]');
  await page.waitForTimeout(1000); // settle the first fetch (only the warm-up waits on time)
}

/** Presses `key` n times, one at a time, each timed from keydown to the end of its frame. */
export async function timeKey(page: Page, key: string, n: number): Promise<number[]> {
  await page.evaluate('window.__nav = []');
  for (let i = 0; i < n; i++) {
    await page.keyboard.press(key);
    await until(page, `window.__nav.length >= ${i + 1}`, 10_000);
  }
  return (await page.evaluate('window.__nav.slice()')) as number[];
}

/** A built renderer's folder (out/renderer or a copy) from the command line, or exit 2 with `usage`. */
export function builtRenderers(dirs: readonly string[], usage: string): string[] {
  const builds = dirs.map((d) => resolve(d));
  if (!builds.length || builds.some((d) => !existsSync(join(d, 'index.html')))) {
    console.error(`usage: ${usage}  (each BUILD_DIR a built renderer with index.html)`);
    process.exit(2);
  }
  return builds;
}

/**
 * What the build-comparing scripts share: the Holter and its analysis cache kept in
 * $TMPDIR/hb-nav-ab between runs, one handler table, and `withPage`, which serves a build over the
 * bridge and opens the Holter in a fresh headless Chromium (vsync off), closing both after `fn`.
 */
export async function holterBench(): Promise<{ rec: string; withPage<T>(build: string, fn: (page: Page) => Promise<T>): Promise<T> }> {
  const dir = join(tmpdir(), 'hb-nav-ab');
  mkdirSync(dir, { recursive: true });
  process.env.HEARTBEAT_DATA_DIR = dir;
  const rec = join(dir, 'holter24');
  if (!existsSync(`${rec}.hea`)) makeHolter(rec);
  // imported after HEARTBEAT_DATA_DIR is set: the analysis cache goes there
  const { createHandlerTable } = await import('../src/main/table');
  const { startBridge } = await import('../src/main/bridge/server');
  const table = createHandlerTable('bridge');
  return {
    rec,
    async withPage(build, fn) {
      const bridge = await startBridge({ table, rendererDir: build, port: 0 });
      const browser = await launchChromium(['--disable-frame-rate-limit', '--disable-gpu-vsync']);
      try {
        const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
        await openHolter(page, bridge.url, rec);
        return await fn(page);
      } finally {
        await browser.close();
        await bridge.close();
      }
    },
  };
}

// The Chromium the tests and benches drive: CHROMIUM_PATH or an installed Chromium/Chrome
// (src/main/browser/find.ts), else, on Linux x64, the Chromium shipped inside the
// @sparticuz/chromium devDependency, unpacked at first use into node_modules/.cache, so
// `npm install && npm test` needs nothing but Node. HEARTBEAT_TEST_BROWSER=bundled skips the
// installed browsers (how a machine without one is checked where one is installed).
import { createReadStream, createWriteStream, existsSync, readFileSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createBrotliDecompress } from 'node:zlib';
import { extract } from 'tar-fs';
import { findBrowser, systemBrowserPaths } from '../../src/main/browser/find';

const ROOT = resolve(import.meta.dirname, '../..');

export interface TestBrowser {
  path: string;
  source: 'CHROMIUM_PATH' | 'system' | 'bundled';
  /** Environment the browser needs (the bundled one: its own libraries and fonts). */
  env: Record<string, string>;
}

let chosen: Promise<TestBrowser> | undefined;

/** The browser for this process, chosen once; prints one line saying which. */
export function testBrowser(): Promise<TestBrowser> {
  chosen ??= choose().then((b) => {
    console.error(`test browser: ${b.source === 'bundled' ? `Chromium from @sparticuz/chromium ${bundledVersion()}` : b.source} at ${b.path}`);
    return b;
  });
  return chosen;
}

async function choose(): Promise<TestBrowser> {
  const bundledOnly = process.env.HEARTBEAT_TEST_BROWSER === 'bundled';
  if (!bundledOnly) {
    const found = findBrowser(process.env, process.platform, existsSync);
    if (found?.source === 'CHROMIUM_PATH' && !existsSync(found.path)) throw new Error(`CHROMIUM_PATH=${found.path}: no such file`);
    if (found) return { ...found, env: {} };
  }
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(
      `no Chromium or Chrome found (looked at ${systemBrowserPaths(process.platform, process.env).join(', ')}): install Chrome, or set CHROMIUM_PATH`
    );
  }
  return unpackBundled();
}

function packageDir(): string {
  // The package's exports hide package.json; its CommonJS entry is build/cjs/index.cjs.
  return resolve(dirname(createRequire(import.meta.url).resolve('@sparticuz/chromium')), '../..');
}

function bundledVersion(): string {
  return (JSON.parse(readFileSync(join(packageDir(), 'package.json'), 'utf8')) as { version: string }).version;
}

/** Unpacks chromium.br and its libraries once per package version; a half-done unpack never becomes the cache. */
async function unpackBundled(): Promise<TestBrowser> {
  let pkg: string;
  try {
    pkg = packageDir();
  } catch {
    throw new Error(
      `no Chromium or Chrome found (looked at ${systemBrowserPaths('linux', process.env).join(', ')}) and the @sparticuz/chromium devDependency is not installed (npm install): install Chromium, or set CHROMIUM_PATH`
    );
  }
  const dir = join(ROOT, 'node_modules/.cache/heartbeat-sensei', `chromium-${bundledVersion()}`);
  const browser = (d: string): TestBrowser => ({
    path: join(d, 'chromium'),
    source: 'bundled',
    // libnss3/libnspr4/libexpat come with the package; glibc is all it needs from the machine.
    env: { LD_LIBRARY_PATH: [join(d, 'lib'), process.env.LD_LIBRARY_PATH].filter(Boolean).join(':'), FONTCONFIG_FILE: join(d, 'fonts.conf') },
  });
  if (existsSync(join(dir, 'chromium'))) return browser(dir);
  const tmp = `${dir}.tmp-${process.pid}`;
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  const bin = join(pkg, 'bin');
  await pipeline(createReadStream(join(bin, 'chromium.br')), createBrotliDecompress(), createWriteStream(join(tmp, 'chromium'), { mode: 0o755 }));
  // swiftshader beside the binary (where Chromium looks for libGLESv2), al2023 gives lib/, fonts gives fonts/.
  for (const tar of ['swiftshader', 'al2023', 'fonts']) {
    await pipeline(createReadStream(join(bin, `${tar}.tar.br`)), createBrotliDecompress(), extract(tmp));
  }
  // The package's fonts.conf names Lambda's folders; this one names the unpacked fonts and the machine's.
  const fontDirs = [join(dir, 'fonts'), '/usr/share/fonts', '/usr/local/share/fonts'];
  await writeFile(
    join(tmp, 'fonts.conf'),
    `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n${fontDirs.map((d) => `  <dir>${d}</dir>\n`).join('')}  <cachedir>${join(dir, 'fonts-cache')}</cachedir>\n</fontconfig>\n`
  );
  try {
    await rename(tmp, dir);
  } catch (err) {
    // Another process unpacked it first: use theirs.
    await rm(tmp, { recursive: true, force: true });
    if (!existsSync(join(dir, 'chromium'))) throw err;
  }
  return browser(dir);
}

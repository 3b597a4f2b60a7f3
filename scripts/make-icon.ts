// `npx tsx scripts/make-icon.ts`: renders resources/icons/icon.svg to the 1024×1024 icon.png the
// installers use (electron-builder makes .icns/.ico from it), with the test browser
// (tests/helpers/browser.ts), so the PNG always matches its SVG source.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { testBrowser } from '../tests/helpers/browser';

const dir = resolve(import.meta.dirname, '../resources/icons');
const b = await testBrowser();
const browser = await chromium.launch({
  executablePath: b.path,
  args: ['--no-sandbox', '--disable-gpu'],
  env: { ...process.env, ...b.env } as Record<string, string>,
});
try {
  const page = await browser.newPage({ viewport: { width: 1024, height: 1024 } });
  await page.setContent(`<body style="margin:0">${readFileSync(resolve(dir, 'icon.svg'), 'utf8')}</body>`);
  await page.screenshot({ path: resolve(dir, 'icon.png'), omitBackground: true, clip: { x: 0, y: 0, width: 1024, height: 1024 } });
} finally {
  await browser.close();
}
console.log(`make-icon: ${resolve(dir, 'icon.png')}`);

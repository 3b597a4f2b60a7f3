// Where an installed Chromium or Chrome is: CHROMIUM_PATH, else the usual install paths of the
// platform. Pure (the file test is passed in) so the e2e harness, the benches and the report's
// printer choose the same browser, and the choice is testable without one installed.
import { join } from 'node:path';

export interface BrowserChoice {
  path: string;
  /** 'CHROMIUM_PATH' when the variable named it, else 'system'. */
  source: 'CHROMIUM_PATH' | 'system';
}

/** Install paths of Chromium and Chrome, most likely first. */
export function systemBrowserPaths(platform: NodeJS.Platform, env: Record<string, string | undefined>): string[] {
  if (platform === 'darwin') {
    const apps = ['Google Chrome.app/Contents/MacOS/Google Chrome', 'Chromium.app/Contents/MacOS/Chromium'];
    const roots = ['/Applications', ...(env.HOME ? [join(env.HOME, 'Applications')] : [])];
    return roots.flatMap((r) => apps.map((a) => `${r}/${a}`));
  }
  if (platform === 'win32') {
    const roots = [env.PROGRAMFILES, env['PROGRAMFILES(X86)'], env.LOCALAPPDATA].filter((r): r is string => !!r);
    return roots.flatMap((r) => [`${r}\\Google\\Chrome\\Application\\chrome.exe`, `${r}\\Chromium\\Application\\chrome.exe`]);
  }
  return ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable', '/snap/bin/chromium'];
}

/**
 * CHROMIUM_PATH when set (returned even when missing, so the caller can say that the variable
 * points nowhere instead of silently using another browser), else the first installed system path.
 */
export function findBrowser(env: Record<string, string | undefined>, platform: NodeJS.Platform, exists: (path: string) => boolean): BrowserChoice | undefined {
  if (env.CHROMIUM_PATH) return { path: env.CHROMIUM_PATH, source: 'CHROMIUM_PATH' };
  const path = systemBrowserPaths(platform, env).find(exists);
  return path ? { path, source: 'system' } : undefined;
}

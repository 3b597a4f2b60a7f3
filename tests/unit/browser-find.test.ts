import { describe, expect, it } from 'vitest';
import { findBrowser, systemBrowserPaths } from '../../src/main/browser/find';

describe('findBrowser', () => {
  it('takes CHROMIUM_PATH first, even where it names no file (the caller reports it)', () => {
    expect(findBrowser({ CHROMIUM_PATH: '/opt/x/chrome' }, 'linux', () => true)).toEqual({ path: '/opt/x/chrome', source: 'CHROMIUM_PATH' });
    expect(findBrowser({ CHROMIUM_PATH: '/nowhere' }, 'linux', () => false)).toEqual({ path: '/nowhere', source: 'CHROMIUM_PATH' });
  });

  it('else the first installed system path', () => {
    const installed = new Set(['/usr/bin/google-chrome', '/snap/bin/chromium']);
    expect(findBrowser({}, 'linux', (p) => installed.has(p))).toEqual({ path: '/usr/bin/google-chrome', source: 'system' });
    expect(findBrowser({}, 'linux', () => false)).toBeUndefined();
  });

  it('knows where Chrome installs on macOS and Windows', () => {
    expect(systemBrowserPaths('darwin', { HOME: '/Users/a' })).toContain('/Applications/Google Chrome.app/Contents/MacOS/Google Chrome');
    expect(systemBrowserPaths('darwin', { HOME: '/Users/a' })).toContain('/Users/a/Applications/Google Chrome.app/Contents/MacOS/Google Chrome');
    const win = systemBrowserPaths('win32', { PROGRAMFILES: 'C:\\Program Files', LOCALAPPDATA: 'C:\\Users\\a\\AppData\\Local' });
    expect(win[0]).toBe('C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe');
    expect(win).toContain('C:\\Users\\a\\AppData\\Local\\Google\\Chrome\\Application\\chrome.exe');
  });
});

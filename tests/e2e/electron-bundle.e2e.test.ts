// Static check of the built main-process bundle (out/main/index.js, after `npm run build`): the
// Electron security checklist is in what ships, not only in the sources (issue 14 item 10).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './harness';

describe('built main bundle', () => {
  const main = readFileSync(resolve(ROOT, 'out/main/index.js'), 'utf8');
  const html = readFileSync(resolve(ROOT, 'out/renderer/index.html'), 'utf8');

  it('carries every checklist item', () => {
    for (const needle of [
      'registerSchemesAsPrivileged',
      'protocol.handle',
      'setPermissionRequestHandler',
      'setPermissionCheckHandler',
      'web-contents-created',
      'will-navigate',
      'will-redirect',
      'will-frame-navigate',
      'will-attach-webview',
      'setWindowOpenHandler',
      'senderFrame',
      'app://renderer',
    ]) {
      expect(main, needle).toContain(needle);
    }
    expect(main).toMatch(/contextIsolation:\s*(true|!0)/);
    expect(main).toMatch(/sandbox:\s*(true|!0)/);
    expect(main).toMatch(/nodeIntegration:\s*(false|!1)/);
    expect(main).toMatch(/webviewTag:\s*(false|!1)/);
    expect(main).toMatch(/devTools\s*=\s*!\S*isPackaged/); // DevTools in development only
  });

  it('has none of the unsafe settings and never loads the renderer from file://', () => {
    expect(main).not.toMatch(/nodeIntegration:\s*(true|!0)/);
    expect(main).not.toMatch(/contextIsolation:\s*(false|!1)/);
    expect(main).not.toMatch(/webSecurity:\s*(false|!1)/);
    expect(main).not.toMatch(/allowRunningInsecureContent:\s*(true|!0)/);
    expect(main).not.toContain('loadFile(');
    expect(main).not.toContain('openExternal'); // window.open is denied, never handed to the system browser
    expect(html).toContain('Content-Security-Policy');
    for (const d of ["object-src 'none'", "base-uri 'none'", "form-action 'none'"]) expect(html).toContain(d);
    expect(html).not.toMatch(/unsafe-eval/);
  });

  it('keeps the window large enough for the toolbar and a readable trace', () => {
    expect(main).toMatch(/minWidth:\s*1024/);
    expect(main).toMatch(/minHeight:\s*700/);
  });
});

// The Electron security checklist, item by item, on the main-process setup with the `electron`
// module stubbed at the boundary (the Electron runtime cannot be downloaded here) (issue 14 item 10).
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mkdtemp, mkdir, rm, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  APP_ENTRY,
  CSP,
  WEB_PREFERENCES,
  appOrigins,
  appProtocolHandler,
  denyAllPermissions,
  guardContents,
  isAppUrl,
  isTrustedSender,
  resolveAppRequest,
} from '../../src/main/app/security';

type Listener = (...args: unknown[]) => unknown;

function fakeContents() {
  const on = new Map<string, Listener>();
  let openHandler: ((d: { url: string }) => { action: string }) | null = null;
  return {
    on: (event: string, l: (e: { preventDefault(): void }, ...args: unknown[]) => void) => void on.set(event, l as Listener),
    setWindowOpenHandler: (h: (d: { url: string }) => { action: 'deny' }) => void (openHandler = h),
    /** Emits `event` as Electron does: `details` (its fields) is the event object itself, then `args`. */
    fire(event: string, details: object, ...args: unknown[]): boolean {
      let prevented = false;
      on.get(event)!({ ...details, preventDefault: () => (prevented = true) }, ...args);
      return prevented;
    },
    open: (url: string) => openHandler!({ url }),
    events: on,
  };
}

describe('checklist functions', () => {
  const origins = appOrigins();

  it('window.open: every URL denied, none handed on', () => {
    const c = fakeContents();
    guardContents(c, origins);
    for (const url of ['https://physionet.org/', 'mailto:a@b.c', APP_ENTRY, 'file:///etc/passwd', 'javascript:alert(1)', 'not a url'])
      expect(c.open(url)).toEqual({ action: 'deny' });
  });

  it('navigation, redirects and subframe navigation away from the app are prevented; <webview> never attaches', () => {
    const c = fakeContents();
    guardContents(c, origins);
    // will-navigate and will-redirect (Electron 40): details with the URL, then the URL again (deprecated)
    for (const ev of ['will-navigate', 'will-redirect']) {
      for (const url of ['https://evil.example/', 'file:///etc/passwd']) {
        expect(c.fire(ev, { url, isMainFrame: true }, url, false, true)).toBe(true);
        expect(c.fire(ev, { url, isMainFrame: true })).toBe(true);
      }
      expect(c.fire(ev, { url: `${APP_ENTRY}#x`, isMainFrame: true }, `${APP_ENTRY}#x`, false, true)).toBe(false);
      expect(c.fire(ev, { url: `${APP_ENTRY}#x`, isMainFrame: true })).toBe(false);
    }
    // will-frame-navigate: only the details, the URL among them
    expect(c.fire('will-frame-navigate', { url: 'https://evil.example/', isMainFrame: false })).toBe(true);
    expect(c.fire('will-frame-navigate', { url: 'https://evil.example/', isMainFrame: true })).toBe(true);
    expect(c.fire('will-frame-navigate', { url: APP_ENTRY, isMainFrame: false })).toBe(false);
    expect(c.fire('will-frame-navigate', { url: APP_ENTRY, isMainFrame: true })).toBe(false);
    expect(c.fire('will-attach-webview', {}, {}, {})).toBe(true);
  });

  it('every permission request and check is refused', () => {
    let request: Listener | null = null;
    let check: Listener | null = null;
    denyAllPermissions({ setPermissionRequestHandler: (h) => void (request = h as Listener), setPermissionCheckHandler: (h) => void (check = h as Listener) });
    for (const p of ['media', 'geolocation', 'notifications', 'clipboard-read', 'hid', 'usb', 'openExternal']) {
      let granted: boolean | null = null;
      request!({}, p, (g: boolean) => (granted = g));
      expect(granted).toBe(false);
      expect(check!({}, p)).toBe(false);
    }
  });

  it('IPC answers only the app page itself (not a subframe, not another origin)', () => {
    expect(isTrustedSender({ url: APP_ENTRY }, origins)).toBe(true);
    expect(isTrustedSender({ url: APP_ENTRY, parent: {} }, origins)).toBe(false);
    expect(isTrustedSender({ url: 'https://evil.example/' }, origins)).toBe(false);
    expect(isTrustedSender({ url: 'file:///x/index.html' }, origins)).toBe(false);
    expect(isTrustedSender(null, origins)).toBe(false);
    expect(isAppUrl('app://other/index.html', origins)).toBe(false);
    // the dev server is trusted only when it is on the loopback
    expect(appOrigins('http://localhost:5173/')).toContain('http://localhost:5173');
    expect(appOrigins('http://evil.example:5173/')).toEqual(['app://renderer']);
  });

  it('secure webPreferences', () => {
    expect(WEB_PREFERENCES).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
    });
  });

  it("the page's meta tag carries the headers' policy (less frame-ancestors, which a meta tag cannot set)", async () => {
    const html = await readFile(join(import.meta.dirname, '../../src/renderer/index.html'), 'utf8');
    const meta = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"/i.exec(html)?.[1];
    const directives = (csp: string) =>
      csp
        .split(';')
        .map((d) => d.trim().replace(/\s+/g, ' '))
        .filter(Boolean);
    expect(meta).toBeDefined();
    expect(directives(meta!)).toEqual(directives(CSP).filter((d) => !d.startsWith('frame-ancestors ')));
    for (const d of ["object-src 'none'", "base-uri 'none'", "form-action 'none'"]) expect(directives(meta!)).toContain(d);
  });

  describe('app:// protocol', () => {
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'hb-app-proto-'));
      await mkdir(join(dir, 'renderer', 'assets'), { recursive: true });
      await writeFile(join(dir, 'renderer', 'index.html'), '<!doctype html>');
      await writeFile(join(dir, 'renderer', 'assets', 'a.js'), 'export {}');
      await writeFile(join(dir, 'secret.txt'), 'secret');
    });
    afterAll(() => rm(dir, { recursive: true, force: true }));

    it('serves only the renderer folder, with its type and the CSP', async () => {
      const root = join(dir, 'renderer');
      expect(resolveAppRequest('app://renderer/', root)).toBe(join(root, 'index.html'));
      for (const bad of ['app://other/index.html', 'file:///etc/passwd', 'app://renderer/%', 'app://renderer/a%00.js']) {
        expect(resolveAppRequest(bad, root)).toBeNull();
      }
      for (const up of ['app://renderer/..%2fsecret.txt', 'app://renderer/%2e%2e/secret.txt', 'app://renderer/../../secret.txt'])
        expect(resolveAppRequest(up, root)).toBe(join(root, 'secret.txt')); // clamped inside
      const handler = appProtocolHandler(root, (f) => readFile(f));
      const ok = await handler({ url: 'app://renderer/assets/a.js' });
      expect(ok.status).toBe(200);
      expect(ok.headers.get('content-type')).toMatch(/^text\/javascript/);
      expect(ok.headers.get('content-security-policy')).toBe(CSP);
      expect((await handler({ url: 'app://renderer/%2e%2e/secret.txt' })).status).toBe(404);
      expect((await handler({ url: 'app://renderer/missing.js' })).status).toBe(404);
    });
  });
});

describe('main-process setup (electron stubbed)', () => {
  it('registers app:// as privileged, guards every webContents, denies permissions, loads app:// (not file://), checks the IPC sender', async () => {
    const calls: string[] = [];
    const appOn = new Map<string, Listener>();
    let ready!: () => void;
    const readyP = new Promise<void>((ok) => (ready = ok));
    let ipc: Listener | null = null;
    let loaded = '';
    let prefs: Record<string, unknown> = {};
    const permissions = {
      setPermissionRequestHandler: () => calls.push('permission-request'),
      setPermissionCheckHandler: () => calls.push('permission-check'),
    };
    class BrowserWindow {
      webContents = { on: () => undefined, setWindowOpenHandler: () => undefined };
      constructor(o: { webPreferences: Record<string, unknown> }) {
        prefs = o.webPreferences;
      }
      once() {}
      loadURL(u: string) {
        loaded = u;
        return Promise.resolve();
      }
      loadFile(f: string) {
        calls.push(`loadFile ${f}`);
        return Promise.resolve();
      }
      static getAllWindows = () => [];
      static getFocusedWindow = () => null;
    }
    vi.doMock('electron', () => ({
      app: {
        on: (e: string, l: Listener) => void appOn.set(e, l),
        whenReady: () => readyP,
        getPath: () => join(tmpdir(), 'hb-electron-stub'),
        requestSingleInstanceLock: () => {
          calls.push('single-instance');
          return true;
        },
        quit: () => undefined,
      },
      BrowserWindow,
      dialog: {},
      ipcMain: { handle: (_c: string, l: Listener) => void (ipc = l) },
      protocol: {
        registerSchemesAsPrivileged: (s: { scheme: string; privileges: { standard: boolean; secure: boolean } }[]) =>
          calls.push(`privileged ${s[0]!.scheme} ${s[0]!.privileges.secure}`),
        handle: (s: string) => calls.push(`handle ${s}`),
      },
      session: { defaultSession: permissions },
      shell: {
        openExternal: (url: string) => {
          calls.push(`openExternal ${url}`);
          return Promise.resolve();
        },
      },
    }));
    const prevUrl = process.env.ELECTRON_RENDERER_URL;
    delete process.env.ELECTRON_RENDERER_URL;
    try {
      await import('../../src/main/index');
      expect(calls).toEqual(['privileged app true', 'single-instance']);
      expect(appOn.has('web-contents-created')).toBe(true);
      expect(appOn.has('second-instance')).toBe(true);
      ready();
      await readyP;
      await new Promise((r) => setTimeout(r, 50));
      expect(calls).toEqual(expect.arrayContaining(['permission-request', 'permission-check', 'handle app']));
      expect(calls.some((c) => c.startsWith('loadFile'))).toBe(false);
      expect(loaded).toBe(APP_ENTRY);
      expect(prefs).toMatchObject({ ...WEB_PREFERENCES });
      const c = fakeContents();
      appOn.get('web-contents-created')!({}, c);
      expect([...c.events.keys()].sort()).toEqual(['will-attach-webview', 'will-frame-navigate', 'will-navigate', 'will-redirect']);
      // window.open never reaches the system browser: the one way out past connect-src 'self'
      for (const url of ['https://evil.example/?d=patient', 'mailto:a@evil.example?body=patient']) expect(c.open(url)).toEqual({ action: 'deny' });
      await Promise.resolve();
      expect(calls.filter((x) => x.startsWith('openExternal'))).toEqual([]);
      const refused = (await ipc!({ senderFrame: { url: 'https://evil.example/' }, sender: { send: () => undefined } }, 'app:info', {})) as {
        ok: boolean;
        error: { code: string };
      };
      expect(refused).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
      const sender = { send: () => undefined, isDestroyed: () => false, on: () => undefined, off: () => undefined };
      const answered = (await ipc!({ senderFrame: { url: APP_ENTRY }, sender }, 'app:info', {})) as { ok: boolean };
      expect(answered.ok).toBe(true);
    } finally {
      if (prevUrl !== undefined) process.env.ELECTRON_RENDERER_URL = prevUrl;
      vi.doUnmock('electron');
    }
  });

  it('the fuses configuration turns off every way to run other code in the packaged app', async () => {
    const fuses = JSON.parse(await readFile(join(import.meta.dirname, '../../electron-fuses.json'), 'utf8')) as Record<string, unknown>;
    expect(fuses).toMatchObject({
      RunAsNode: false,
      EnableNodeOptionsEnvironmentVariable: false,
      EnableNodeCliInspectArguments: false,
      EnableEmbeddedAsarIntegrityValidation: true,
      OnlyLoadAppFromAsar: true,
      EnableCookieEncryption: true,
      GrantFileProtocolExtraPrivileges: false,
    });
  });
});

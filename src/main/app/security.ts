// The Electron security checklist as plain functions over the few Electron objects they touch
// (typed structurally, so the tests pass stubs and no Electron import is needed here). index.ts
// wires them: a custom app:// protocol instead of file://, every webContents guarded against
// navigation, redirects, subframe navigation and <webview>, every window.open denied, every
// permission denied, IPC answered only for the app's own frame.
import { contentTypeOf } from '../mime';
import { join, normalize, resolve, sep } from 'node:path';

export const APP_SCHEME = 'app';
export const APP_HOST = 'renderer';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY = `${APP_ORIGIN}/index.html`;

/** registerSchemesAsPrivileged's entry: a standard, secure scheme (so 'self' in the CSP means the app). */
export const PRIVILEGED_SCHEME = { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } } as const;

/** BrowserWindow webPreferences besides the preload path: each an item of the checklist. */
export const WEB_PREFERENCES = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  experimentalFeatures: false,
  webviewTag: false,
  navigateOnDragDrop: false,
  spellcheck: false,
} as const;

/**
 * The content security policy of every app:// answer and of the browser-mode bridge's. The page
 * carries it as a meta tag too (static HTML: src/renderer/index.html, checked against this by
 * tests/unit/electron-security.test.ts), less frame-ancestors, which a meta tag cannot set.
 */
export const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

/** Origins the app's own pages come from: app://renderer, plus the dev server under `electron-vite dev`. */
export function appOrigins(devUrl?: string): string[] {
  const out = [APP_ORIGIN];
  if (devUrl) {
    try {
      const u = new URL(devUrl);
      if (u.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(u.hostname)) out.push(u.origin);
    } catch {
      // no dev origin
    }
  }
  return out;
}

function originOf(url: string): string | null {
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` ? `${APP_SCHEME}://${u.host}` : u.origin;
  } catch {
    return null;
  }
}

/** Whether a page or frame may go to `url`: only the app's own origins. */
export function isAppUrl(url: string, origins: readonly string[]): boolean {
  const o = originOf(url);
  return o !== null && origins.includes(o);
}

/** IPC is answered only for the app's own top-level page (not an iframe, not a page navigated elsewhere). */
export function isTrustedSender(frame: { url: string; parent?: unknown } | null | undefined, origins: readonly string[]): boolean {
  return !!frame && !frame.parent && isAppUrl(frame.url, origins);
}

interface PreventableEvent {
  preventDefault(): void;
}
export interface GuardedContents {
  on(event: string, listener: (e: PreventableEvent, ...args: unknown[]) => void): unknown;
  setWindowOpenHandler(handler: (d: { url: string }) => { action: 'deny' }): void;
}

/**
 * Every webContents: no navigation, redirect or subframe navigation away from the app, no
 * <webview>, no window.open.
 */
export function guardContents(contents: GuardedContents, origins: readonly string[]): void {
  // The URL is on the event itself (Electron's details); will-navigate and will-redirect also pass it
  // first (deprecated), will-frame-navigate passes nothing else.
  const stay = (e: PreventableEvent & { url?: unknown }, ...args: unknown[]) => {
    const url = typeof e.url === 'string' ? e.url : typeof args[0] === 'string' ? args[0] : '';
    if (!isAppUrl(url, origins)) e.preventDefault();
  };
  contents.on('will-navigate', stay);
  contents.on('will-redirect', stay);
  contents.on('will-frame-navigate', stay);
  contents.on('will-attach-webview', (e) => e.preventDefault());
  // Denied, and never handed to the system browser (shell.openExternal): the app has no external
  // links, and a compromised page could otherwise send data out in a URL, past connect-src 'self'.
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

export interface PermissionSession {
  setPermissionRequestHandler(handler: ((wc: unknown, permission: string, callback: (granted: boolean) => void) => void) | null): void;
  setPermissionCheckHandler(handler: ((wc: unknown, permission: string) => boolean) | null): void;
}

/** The app needs no camera, microphone, notifications, geolocation, USB, HID or clipboard-read: all refused. */
export function denyAllPermissions(session: PermissionSession): void {
  session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}

/** app://renderer/<path> → the file under `rendererDir` it names, or null (another host, outside the folder, malformed). */
export function resolveAppRequest(url: string, rendererDir: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.protocol !== `${APP_SCHEME}:` || u.host !== APP_HOST) return null;
  let path: string;
  try {
    path = decodeURIComponent(u.pathname);
  } catch {
    return null;
  }
  if (path.includes('\0')) return null;
  const root = resolve(rendererDir);
  const file = join(root, normalize(path === '/' || path === '' ? '/index.html' : path).replace(/^([/\\])+/, ''));
  return file.startsWith(root + sep) ? file : null;
}

/** The app:// handler: the renderer's files with their type and the CSP; 404 for anything else. */
export function appProtocolHandler(rendererDir: string, readFile: (file: string) => Promise<Uint8Array>): (req: { url: string }) => Promise<Response> {
  return async (req) => {
    const file = resolveAppRequest(req.url, rendererDir);
    if (!file) return new Response('Not found', { status: 404 });
    try {
      const body = await readFile(file);
      return new Response(body as unknown as ConstructorParameters<typeof Response>[0], {
        status: 200,
        headers: { 'content-type': contentTypeOf(file), 'content-security-policy': CSP, 'x-content-type-options': 'nosniff' },
      });
    } catch {
      return new Response('Not found', { status: 404 });
    }
  };
}

// Electron glue: one window with the checklist's settings (src/main/app/security.ts), the
// renderer served from app:// (never file://), and the handler table on ipcMain for that page only.
import './inference/no-telemetry'; // first: before anything loads ONNX Runtime or starts a worker
import { app, BrowserWindow, dialog, ipcMain, protocol, session, type WebContents } from 'electron';
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { dispatch, type HandlerContext } from './handlers';
import { createHandlerTable } from './table';
import { defaultReviewPaths } from './review/handlers';
import { ExportFolders } from './export/folders';
import { startupSweep } from './app/sweep';
import {
  APP_ENTRY,
  APP_SCHEME,
  PRIVILEGED_SCHEME,
  WEB_PREFERENCES,
  appOrigins,
  appProtocolHandler,
  denyAllPermissions,
  guardContents,
  isTrustedSender,
} from './app/security';
import { toWireError, type WireError } from '../shared/errors';
import type { PaperSize } from '../shared/report';

// The dev server's page in development only: a packaged app loads nothing an environment variable names.
const devUrl = app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL;
const origins = appOrigins(devUrl);
// DevTools in development only: with no menu of its own the app keeps Electron's default one, whose
// View → Toggle Developer Tools (Ctrl+Shift+I) would otherwise ship on Windows and Linux.
const devTools = !app.isPackaged;

// Before ready: app:// is a standard, secure scheme, so the page's origin is app://renderer.
protocol.registerSchemesAsPrivileged([PRIVILEGED_SCHEME]);

// One instance per user: a second would share the user-data folder (the review store, the model
// registry) with the first; launched again, the app brings its window forward instead.
const primary = app.requestSingleInstanceLock();
let mainWindow: BrowserWindow | null = null;
if (!primary) app.quit();
app.on('second-instance', () => {
  if (!mainWindow || mainWindow.isDestroyed()) return;
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.focus();
});

// Every webContents, whenever created: no navigation away, no <webview>, no window.open (nor the system browser).
app.on('web-contents-created', (_e, contents) => guardContents(contents, origins));

/**
 * Report pages being printed, served at app://renderer/report/<id>.html (never file://, and a data
 * URL has a size limit) to a hidden window with no preload and no script, for as long as it prints.
 */
const reportPages = new Map<string, string>();
const REPORT_PAGES = new URL('report/', APP_ENTRY).href;
const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

function reportPageResponse(url: string): Response | null {
  if (!url.startsWith(REPORT_PAGES)) return null;
  const html = reportPages.get(url.slice(REPORT_PAGES.length).replace(/\.html$/, ''));
  return html === undefined
    ? new Response('Not found', { status: 404 })
    : new Response(html, {
        status: 200,
        headers: { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': REPORT_CSP, 'x-content-type-options': 'nosniff' },
      });
}

/** The report page printed by Electron's Chromium (webContents.printToPDF); cancelling closes the window, which ends the print. */
async function printWithElectron(html: string, paper: PaperSize, signal?: AbortSignal): Promise<Uint8Array> {
  const id = randomUUID();
  reportPages.set(id, html);
  const win = new BrowserWindow({ show: false, webPreferences: { ...WEB_PREFERENCES, devTools, javascript: false } });
  const stop = () => win.destroy();
  signal?.addEventListener('abort', stop);
  try {
    await win.loadURL(`${REPORT_PAGES}${id}.html`);
    return await win.webContents.printToPDF({ pageSize: paper, preferCSSPageSize: true, printBackground: true });
  } finally {
    signal?.removeEventListener('abort', stop);
    reportPages.delete(id);
    if (!win.isDestroyed()) win.destroy();
  }
}

/**
 * Aborted when the page in `contents` is gone: its window closed, its renderer crashed, or it was
 * reloaded or navigated. The jobs it started are then cancelled: no one is left to read them.
 */
const pageSignals = new WeakMap<WebContents, AbortSignal>();
const PAGE_GONE = ['destroyed', 'render-process-gone', 'did-navigate'] as const;
function pageGone(contents: WebContents): AbortSignal {
  const known = pageSignals.get(contents);
  if (known) return known;
  const controller = new AbortController();
  const gone = () => {
    for (const e of PAGE_GONE) contents.off(e as 'destroyed', gone);
    pageSignals.delete(contents);
    controller.abort();
  };
  for (const e of PAGE_GONE) contents.on(e as 'destroyed', gone);
  pageSignals.set(contents, controller.signal);
  return controller.signal;
}

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1440,
    height: 900,
    // the toolbar's two rows and two leads of trace that can be read; narrower, the toolbar wraps over the trace's room
    minWidth: 1024,
    minHeight: 700,
    show: false,
    title: 'Heartbeat Sensei',
    backgroundColor: '#10141a',
    webPreferences: { ...WEB_PREFERENCES, devTools, preload: join(import.meta.dirname, '../preload/index.cjs') },
  });
  win.once('ready-to-show', () => win.show());
  void win.loadURL(devUrl ?? APP_ENTRY);
  mainWindow = win;
  return win;
}

void app.whenReady().then(() => {
  if (!primary) return;
  denyAllPermissions(session.defaultSession);
  const serveApp = appProtocolHandler(join(import.meta.dirname, '../renderer'), (f) => readFile(f));
  protocol.handle(APP_SCHEME, (req) => Promise.resolve(reportPageResponse(req.url) ?? serveApp(req)));
  // Reviewer data (exports of the bundled demo) under the app's own user-data folder.
  // What a killed run left behind (stale *.tmp, unregistered model files) goes before any job starts.
  void startupSweep(app.getPath('userData')).catch(() => undefined);
  const exportFolders = ExportFolders.fromEnv();
  const table = createHandlerTable('electron', { ...defaultReviewPaths(), dataDir: app.getPath('userData') }, exportFolders, printWithElectron);
  // A folder chosen in the OS dialog becomes an allowed export folder (the renderer can only name one).
  table['export:chooseFolder'] = async () => {
    const win = BrowserWindow.getFocusedWindow();
    const opts = { title: 'Export reviews to…', properties: ['openDirectory' as const, 'createDirectory' as const] };
    const res = win ? await dialog.showOpenDialog(win, opts) : await dialog.showOpenDialog(opts);
    const path = res.canceled ? null : (res.filePaths[0] ?? null);
    if (path) exportFolders.add(path);
    return { path };
  };
  table['record:choose'] = async () => {
    const win = BrowserWindow.getFocusedWindow();
    const opts = { title: 'Open a WFDB record', properties: ['openFile' as const], filters: [{ name: 'WFDB record header', extensions: ['hea'] }] };
    const res = win ? await dialog.showOpenDialog(win, opts) : await dialog.showOpenDialog(opts);
    return { path: res.canceled ? null : (res.filePaths[0] ?? null) };
  };
  ipcMain.handle('invoke', async (event, channel: unknown, payload: unknown) => {
    // Only the app's own page may call: not a frame inside it, not a page it was navigated to.
    if (!isTrustedSender(event.senderFrame, origins))
      return { ok: false, error: { code: 'FORBIDDEN', message: 'IPC from a page that is not the app.' } satisfies WireError };
    const sender = event.sender;
    const ctx: HandlerContext = {
      transport: 'electron',
      // A job may report after its window closed (macOS keeps the app running): sending to a
      // destroyed webContents throws, out of a worker's callback, in the main process.
      emit: (name, data) => {
        if (sender.isDestroyed()) return;
        try {
          sender.send('event', name, data);
        } catch {
          // destroyed in between: no one to tell
        }
      },
      signal: pageGone(sender),
    };
    try {
      return { ok: true, value: await dispatch(table, String(channel), payload, ctx) };
    } catch (err) {
      return { ok: false, error: toWireError(err) };
    }
  });
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

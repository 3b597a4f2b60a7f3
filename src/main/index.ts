// Electron glue: one window with the checklist's settings (src/main/app/security.ts), the
// renderer served from app:// (never file://), and the handler table on ipcMain for that page only.
import { app, BrowserWindow, dialog, ipcMain, protocol, session, shell } from 'electron';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { dispatch, type HandlerContext } from './handlers';
import { createHandlerTable } from './table';
import { defaultReviewPaths } from './review/handlers';
import { ExportFolders } from './export/folders';
import { startupSweep } from './app/sweep';
import { APP_ENTRY, APP_SCHEME, PRIVILEGED_SCHEME, WEB_PREFERENCES, appOrigins, appProtocolHandler, denyAllPermissions, guardContents, isTrustedSender } from './app/security';
import type { WireError } from '../shared/contract';
import type { PaperSize } from '../shared/report';

const devUrl = process.env.ELECTRON_RENDERER_URL;
const origins = appOrigins(devUrl);

// Before ready: app:// is a standard, secure scheme, so the page's origin is app://renderer.
protocol.registerSchemesAsPrivileged([PRIVILEGED_SCHEME]);

// Every webContents, whenever created: no navigation away, no <webview>, window.open only to the system browser.
app.on('web-contents-created', (_e, contents) => guardContents(contents, origins, (url) => shell.openExternal(url)));

/** The report page printed by Electron's Chromium: a hidden window with no script and no preload, loaded from a temporary file (a data URL has a size limit). */
async function printWithElectron(html: string, paper: PaperSize, signal?: AbortSignal): Promise<Uint8Array> {
  const dir = await mkdtemp(join(app.getPath('temp'), 'hbs-report-'));
  const win = new BrowserWindow({ show: false, webPreferences: { ...WEB_PREFERENCES, javascript: false } });
  // cancelling closes the window, which ends the print
  const stop = () => win.destroy();
  signal?.addEventListener('abort', stop);
  try {
    const file = join(dir, 'report.html');
    await writeFile(file, html);
    await win.loadFile(file);
    return await win.webContents.printToPDF({ pageSize: paper, preferCSSPageSize: true, printBackground: true });
  } finally {
    signal?.removeEventListener('abort', stop);
    if (!win.isDestroyed()) win.destroy();
    await rm(dir, { recursive: true, force: true });
  }
}

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1440,
    height: 900,
    show: false,
    title: 'Heartbeat Sensei',
    backgroundColor: '#10141a',
    webPreferences: { ...WEB_PREFERENCES, preload: join(import.meta.dirname, '../preload/index.cjs') },
  });
  win.once('ready-to-show', () => win.show());
  void win.loadURL(devUrl ?? APP_ENTRY);
  return win;
}

void app.whenReady().then(() => {
  denyAllPermissions(session.defaultSession);
  protocol.handle(APP_SCHEME, appProtocolHandler(join(import.meta.dirname, '../renderer'), (f) => readFile(f)));
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
    if (!isTrustedSender(event.senderFrame, origins)) return { ok: false, error: { code: 'FORBIDDEN', message: 'IPC from a page that is not the app.' } satisfies WireError };
    const ctx: HandlerContext = {
      transport: 'electron',
      emit: (name, data) => event.sender.send('event', name, data),
    };
    try {
      return { ok: true, value: await dispatch(table, String(channel), payload, ctx) };
    } catch (err) {
      const e = err as Error & { code?: string; file?: unknown };
      const wire: WireError = { code: e.code ?? 'INTERNAL', message: e.message, ...(typeof e.file === 'string' ? { file: e.file } : {}) };
      return { ok: false, error: wire };
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

// Electron glue: one window with the secure defaults, and the handler table on ipcMain.
import { app, BrowserWindow, dialog, ipcMain, shell } from 'electron';
import { join } from 'node:path';
import { dispatch, type HandlerContext } from './handlers';
import { createHandlerTable } from './table';
import { defaultReviewPaths } from './review/handlers';
import { ExportFolders } from './export/folders';
import { startupSweep } from './app/sweep';
import type { WireError } from '../shared/contract';

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1440,
    height: 900,
    show: false,
    title: 'Heartbeat Sensei',
    backgroundColor: '#10141a',
    webPreferences: {
      preload: join(import.meta.dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    },
  });
  win.once('ready-to-show', () => win.show());
  // Links open in the system browser, never inside the app.
  win.webContents.setWindowOpenHandler(({ url }) => {
    void shell.openExternal(url);
    return { action: 'deny' };
  });
  win.webContents.on('will-navigate', (e) => e.preventDefault());
  if (process.env.ELECTRON_RENDERER_URL) void win.loadURL(process.env.ELECTRON_RENDERER_URL);
  else void win.loadFile(join(import.meta.dirname, '../renderer/index.html'));
  return win;
}

void app.whenReady().then(() => {
  // Reviewer data (exports of the bundled demo) under the app's own user-data folder.
  // What a killed run left behind (stale *.tmp, unregistered model files) goes before any job starts.
  void startupSweep(app.getPath('userData')).catch(() => undefined);
  const exportFolders = ExportFolders.fromEnv();
  const table = createHandlerTable('electron', { ...defaultReviewPaths(), dataDir: app.getPath('userData') }, exportFolders);
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

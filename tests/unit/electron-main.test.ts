// src/main/index.ts with the `electron` module stubbed (as in electron-security.test.ts), loaded
// afresh per test: which page a packaged app loads, and what happens to a page's jobs and their
// progress once its window is closed, crashed or reloaded.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { EventEmitter } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { APP_ENTRY } from '../../src/main/app/security';

type Listener = (...args: unknown[]) => unknown;
type Answer = { ok: boolean; value?: { jobId: string }; error?: { code: string } };

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hb-electron-main-'));
});
afterAll(async () => {
  vi.doUnmock('electron');
  await rm(dir, { recursive: true, force: true });
});

/** A webContents: an EventEmitter whose send throws once destroyed, as Electron's does. */
class FakeContents extends EventEmitter {
  destroyed = false;
  sent: string[] = [];
  isDestroyed(): boolean {
    return this.destroyed;
  }
  send(_channel: string, name: string): void {
    if (this.destroyed) throw new TypeError('Object has been destroyed');
    this.sent.push(name);
  }
}

/** Imports src/main/index.ts afresh on a stubbed electron; resolves once the app is ready, with its IPC handler and the URL its window loaded. */
async function loadMain(
  isPackaged: boolean,
  rendererUrl: string | undefined
): Promise<{ loaded: string; ipc: (sender: FakeContents, url: string, channel: string, payload: unknown) => Promise<Answer> }> {
  vi.resetModules();
  let handler: Listener | null = null;
  let loaded = '';
  class BrowserWindow {
    webContents = new FakeContents();
    once() {}
    loadURL(u: string) {
      loaded = u;
      return Promise.resolve();
    }
    static getAllWindows = () => [];
    static getFocusedWindow = () => null;
  }
  vi.doMock('electron', () => ({
    app: {
      isPackaged,
      on: () => undefined,
      whenReady: () => Promise.resolve(),
      getPath: () => dir,
      requestSingleInstanceLock: () => true,
      quit: () => undefined,
    },
    BrowserWindow,
    dialog: {},
    ipcMain: { handle: (_c: string, l: Listener) => void (handler = l) },
    protocol: { registerSchemesAsPrivileged: () => undefined, handle: () => undefined },
    session: { defaultSession: { setPermissionRequestHandler: () => undefined, setPermissionCheckHandler: () => undefined } },
    shell: { openExternal: () => Promise.resolve() },
  }));
  const prev = process.env.ELECTRON_RENDERER_URL;
  if (rendererUrl === undefined) delete process.env.ELECTRON_RENDERER_URL;
  else process.env.ELECTRON_RENDERER_URL = rendererUrl;
  try {
    await import('../../src/main/index');
  } finally {
    if (prev === undefined) delete process.env.ELECTRON_RENDERER_URL;
    else process.env.ELECTRON_RENDERER_URL = prev;
  }
  await vi.waitFor(() => expect(handler).not.toBeNull());
  return {
    loaded,
    ipc: async (sender, url, channel, payload) => (await handler!({ senderFrame: { url }, sender }, channel, payload)) as Answer,
  };
}

describe('main process (electron stubbed)', () => {
  it('a packaged app loads app:// even when ELECTRON_RENDERER_URL is set, and refuses IPC from that URL', async () => {
    const dev = 'http://127.0.0.1:5173/';
    const packaged = await loadMain(true, dev);
    expect(packaged.loaded).toBe(APP_ENTRY);
    expect(await packaged.ipc(new FakeContents(), dev, 'app:info', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    // in development the dev server's page is the app
    const development = await loadMain(false, dev);
    expect(development.loaded).toBe(dev);
    expect((await development.ipc(new FakeContents(), dev, 'app:info', {})).ok).toBe(true);
  });
});

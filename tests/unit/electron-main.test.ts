// src/main/index.ts with the `electron` module stubbed (as in electron-security.test.ts), loaded
// afresh per test: which page a packaged app loads, and what happens to a page's jobs and their
// progress once its window is closed, crashed or reloaded.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { EventEmitter } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { APP_ENTRY } from '../../src/main/app/security';
import { writeSynthRecord } from '../../src/main/synth';

type Listener = (...args: unknown[]) => unknown;
type Answer = { ok: boolean; value?: { jobId: string }; error?: { code: string } };

let dir: string;
let record: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hb-electron-main-'));
  record = join(dir, 'rec', 'short');
  await writeSynthRecord(record, { scenario: 'demo', minutes: 1, seed: 5 });
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
): Promise<{ loaded: string; prefs: Record<string, unknown>; ipc: (sender: FakeContents, url: string, channel: string, payload: unknown) => Promise<Answer> }> {
  vi.resetModules();
  let handler: Listener | null = null;
  let loaded = '';
  let prefs: Record<string, unknown> = {};
  class BrowserWindow {
    webContents = new FakeContents();
    constructor(o: { webPreferences: Record<string, unknown> }) {
      prefs = o.webPreferences;
    }
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
    prefs,
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

  it("DevTools only in development: a packaged window has none (Electron's default menu would open them)", async () => {
    expect((await loadMain(true, undefined)).prefs).toMatchObject({ devTools: false, contextIsolation: true });
    expect((await loadMain(false, undefined)).prefs).toMatchObject({ devTools: true });
  });

  it('progress to a closed window is dropped, not thrown in the main process', async () => {
    const main = await loadMain(false, undefined);
    const uncaught: unknown[] = [];
    const onUncaught = (e: unknown) => uncaught.push(e);
    process.on('uncaughtException', onUncaught);
    try {
      const closed = new FakeContents();
      const run = await main.ipc(closed, APP_ENTRY, 'analysis:run', { path: record, useRules: true });
      closed.destroyed = true; // its 'destroyed' event not (yet) seen: the job runs on and reports
      const done = await main.ipc(new FakeContents(), APP_ENTRY, 'analysis:result', { jobId: run.value!.jobId });
      expect(done.ok).toBe(true);
      expect(uncaught).toEqual([]);
    } finally {
      process.off('uncaughtException', onUncaught);
    }
  }, 60_000);

  it.each(['destroyed', 'render-process-gone', 'did-navigate'])(
    "a page's jobs are cancelled on %s; the page's next jobs run",
    async (gone) => {
      const main = await loadMain(false, undefined);
      const page = new FakeContents();
      const first = await main.ipc(page, APP_ENTRY, 'analysis:run', { path: record, useRules: true });
      page.emit(gone);
      expect(await main.ipc(page, APP_ENTRY, 'analysis:result', { jobId: first.value!.jobId })).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
      // a reloaded page is a new one: what it starts is not cancelled by the old page's end
      const next = await main.ipc(page, APP_ENTRY, 'analysis:run', { path: record, useRules: true });
      expect((await main.ipc(page, APP_ENTRY, 'analysis:result', { jobId: next.value!.jobId })).ok).toBe(true);
      expect(page.listenerCount('destroyed')).toBe(1);
    },
    60_000
  );
});

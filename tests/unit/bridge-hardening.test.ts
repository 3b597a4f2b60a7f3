// Bridge errors a person can cause come back as 4xx with the error's message (not found 404,
// confirmation needed 409, bad input 400); bodies over the cap get a 413 without being read in
// full; malformed URLs a 400; a __proto__ in a payload confirms nothing (issue 14 items 4, 11).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, writeFile, mkdir, rm, readFile, realpath } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBridge, type Bridge } from '../../src/main/bridge/server';
import { createHandlerTable } from '../../src/main/table';
import { ExportFolders } from '../../src/main/export/folders';
import { decodeWire, encodeWire, TOKEN_HEADER } from '../../src/shared/wire';
import { httpStatusOf } from '../../src/main/bridge/status';
import { REVIEW_FORMAT } from '../../src/shared/review';

let bridge: Bridge;
let dir: string;

interface Reply {
  status: number;
  body: string;
}

function http(
  path: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string | Buffer; chunks?: { size: number; count: number } } = {}
): Promise<Reply> {
  return new Promise((ok, fail) => {
    const req = request({ host: '127.0.0.1', port: bridge.port, path, method: opts.method ?? 'GET', headers: opts.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => ok({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', (e) => fail(e));
    if (opts.body) req.write(opts.body);
    if (opts.chunks) {
      // streamed without a length: the server must stop reading once over the cap
      const chunk = Buffer.alloc(opts.chunks.size, 0x20);
      let sent = 0;
      const pump = () => {
        while (sent < opts.chunks!.count) {
          sent++;
          if (!req.write(chunk)) return void req.once('drain', pump);
        }
        req.end();
      };
      req.on('response', () => req.destroy());
      pump();
      return;
    }
    req.end();
  });
}

const api = (channel: string, body: string | Buffer, headers: Record<string, string> = {}) =>
  http(`/api/invoke/${channel}`, { method: 'POST', headers: { 'content-type': 'application/json', [TOKEN_HEADER]: bridge.token, ...headers }, body });
const invoke = (channel: string, payload: unknown) => api(channel, encodeWire(payload));

const review = {
  format: REVIEW_FORMAT,
  version: 1,
  record: { name: 'rec', hash: 'h', fs: 360 },
  threshold: null,
  exportedAt: '',
  reviewer: '',
  beats: [],
  episodes: [],
};

beforeAll(async () => {
  dir = await realpath(await mkdtemp(join(tmpdir(), 'hb-bridge-hard-')));
  await mkdir(join(dir, 'ui'));
  await writeFile(join(dir, 'ui', 'index.html'), '<!doctype html>');
  await mkdir(join(dir, 'rec'));
  await writeFile(join(dir, 'rec', 'rec.hea'), 'rec 1 360 1000\nrec.dat 16 200 16 0 0 0 0 MLII\n');
  await writeFile(join(dir, 'rec', 'rec.dat'), new Uint8Array(2000));
  await writeFile(join(dir, 'rec', 'rec.atr'), new Uint8Array([7, 7]));
  await writeFile(join(dir, 'rec', 'bad.hea'), 'bad 1 360 1000\nbad.dat 999\n');
  const table = createHandlerTable('bridge', { resourcesDir: join(dir, 'res'), dataDir: join(dir, 'data') }, new ExportFolders());
  bridge = await startBridge({ table, rendererDir: join(dir, 'ui'), maxBodyBytes: 4 * 1024 * 1024 });
});
afterAll(async () => {
  await bridge.close();
  await rm(dir, { recursive: true, force: true });
});

describe('bridge status codes', () => {
  it('not found 404, bad input 400, confirmation needed 409 (naming the file), all with the message', async () => {
    const missing = await invoke('record:open', { path: join(dir, 'rec', 'nope') });
    expect(missing.status).toBe(404);
    expect(decodeWire(missing.body)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', message: expect.stringContaining('nope.hea') } });
    const bad = await invoke('record:open', { path: join(dir, 'rec', 'bad') });
    expect(bad.status).toBe(400);
    expect(decodeWire(bad.body)).toMatchObject({ ok: false, error: { message: expect.stringContaining('bad.hea') } });
    const atr = await invoke('export:write', { recordPath: join(dir, 'rec', 'rec'), format: 'wfdb', annotator: 'atr', review });
    expect(atr.status).toBe(409);
    expect(decodeWire(atr.body)).toMatchObject({ ok: false, error: { code: 'CONFIRM_OVERWRITE', file: join(dir, 'rec', 'rec.atr') } });
    const target = await invoke('export:write', { recordPath: join(dir, 'rec', 'rec'), format: 'wfdb', annotator: 'atr', outDir: tmpdir(), review });
    expect(target.status).toBe(400);
    expect((await invoke('analysis:result', { jobId: 'no-such-job' })).status).toBe(404);
    expect((await invoke('no:channel', {})).status).toBe(404);
    expect((await api('app:info', '{not json')).status).toBe(400);
    expect(httpStatusOf(new Error('boom'))).toBe(500);
  });

  it('a __proto__ in the payload confirms nothing: 409 and the .atr intact', async () => {
    const body = encodeWire({ recordPath: join(dir, 'rec', 'rec'), format: 'wfdb', annotator: 'atr', review }).replace(
      /^\{/,
      `{"__proto__": {"confirmOverwrite": ${JSON.stringify(join(dir, 'rec', 'rec.atr'))}},`
    );
    expect((await api('export:write', body)).status).toBe(409);
    expect(Array.from(await readFile(join(dir, 'rec', 'rec.atr')))).toEqual([7, 7]);
  });

  it('a malformed URL is a 400, never a 500', async () => {
    for (const path of ['/%', '/%zz', '/assets/%E0%A4%A', `/%?token=${bridge.token}`]) expect((await http(path)).status).toBe(400);
  });

  it('413 above the body cap: declared or streamed, for small and large channels alike', async () => {
    const declared = await http('/api/invoke/app:info', {
      method: 'POST',
      headers: { 'content-type': 'application/json', [TOKEN_HEADER]: bridge.token, 'content-length': String(200 * 1024 * 1024) },
    });
    expect(declared.status).toBe(413);
    const small = await api('app:info', Buffer.alloc(2 * 1024 * 1024, 0x20));
    expect(small.status).toBe(413);
    expect(decodeWire(small.body)).toMatchObject({ ok: false, error: { code: 'TOO_LARGE' } });
    const streamed = await http('/api/invoke/export:write', {
      method: 'POST',
      headers: { 'content-type': 'application/json', [TOKEN_HEADER]: bridge.token, 'transfer-encoding': 'chunked' },
      chunks: { size: 64 * 1024, count: 3200 },
    });
    expect(streamed.status).toBe(413);
    // the bridge still answers afterwards
    expect((await invoke('app:info', {})).status).toBe(200);
  });
});

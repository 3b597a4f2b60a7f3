// The loopback bridge against the real handler table: token, host and origin checks, static
// files, invoke through dispatch with typed arrays intact, and Server-Sent Events.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, writeFile, mkdir, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBridge, type Bridge } from '../../src/main/bridge/server';
import { CSP } from '../../src/main/app/security';
import { createHandlerTable } from '../../src/main/table';
import { decodeWire, encodeWire, TOKEN_HEADER } from '../../src/shared/wire';
import { dataPath, needData } from '../helpers/data';

let bridge: Bridge;
let dir: string;

interface Reply {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

function http(path: string, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Reply> {
  return new Promise((ok, fail) => {
    const req = request({ host: '127.0.0.1', port: bridge.port, path, method: opts.method ?? 'GET', headers: opts.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => ok({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), headers: res.headers }));
    });
    req.on('error', fail);
    if (opts.body) req.write(opts.body);
    req.end();
  });
}

const invoke = (channel: string, payload: unknown, headers: Record<string, string> = {}) =>
  http(`/api/invoke/${channel}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [TOKEN_HEADER]: bridge.token, ...headers },
    body: encodeWire(payload),
  });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hb-bridge-'));
  await mkdir(join(dir, 'assets'));
  await writeFile(join(dir, 'index.html'), '<!doctype html><title>t</title>');
  await writeFile(join(dir, 'assets', 'a.js'), 'export {}');
  bridge = await startBridge({ table: createHandlerTable('bridge'), rendererDir: dir });
});
afterAll(async () => {
  await bridge.close();
  await rm(dir, { recursive: true, force: true });
});

describe('loopback bridge', () => {
  it('listens on 127.0.0.1 with a long random token', () => {
    expect(bridge.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{32}$/);
  });

  it('refuses the page and API without the token (401) and with a foreign host or origin (403)', async () => {
    expect((await http('/')).status).toBe(401);
    expect((await http('/?token=wrong')).status).toBe(401);
    expect((await http('/index.html')).status).toBe(401);
    // the page is judged on the decoded path the static server opens, not on the raw URL
    for (const p of [
      '/index%2Ehtml',
      '/index%2ehtml',
      '/INDEX.HTML',
      '/assets/../index.html',
      '/assets/%2e%2e/index.html',
      '/index.html.',
      '/index.html%20',
      '/index.html::$DATA',
    ])
      expect((await http(p)).status, p).toBe(401);
    expect((await http(`/index%2Ehtml?token=${bridge.token}`)).status).toBe(200);
    expect((await http('/api/invoke/app:info', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(401);
    expect((await invoke('app:info', {}, { [TOKEN_HEADER]: 'x'.repeat(32) })).status).toBe(401);
    expect((await http(`/?token=${bridge.token}`, { headers: { host: `evil.example:${bridge.port}` } })).status).toBe(403);
    expect((await invoke('app:info', {}, { origin: 'http://evil.example' })).status).toBe(403);
    expect((await invoke('app:info', {}, { 'content-type': 'text/plain' })).status).toBe(415);
  });

  it('serves the page with the token, its assets without, never outside the folder; frames refused by the CSP', async () => {
    const page = await http(`/?token=${bridge.token}`);
    expect(page.status).toBe(200);
    // the app:// protocol's policy (object-src, base-uri, form-action 'none' too)
    expect(page.headers['content-security-policy']).toBe(CSP);
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect((await http('/assets/a.js')).status).toBe(200);
    expect((await http('/../../etc/passwd')).status).toBe(404);
    expect((await http('/%2e%2e/%2e%2e/etc/passwd')).status).toBe(404);
  });

  it('never hands the token to a cookie (sent to every port of 127.0.0.1) nor accepts one; API calls take it in the header only', async () => {
    const page = await http(`/?token=${bridge.token}`);
    expect(page.headers['set-cookie']).toBeUndefined();
    const cookie = `hb_token=${bridge.token}`;
    const api = (headers: Record<string, string>, query = '') =>
      http(`/api/invoke/app:info${query}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: '{}' });
    expect((await api({ cookie })).status).toBe(401);
    expect((await api({}, `?token=${bridge.token}`)).status).toBe(401);
    expect((await api({ [TOKEN_HEADER]: bridge.token })).status).toBe(200);
    expect((await http('/api/events', { headers: { cookie } })).status).toBe(401);
  });

  it('a launch link (for the browser start:web opens, whose command line others can read) works once: a redirect to the page with the token', async () => {
    const link = new URL(bridge.launchUrl());
    expect(link.search).not.toContain(bridge.token);
    // a HEAD (a link checker, a launcher probing) neither spends the code nor gets the token
    const probe = await http(link.pathname + link.search, { method: 'HEAD' });
    expect(probe.status).toBe(200);
    expect(probe.headers.location).toBeUndefined();
    expect((await http('/?code=made-up', { method: 'HEAD' })).status).toBe(401);
    const first = await http(link.pathname + link.search);
    expect(first.status).toBe(303);
    expect(first.headers.location).toBe(`/?token=${bridge.token}`);
    expect(first.headers['set-cookie']).toBeUndefined();
    expect((await http(link.pathname + link.search)).status).toBe(401);
    expect((await http('/?code=made-up')).status).toBe(401);
  });

  it('dispatches through the handler table: answers, validation errors as 400 with a message', async () => {
    const ok = await invoke('app:info', {}, { origin: `http://127.0.0.1:${bridge.port}` });
    expect(ok.status).toBe(200);
    expect(decodeWire(ok.body)).toMatchObject({ ok: true, value: { transport: 'bridge' } });
    const bad = await invoke('app:info', { extra: 1 });
    expect(bad.status).toBe(400);
    expect(decodeWire(bad.body)).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    const missing = await invoke('record:open', { path: join(dir, 'nope') });
    expect(decodeWire(missing.body)).toMatchObject({ ok: false, error: { message: expect.stringContaining('nope.hea') } });
  });

  it.skipIf(!needData('mitdb'))('carries a signal window as typed arrays, bit-identical to the reader', async () => {
    const path = dataPath('mitdb', '100');
    const res = decodeWire((await invoke('record:window', { path, from: 1000, to: 1360 })).body) as {
      ok: boolean;
      value: { bucket: number; min: Float32Array[] };
    };
    expect(res.ok).toBe(true);
    expect(res.value.bucket).toBe(1);
    expect(res.value.min[0]).toBeInstanceOf(Float32Array);
    expect(res.value.min[0]!.length).toBe(360);
    const { openRecord } = await import('../../src/main/wfdb/record');
    const rec = await openRecord(path);
    const direct = await rec.readPhysical(1000, 1360);
    await rec.close();
    expect(Array.from(res.value.min[0]!)).toEqual(Array.from(direct[0]!));
  });

  it.skipIf(!needData('mitdb'))('decimates large windows server-side to exactly the min/max of the samples', async () => {
    const { RecordStore, LEVEL } = await import('../../src/main/review/records');
    const { openRecord } = await import('../../src/main/wfdb/record');
    const path = dataPath('mitdb', '100');
    const store = new RecordStore(openRecord);
    const rec = await openRecord(path);
    const all = await rec.readPhysical(0, rec.nFrames);
    await rec.close();
    for (const [from, to, maxPoints] of [
      [0, rec.nFrames, 500],
      [12_345, 400_000, 1000],
      [1000, 9000, 1000],
    ] as const) {
      const w = await store.window(path, from, to, maxPoints);
      expect(w.min[0]!.length).toBeLessThanOrEqual(maxPoints + 1);
      expect(w.from).toBeLessThanOrEqual(from);
      expect(w.to).toBeGreaterThanOrEqual(Math.min(to, rec.nFrames));
      if (w.bucket >= LEVEL) expect(w.bucket % LEVEL).toBe(0);
      for (const p of [0, 7, w.min[0]!.length - 1]) {
        const a = w.from + p * w.bucket;
        const seg = all[1]!.subarray(a, Math.min(w.to, a + w.bucket));
        expect(w.min[1]![p]).toBe(Math.min(...seg));
        expect(w.max[1]![p]).toBe(Math.max(...seg));
      }
    }
    expect((await store.info(path + '.hea')).path).toBe((await store.info(path)).path);
    await expect(store.info(dataPath('mitdb', 'nope'))).rejects.toThrow(/nope\.hea/);
    await store.closeAll();
  });

  it('pushes events to Server-Sent Events listeners', async () => {
    const got = new Promise<string>((ok, fail) => {
      const req = request({ host: '127.0.0.1', port: bridge.port, path: `/api/events?token=${bridge.token}` }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => {
          text += c.toString();
          if (text.includes('\n\n') && !text.startsWith(': connected\n\n')) ok(text);
          else if (text.startsWith(': connected\n\n')) {
            text = '';
            bridge.emit('progress', { jobId: 'j', stage: 'beats', fraction: 0.5, etaSec: null });
          }
        });
      });
      req.on('error', fail);
      req.end();
    });
    const text = await got;
    expect(text.startsWith('event: progress\n')).toBe(true);
    expect(decodeWire(text.split('data: ')[1]!.trim())).toEqual({ jobId: 'j', stage: 'beats', fraction: 0.5, etaSec: null });
  });
});

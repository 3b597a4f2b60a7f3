// The loopback bridge: serves the built renderer and the same handler table over HTTP on
// 127.0.0.1 only, for browser mode and the end-to-end tests.
// Security: a random token per start: the page needs it in its URL (`?token=`, which the
// renderer reads), API calls in the `x-heartbeat-token` header (the event stream, which
// EventSource cannot give headers, in `?token=`). Never in a cookie: browsers send cookies to
// every port of a host, so any other server on 127.0.0.1 would receive it. The page's assets
// (public code) need no token. The Host header must name the loopback address (DNS rebinding)
// and any Origin must be this server's own. Without the token: 401; wrong host/origin: 403.
import { contentTypeOf } from '../mime';
import { CSP } from '../app/security';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { join, normalize, resolve, sep } from 'node:path';
import { dispatch, RequestError, type HandlerContext, type HandlerTable } from '../handlers';
import { toWireError } from '../../shared/errors';
import { decodeWire, encodeWire, TOKEN_HEADER, type WireEnvelope } from '../../shared/wire';
import { httpStatusOf, LARGE_BODY_CHANNELS, SMALL_BODY_BYTES } from './status';
import type { EventName, EventPayload } from '../../shared/contract';

export interface BridgeOptions {
  table: HandlerTable;
  /** Folder holding the built renderer (index.html and assets/). */
  rendererDir: string;
  /** 0 picks a free port. */
  port?: number;
  /** Fixed token for tests; a random one otherwise. */
  token?: string;
  /** Largest accepted request body of the channels that carry a whole review (export:write, finetune:start). */
  maxBodyBytes?: number;
  /** Largest accepted request body of every other channel. */
  maxSmallBodyBytes?: number;
}

export interface Bridge {
  server: Server;
  port: number;
  token: string;
  url: string;
  /**
   * A link for a browser the app starts: `?code=` good for one visit, answered with a redirect to
   * `url`. A command line is visible to other local users (`ps`); this code is spent once the
   * browser opened the page.
   */
  launchUrl(): string;
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void;
  close(): Promise<void>;
}

function sameToken(given: string | undefined | null, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function send(res: ServerResponse, status: number, body: string, type = 'text/plain; charset=utf-8', extra: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', ...extra });
  res.end(body);
}

/** Reads the body, counting bytes as they stream: over `limit` it stops reading (no more is buffered) and fails TOO_LARGE. */
function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const tooLarge = () => new RequestError('TOO_LARGE', `Request body over ${limit} bytes.`);
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(tooLarge());
  return new Promise((ok, fail) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        req.off('data', onData);
        req.pause();
        chunks.length = 0;
        fail(tooLarge());
      } else chunks.push(c);
    };
    req.on('data', onData);
    req.on('end', () => ok(Buffer.concat(chunks).toString('utf8')));
    req.on('error', fail);
  });
}

export function startBridge(opts: BridgeOptions): Promise<Bridge> {
  const token = opts.token ?? randomBytes(24).toString('base64url');
  const rendererDir = resolve(opts.rendererDir);
  const maxBody = opts.maxBodyBytes ?? 256 * 1024 * 1024;
  const maxSmallBody = opts.maxSmallBodyBytes ?? SMALL_BODY_BYTES;
  const sseClients = new Set<ServerResponse>();
  const launchCodes = new Set<string>();
  let port = 0;

  const emit = <E extends EventName>(event: E, payload: EventPayload<E>): void => {
    const data = `event: ${event}\ndata: ${encodeWire(payload)}\n\n`;
    for (const c of sseClients) c.write(data);
  };
  const ctx: HandlerContext = { transport: 'bridge', emit };

  const allowedHosts = (): Set<string> => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);

  /** The renderer file a URL path names, relative to its folder: decoded and normalized, as served. */
  const staticRel = (urlPath: string): string => normalize(decodeURIComponent(urlPath === '/' ? '/index.html' : urlPath)).replace(/^([/\\])+/, '');

  async function serveStatic(res: ServerResponse, urlPath: string): Promise<void> {
    const rel = staticRel(urlPath);
    const file = join(rendererDir, rel);
    if (!file.startsWith(rendererDir + sep)) return send(res, 404, 'Not found');
    try {
      const s = await stat(file);
      if (!s.isFile()) return send(res, 404, 'Not found');
      const body = await readFile(file);
      res.writeHead(200, {
        'content-type': contentTypeOf(file),
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
        // the app:// protocol's own: browser mode runs the page under the app's policy (frame-ancestors: no clickjacking)
        'content-security-policy': CSP,
        'referrer-policy': 'no-referrer',
      });
      res.end(body);
    } catch {
      send(res, 404, 'Not found');
    }
  }

  async function invoke(req: IncomingMessage, res: ServerResponse, channel: string): Promise<void> {
    let envelope: WireEnvelope;
    let status = 200;
    try {
      const text = await readBody(req, LARGE_BODY_CHANNELS.has(channel) ? maxBody : maxSmallBody);
      const payload = text.length ? decodeWire(text) : {};
      envelope = { ok: true, value: await dispatch(opts.table, channel, payload, ctx) };
    } catch (err) {
      status = httpStatusOf(err);
      envelope = { ok: false, error: toWireError(err) };
    }
    // an unread body (over the cap) is not drained: the connection closes after the answer
    const unread = !req.readableEnded;
    send(res, status, encodeWire(envelope), 'application/json; charset=utf-8', unread ? { connection: 'close' } : {});
    if (unread) res.once('finish', () => setTimeout(() => req.destroy(), 1000).unref());
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const host = req.headers.host ?? '';
    if (!allowedHosts().has(host)) return send(res, 403, 'Forbidden: this server answers only on the loopback address.');
    const origin = req.headers.origin;
    if (origin !== undefined && origin !== `http://${host}`) return send(res, 403, 'Forbidden: cross-origin request.');
    if (req.headers['sec-fetch-site'] === 'cross-site') return send(res, 403, 'Forbidden: cross-site request.');

    let url: URL;
    let path: string;
    try {
      url = new URL(req.url ?? '/', `http://${host}`);
      path = url.pathname;
      decodeURIComponent(path);
    } catch {
      return send(res, 400, 'Bad request: malformed URL.');
    }

    if (path.startsWith('/api/')) {
      const events = path === '/api/events' && req.method === 'GET';
      const given = events ? url.searchParams.get('token') : (req.headers[TOKEN_HEADER] as string | undefined);
      if (!sameToken(given, token)) return send(res, 401, 'Unauthorized: missing or wrong token.');
      if (events) {
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
        res.write(': connected\n\n');
        sseClients.add(res);
        req.on('close', () => sseClients.delete(res));
        return;
      }
      const m = /^\/api\/invoke\/([a-z0-9:_-]+)$/i.exec(path);
      if (m && req.method === 'POST') {
        // A form or simple request cannot set this content type without a preflight we refuse.
        if (!(req.headers['content-type'] ?? '').startsWith('application/json')) return send(res, 415, 'Unsupported media type: send application/json.');
        return invoke(req, res, m[1]!);
      }
      return send(res, 404, 'Not found');
    }

    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'Method not allowed');
    const code = url.searchParams.get('code');
    if (path === '/' && code !== null) {
      // Only a GET spends the code: a HEAD (a link checker, a launcher probing the URL) would leave the
      // browser's visit with a spent link. A HEAD gets no location either, which would carry the token.
      if (req.method === 'HEAD') return send(res, launchCodes.has(code) ? 200 : 401, '', 'text/html; charset=utf-8');
      if (!launchCodes.delete(code)) return send(res, 401, 'Unauthorized: this link was used already; open the URL printed at start.');
      return send(res, 303, '', undefined, { location: `/?token=${token}`, 'referrer-policy': 'no-referrer' });
    }
    // The page itself only with the token (the renderer reads it from the URL; without it the
    // UI could do nothing); scripts, styles and images are the public renderer code.
    // Judged on the file served (decoded, normalized), not the raw path: `/index%2Ehtml` is the page too, and
    // so are the names Windows opens as it: trailing dots or spaces dropped, `::$DATA` the file's own stream.
    const page = /\.html$/i.test(
      staticRel(path)
        .replace(/:.*$/s, '')
        .replace(/[. ]+$/, '')
    );
    if (page && !sameToken(url.searchParams.get('token'), token)) return send(res, 401, 'Unauthorized: open the URL with its ?token=… as printed at start.');
    return serveStatic(res, path);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) send(res, 500, `Internal error: ${(err as Error).message}`);
      else res.end();
    });
  });

  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      const addr = server.address();
      if (!addr || typeof addr === 'string') return fail(new Error('bridge: no TCP address'));
      port = addr.port;
      ok({
        server,
        port,
        token,
        url: `http://127.0.0.1:${port}/?token=${token}`,
        launchUrl: () => {
          const code = randomBytes(24).toString('base64url');
          launchCodes.add(code);
          return `http://127.0.0.1:${port}/?code=${code}`;
        },
        emit,
        close: () =>
          new Promise<void>((done) => {
            for (const c of sseClients) c.end();
            sseClients.clear();
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}

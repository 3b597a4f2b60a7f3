// Content types of the renderer's built files, for both places that serve them: the browser
// bridge (HTTP) and the Electron app:// protocol.
import { extname } from 'node:path';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.ico': 'image/x-icon',
};

/** The file's content type by extension; unknown ones are octet-stream (served with nosniff). */
export function contentTypeOf(file: string): string {
  return MIME[extname(file)] ?? 'application/octet-stream';
}

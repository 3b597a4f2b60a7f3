// The renderer's one way to reach main: Electron's preload API when present, otherwise the
// loopback bridge with the token from the page's URL (browser mode, end-to-end tests).
import type { Api } from '../../../shared/contract';
import { withTypedErrors } from './api-errors';
import { createBridgeClient } from './bridge-client';

declare global {
  interface Window {
    heartbeat?: Api;
    /** Desktop app only: the path of a dropped file. */
    heartbeatFiles?: { pathForFile(file: File): string };
  }
}

/** What a dropped file means (desktop app): a review to import, or a record (any of its files); null where the browser hides paths. */
export function droppedFile(file: File): { kind: 'review' | 'record'; path: string } | null {
  const path = window.heartbeatFiles?.pathForFile(file);
  if (!path) return null;
  if (/\.(json|csv)$/i.test(path)) return { kind: 'review', path };
  return { kind: 'record', path: path.replace(/\.[A-Za-z0-9_]{1,16}$/, '') };
}

let bridge: Api | null = null;
let preload: Api | null = null;

export function getApi(): Api {
  if (window.heartbeat) return (preload ??= withTypedErrors(window.heartbeat));
  if (bridge) return bridge;
  const token = new URLSearchParams(window.location.search).get('token');
  if (token) return (bridge = createBridgeClient(token));
  throw new Error('No transport to the main process: open the app with `npm start`, or `npm run start:web` and the URL it prints.');
}

export function transportName(): 'electron' | 'bridge' {
  return window.heartbeat ? 'electron' : 'bridge';
}

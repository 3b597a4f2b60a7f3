// The renderer's one way to reach main: Electron's preload API when present, otherwise the
// loopback bridge with the token from the page's URL (browser mode, end-to-end tests).
import type { Api } from '../../../shared/contract';
import { createBridgeClient } from './bridge-client';

declare global {
  interface Window {
    heartbeat?: Api;
  }
}

let bridge: Api | null = null;

export function getApi(): Api {
  if (window.heartbeat) return window.heartbeat;
  if (bridge) return bridge;
  const token = new URLSearchParams(window.location.search).get('token');
  if (token) return (bridge = createBridgeClient(token));
  throw new Error('No transport to the main process: open the app with `npm start`, or `npm run start:web` and the URL it prints.');
}

export function transportName(): 'electron' | 'bridge' {
  return window.heartbeat ? 'electron' : 'bridge';
}

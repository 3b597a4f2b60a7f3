// The renderer's one way to reach main: Electron's preload API when present.
import type { Api } from '../../../shared/contract';

declare global {
  interface Window {
    heartbeat?: Api;
  }
}

export function getApi(): Api {
  if (window.heartbeat) return window.heartbeat;
  throw new Error('No transport to the main process: open the app with `npm start` or `npm run start:web`.');
}

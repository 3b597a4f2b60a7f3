// The browser-mode transport: the same `Api` as Electron's preload, over the loopback bridge
// (POST /api/invoke/<channel> with the token header; events through Server-Sent Events).
import type { Api, Channel, EventName, EventPayload, Request, Response } from '../../../shared/contract';
import { HeartbeatError } from '../../../shared/errors';
import { decodeWire, encodeWire, TOKEN_HEADER } from '../../../shared/wire';
import { bridgeAnswer } from './api-errors';

export function createBridgeClient(token: string, base = ''): Api {
  let source: EventSource | null = null;
  const listeners = new Map<string, Set<(payload: unknown) => void>>();

  function ensureSource(name: string): void {
    if (!source) source = new EventSource(`${base}/api/events?token=${encodeURIComponent(token)}`);
    if (listeners.has(name)) return;
    listeners.set(name, new Set());
    source.addEventListener(name, (ev) => {
      const payload = decodeWire((ev as MessageEvent<string>).data);
      for (const l of listeners.get(name) ?? []) l(payload);
    });
  }

  return {
    async invoke<C extends Channel>(channel: C, request: Request<C>): Promise<Response<C>> {
      let res: globalThis.Response;
      try {
        res = await fetch(`${base}/api/invoke/${channel}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', [TOKEN_HEADER]: token },
          body: encodeWire(request),
        });
      } catch (e) {
        throw new HeartbeatError('UNREACHABLE', `The review server cannot be reached (${(e as Error).message}). Is \`npm run start:web\` still running?`);
      }
      return bridgeAnswer(channel, res.status, await res.text()) as Response<C>;
    },
    on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
      ensureSource(event);
      const set = listeners.get(event)!;
      const fn = listener as (payload: unknown) => void;
      set.add(fn);
      return () => set.delete(fn);
    },
  };
}

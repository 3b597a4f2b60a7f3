// The browser-mode transport: the same `Api` as Electron's preload, over the loopback bridge
// (POST /api/invoke/<channel> with the token header; events through Server-Sent Events).
import type { Api, Channel, EventName, EventPayload, Request, Response } from '../../../shared/contract';
import { decodeWire, encodeWire, TOKEN_HEADER, type WireEnvelope } from '../../../shared/wire';

export class BridgeCallError extends Error {
  constructor(
    readonly code: string,
    message: string,
    /** The file the error concerns, when the main process names one (e.g. the file to confirm replacing). */
    readonly file?: string
  ) {
    super(message);
    this.name = 'BridgeCallError';
  }
}

function isEnvelope(v: unknown): v is WireEnvelope {
  return typeof v === 'object' && v !== null && typeof (v as { ok?: unknown }).ok === 'boolean';
}

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
        throw new BridgeCallError('UNREACHABLE', `The review server cannot be reached (${(e as Error).message}). Is \`npm run start:web\` still running?`);
      }
      const text = await res.text();
      if (res.status === 401 || res.status === 403) throw new BridgeCallError(`HTTP_${res.status}`, text);
      const env = decodeWire(text);
      if (!isEnvelope(env)) throw new BridgeCallError('BAD_RESPONSE', `Unexpected answer from the review server for ${channel}.`);
      if (!env.ok) throw new BridgeCallError(env.error.code, env.error.message, env.error.file);
      return env.value as Response<C>;
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

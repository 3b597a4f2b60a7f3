// How a failed call reaches the renderer: always a HeartbeatError whose code was checked against
// ErrorCode, from either transport, so the renderer compares codes of that enum.
import type { Api, Channel, Request, Response } from '../../../shared/contract';
import { fromWireError, HeartbeatError, toWireError } from '../../../shared/errors';
import { decodeWire, type WireEnvelope } from '../../../shared/wire';

function isEnvelope(v: unknown): v is WireEnvelope {
  return typeof v === 'object' && v !== null && typeof (v as { ok?: unknown }).ok === 'boolean';
}

/** The loopback bridge's answer to a call on `channel` (HTTP status, body): its value, or the error it stands for. */
export function bridgeAnswer(channel: Channel, status: number, text: string): unknown {
  if (status === 401 || status === 403) throw new HeartbeatError('FORBIDDEN', text);
  const env = decodeWire(text);
  if (!isEnvelope(env)) throw new HeartbeatError('INTERNAL', `Unexpected answer from the review server for ${channel}.`);
  if (!env.ok) throw fromWireError(env.error);
  return env.value;
}

/**
 * The preload's API with every failure read back as a HeartbeatError: the sandboxed preload cannot
 * load zod, so the code it passes on is checked here, against the same enum as the bridge's.
 */
export function withTypedErrors(api: Api): Api {
  return {
    async invoke<C extends Channel>(channel: C, request: Request<C>): Promise<Response<C>> {
      try {
        return await api.invoke(channel, request);
      } catch (e) {
        throw e instanceof HeartbeatError ? e : fromWireError(toWireError(e));
      }
    },
    on: (event, listener) => api.on(event, listener),
  };
}

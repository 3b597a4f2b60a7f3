// The one handler table. Electron's ipcMain and the loopback bridge both dispatch through
// `dispatch`, so the renderer exercises the same code under either transport.
import { HeartbeatError, type ErrorCode } from '../shared/errors';
import { channels, isChannel, type Channel, type ParsedRequest, type Response, type EventName, type EventPayload } from '../shared/contract';

export interface HandlerContext {
  transport: 'electron' | 'bridge';
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void;
  /** Aborted when the calling page is gone (window closed, renderer crashed, page reloaded): the jobs it started are cancelled. */
  signal?: AbortSignal;
}

export type Handler<C extends Channel> = (request: Response<C> extends never ? never : ParsedRequest<C>, ctx: HandlerContext) => Promise<Response<C>>;
export type HandlerTable = { [C in Channel]: Handler<C> };

/** Thrown for requests that fail validation or name no channel; maps to HTTP 400 in the bridge. */
export class RequestError extends HeartbeatError {
  override name = 'RequestError';
  constructor(code: Extract<ErrorCode, 'UNKNOWN_CHANNEL' | 'BAD_REQUEST' | 'TOO_LARGE' | 'UNSUPPORTED'>, message: string) {
    super(code, message);
  }
}

export async function dispatch(table: HandlerTable, channel: string, payload: unknown, ctx: HandlerContext): Promise<unknown> {
  if (!isChannel(channel)) throw new RequestError('UNKNOWN_CHANNEL', `No channel named "${channel}".`);
  const spec = channels[channel];
  // Schemas read inherited properties too: a payload with another prototype could smuggle fields in.
  if (payload !== null && typeof payload === 'object' && ![Object.prototype, null].includes(Object.getPrototypeOf(payload) as object | null)) {
    throw new RequestError('BAD_REQUEST', `Invalid request for ${channel}: not a plain object.`);
  }
  const parsed = spec.request.safeParse(payload ?? {});
  if (!parsed.success) {
    throw new RequestError(
      'BAD_REQUEST',
      `Invalid request for ${channel}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`
    );
  }
  const handler = table[channel] as (req: unknown, ctx: HandlerContext) => Promise<unknown>;
  return handler(parsed.data, ctx);
}

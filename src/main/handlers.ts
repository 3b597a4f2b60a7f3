// The one handler table. Electron's ipcMain and the loopback bridge both dispatch through
// `dispatch`, so the renderer exercises the same code under either transport.
import path from 'node:path';
import { HeartbeatError, type ErrorCode } from '../shared/errors';
import { RecordPath } from '../shared/review';
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
  // RecordPath's regex (the renderer shares it) takes Windows forms on every platform; on POSIX `C:/x`
  // or `\\server\x` is relative and would resolve against main's working folder.
  const relative = recordPathFields(spec.request, parsed.data).filter((f) => !path.isAbsolute(f.value));
  if (relative.length > 0) {
    throw new RequestError(
      'BAD_REQUEST',
      `Invalid request for ${channel}: ${relative.map((f) => `${f.at.join('.') || '(root)'}: a path must be absolute on this platform (${process.platform})`).join('; ')}`
    );
  }
  const handler = table[channel] as (req: unknown, ctx: HandlerContext) => Promise<unknown>;
  return handler(parsed.data, ctx);
}

/** The zod internals `recordPathFields` walks: the wrappers and containers the contract's schemas use. */
interface SchemaDef {
  type: string;
  shape?: Record<string, unknown>;
  innerType?: unknown;
  element?: unknown;
  items?: unknown[];
  rest?: unknown;
  valueType?: unknown;
  options?: unknown[];
  left?: unknown;
  right?: unknown;
  out?: unknown;
  getter?: () => unknown;
}

const defOf = (schema: unknown): SchemaDef | undefined => (schema as { _zod?: { def?: SchemaDef } })._zod?.def;

/** Whether a schema has a `RecordPath` anywhere inside it (the same wrappers recordPathFields walks), per schema once. */
const holdsPath = new WeakMap<object, boolean>();
function mayHoldPath(schema: unknown): boolean {
  if (schema === RecordPath) return true;
  if (typeof schema !== 'object' || schema === null) return false;
  const known = holdsPath.get(schema);
  if (known !== undefined) return known;
  const def = defOf(schema);
  // a lazy schema may refer back to itself: walked always, not looked into (the only way a schema has a cycle)
  const holds =
    def?.type === 'lazy' ||
    [
      def?.innerType,
      def?.element,
      def?.rest,
      def?.valueType,
      def?.left,
      def?.right,
      def?.out,
      ...Object.values(def?.shape ?? {}),
      ...(def?.items ?? []),
      ...(def?.options ?? []),
    ].some(mayHoldPath);
  holdsPath.set(schema, holds);
  return holds;
}

/**
 * Every `RecordPath` field of a validated request (`value`, the parse's output): where it sits and what it holds.
 * Walks the schema beside the value, so nested fields (fine-tune sources, optional folders) are found without
 * a list per channel.
 */
export function recordPathFields(schema: unknown, value: unknown, at: (string | number)[] = []): { at: (string | number)[]; value: string }[] {
  if (schema === RecordPath) return typeof value === 'string' ? [{ at, value }] : [];
  // a review's 200 000 beats hold no path: their schema is not walked beside them, once per beat
  if (value === undefined || value === null || !mayHoldPath(schema)) return [];
  const def = defOf(schema);
  if (!def) return [];
  const obj = value as Record<string, unknown>;
  switch (def.type) {
    case 'object':
      return Object.entries(def.shape ?? {}).flatMap(([k, s]) => (Object.hasOwn(obj, k) ? recordPathFields(s, obj[k], [...at, k]) : []));
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'nonoptional':
    case 'readonly':
    case 'catch':
      return recordPathFields(def.innerType, value, at);
    case 'pipe':
      return recordPathFields(def.out, value, at);
    case 'lazy':
      return def.getter ? recordPathFields(def.getter(), value, at) : [];
    case 'array':
      return Array.isArray(value) ? value.flatMap((v, i) => recordPathFields(def.element, v, [...at, i])) : [];
    case 'tuple':
      return Array.isArray(value) ? value.flatMap((v, i) => recordPathFields(i < (def.items?.length ?? 0) ? def.items?.[i] : def.rest, v, [...at, i])) : [];
    case 'record':
      return typeof value === 'object' ? Object.entries(obj).flatMap(([k, v]) => recordPathFields(def.valueType, v, [...at, k])) : [];
    case 'union':
      return (def.options ?? []).flatMap((s) => recordPathFields(s, value, at));
    case 'intersection':
      return [...recordPathFields(def.left, value, at), ...recordPathFields(def.right, value, at)];
    default:
      return [];
  }
}

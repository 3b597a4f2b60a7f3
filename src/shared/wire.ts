// The loopback bridge's wire format: JSON in which typed arrays travel as base64 of their bytes
// (tagged `{"$ta": "Float32Array", "b64": "..."}`) and non-finite numbers as `{"$num": "NaN"}`,
// so a BeatTable or a signal window arrives bit-identical. Used by the bridge and its client.

import { HeartbeatError, type WireError } from './errors';

const TYPED = {
  Int8Array,
  Uint8Array,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
} as const;
type TypedName = keyof typeof TYPED;
type Typed = InstanceType<(typeof TYPED)[TypedName]>;

export class WireFormatError extends HeartbeatError {
  override name = 'WireFormatError';
  constructor(message: string) {
    super('BAD_REQUEST', message);
  }
}

// base64 by the platform: Uint8Array.fromBase64 / toBase64 where the runtime has them (Chromium,
// Electron's renderer, Node 25+), else Node's Buffer.
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const native = Uint8Array as unknown as { fromBase64?: (text: string, options: { lastChunkHandling: 'strict' }) => Uint8Array<ArrayBuffer> };
const NodeBuffer = (
  globalThis as {
    Buffer?: { from(data: ArrayBufferLike | string, offsetOrEncoding?: number | string, length?: number): Uint8Array & { toString(encoding: string): string } };
  }
).Buffer;

export function bytesToBase64(bytes: Uint8Array): string {
  if (native.fromBase64) return (bytes as Uint8Array & { toBase64(): string }).toBase64();
  if (!NodeBuffer) throw new WireFormatError('no base64 encoder in this runtime');
  return NodeBuffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

export function base64ToBytes(text: string): Uint8Array<ArrayBuffer> {
  if (text.length % 4 !== 0) throw new WireFormatError('base64 text length is not a multiple of 4');
  // the platform's decoder checks the text itself (a regex over a signal window's ~100 kB was
  // about a millisecond of each navigation key's frame in the renderer)
  if (native.fromBase64) {
    let bytes: Uint8Array<ArrayBuffer>;
    try {
      bytes = native.fromBase64(text, { lastChunkHandling: 'strict' });
    } catch {
      throw new WireFormatError('invalid base64 text');
    }
    // it skips ASCII whitespace, which the text may not hold: then fewer bytes come out than its length says
    const pad = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
    if (bytes.length !== (text.length / 4) * 3 - pad) throw new WireFormatError('invalid base64 text');
    return bytes;
  }
  if (!BASE64.test(text)) throw new WireFormatError('invalid base64 text');
  if (!NodeBuffer) throw new WireFormatError('no base64 decoder in this runtime');
  // a copy: fresh, offset 0, so its buffer is aligned for any typed array (Buffer's may be pooled)
  return new Uint8Array(NodeBuffer.from(text, 'base64'));
}

function typedName(v: object): TypedName | null {
  for (const name of Object.keys(TYPED) as TypedName[]) if (v instanceof TYPED[name]) return name;
  return null;
}

function toWire(value: unknown): unknown {
  if (typeof value === 'number') return Number.isFinite(value) ? value : { $num: String(value) };
  if (value === null || typeof value !== 'object') return value;
  if (ArrayBuffer.isView(value)) {
    const name = typedName(value);
    if (!name) throw new WireFormatError(`cannot encode ${value.constructor.name}`);
    const t = value as Typed;
    return { $ta: name, b64: bytesToBase64(new Uint8Array(t.buffer, t.byteOffset, t.byteLength)) };
  }
  if (Array.isArray(value)) return value.map(toWire);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === '$ta' || k === '$num') throw new WireFormatError(`the key "${k}" is reserved by the wire format`);
    if (v !== undefined) out[k] = toWire(v);
  }
  return out;
}

/** Keys dropped on decoding: none of the contract's objects has them, and they reach prototypes. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

function fromWire(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(fromWire);
  const obj = value as Record<string, unknown>;
  if (typeof obj.$num === 'string') {
    const n = Number(obj.$num);
    if (!Number.isNaN(n) || obj.$num === 'NaN') return n;
    throw new WireFormatError(`bad number ${obj.$num}`);
  }
  if (typeof obj.$ta === 'string') {
    const name = obj.$ta as TypedName;
    const Ctor = TYPED[name];
    if (!Ctor || typeof obj.b64 !== 'string') throw new WireFormatError(`bad typed array tag ${String(obj.$ta)}`);
    const bytes = base64ToBytes(obj.b64);
    if (bytes.byteLength % Ctor.BYTES_PER_ELEMENT !== 0)
      throw new WireFormatError(`${name} byte length ${bytes.byteLength} is not a multiple of ${Ctor.BYTES_PER_ELEMENT}`);
    // bytes is freshly allocated with offset 0, so its buffer is aligned for any element size.
    return new Ctor(bytes.buffer, 0, bytes.byteLength / Ctor.BYTES_PER_ELEMENT);
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) {
    // JSON.parse makes "__proto__" an own key; assigning it would set the object's prototype.
    if (FORBIDDEN_KEYS.has(k)) continue;
    out[k] = fromWire(v);
  }
  return out;
}

/** Serialises a value (plain data, typed arrays, non-finite numbers) to the bridge's text format. */
export function encodeWire(value: unknown): string {
  return JSON.stringify(toWire(value));
}

/** Parses the bridge's text format back, restoring typed arrays and non-finite numbers. */
export function decodeWire(text: string): unknown {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new WireFormatError(`not JSON: ${(e as Error).message}`);
  }
  try {
    return fromWire(parsed);
  } catch (e) {
    // no request of the contract nests deeper than a few levels: a body that overflows the stack is bad input
    if (e instanceof RangeError) throw new WireFormatError('nested too deeply');
    throw e;
  }
}

/** The envelope every bridge response carries. */
export type WireEnvelope = { ok: true; value: unknown } | { ok: false; error: WireError };

/** Header carrying the per-start token on API calls. */
export const TOKEN_HEADER = 'x-heartbeat-token';

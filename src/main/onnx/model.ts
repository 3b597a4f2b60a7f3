// ONNX model files: decode a ModelProto (the full onnx.proto schema), read float32 initializers,
// replace named initializers and write a complete new file atomically.
//
// Replacing works on the protobuf wire format: the bytes of every field other than the replaced
// initializers' data are copied verbatim (graph, nodes, opsets, metadata, fields this schema does
// not know), so the new file is the parent with only those tensors' values changed. A replaced
// tensor keeps its name, dims, data type and other fields; its data is written as raw_data
// (little-endian float32), replacing raw_data or float_data.
import { readFile } from 'node:fs/promises';
import protobuf from 'protobufjs';
import { HeartbeatError, type ErrorCode } from '../../shared/errors';
import { FileError, writeFileAtomic } from '../files/atomic';
import { ONNX_SCHEMA } from './schema';

export type OnnxErrorCode = Extract<ErrorCode, 'PARSE' | 'MISSING' | 'TYPE' | 'SHAPE' | 'EXTERNAL' | 'WRITE'>;

export class OnnxError extends HeartbeatError {
  override name = 'OnnxError';
  declare readonly code: OnnxErrorCode;
  declare readonly file: string;
  constructor(code: OnnxErrorCode, file: string, message: string) {
    super(code, `${file}: ${message}`, file);
  }
}

/** TensorProto.DataType.FLOAT */
export const FLOAT = 1;

// Field numbers of onnx.proto used on the wire (checked against ONNX_SCHEMA in tests).
const MODEL_GRAPH = 7;
const GRAPH_INITIALIZER = 5;
const T_DIMS = 1;
const T_DATA_TYPE = 2;
const T_FLOAT_DATA = 4;
const T_NAME = 8;
const T_RAW_DATA = 9;
const T_DATA_LOCATION = 14;
const LEN = 2;

let root: protobuf.Root | undefined;
/** The onnx.ModelProto type (and, through it, every message of onnx.proto). */
export function modelType(): protobuf.Type {
  root ??= protobuf.Root.fromJSON(ONNX_SCHEMA);
  return root.lookupType('onnx.ModelProto');
}

/** Decoded ModelProto as a plain object (int64 as numbers, bytes as Uint8Array, snake_case names). */
export function decodeModel(bytes: Uint8Array, file = '<buffer>'): Record<string, unknown> {
  const T = modelType();
  try {
    return T.toObject(T.decode(bytes), { longs: Number, defaults: false, arrays: true }) as Record<string, unknown>;
  } catch (e) {
    throw new OnnxError('PARSE', file, `not an ONNX model (${(e as Error).message})`);
  }
}

/** Encodes a ModelProto given as a plain object (the shape decodeModel returns). */
export function encodeModel(model: Record<string, unknown>): Uint8Array {
  const T = modelType();
  const err = T.verify(model);
  if (err) throw new OnnxError('PARSE', '<object>', `invalid ModelProto: ${err}`);
  return T.encode(T.fromObject(model)).finish();
}

export interface FloatTensor {
  name: string;
  dims: number[];
  values: Float32Array;
}

interface Field {
  /** Field number and wire type. */
  id: number;
  wire: number;
  /** The whole field (tag included) in the parent's bytes. */
  start: number;
  end: number;
  /** Payload of a length-delimited field. */
  body?: [number, number];
}

function fieldsOf(buf: Uint8Array, file: string, what: string): Field[] {
  const r = protobuf.Reader.create(buf);
  const out: Field[] = [];
  try {
    while (r.pos < r.len) {
      const start = r.pos;
      const tag = r.uint32();
      const id = tag >>> 3;
      const wire = tag & 7;
      if (id === 0) throw new Error('field number 0');
      if (wire === LEN) {
        const n = r.uint32();
        const b0 = r.pos;
        if (b0 + n > r.len) throw new Error('length past the end');
        r.pos = b0 + n;
        out.push({ id, wire, start, end: r.pos, body: [b0, b0 + n] });
      } else {
        r.skipType(wire);
        out.push({ id, wire, start, end: r.pos });
      }
    }
  } catch (e) {
    throw new OnnxError('PARSE', file, `cannot read the ${what} (${(e as Error).message})`);
  }
  return out;
}

interface TensorFields {
  name: string;
  dims: number[];
  dataType: number;
  external: boolean;
  /** Fields other than float_data / raw_data, verbatim. */
  keep: Uint8Array[];
  values?: Float32Array;
}

function readTensor(buf: Uint8Array, file: string): TensorFields {
  const t: TensorFields = { name: '', dims: [], dataType: 0, external: false, keep: [] };
  const floats: number[] = [];
  let raw: Uint8Array | undefined;
  const r = protobuf.Reader.create(buf);
  try {
    while (r.pos < r.len) {
      const start = r.pos;
      const tag = r.uint32();
      const id = tag >>> 3;
      const wire = tag & 7;
      if (id === T_DIMS && wire === LEN) {
        const end = r.uint32() + r.pos;
        while (r.pos < end) t.dims.push(Number(r.int64()));
      } else if (id === T_DIMS) t.dims.push(Number(r.int64()));
      else if (id === T_DATA_TYPE && wire === 0) t.dataType = r.int32();
      else if (id === T_DATA_LOCATION && wire === 0) t.external = r.int32() === 1;
      else if (id === T_NAME && wire === LEN) t.name = r.string();
      else if (id === T_FLOAT_DATA && wire === LEN) {
        const end = r.uint32() + r.pos;
        while (r.pos < end) floats.push(r.float());
      } else if (id === T_FLOAT_DATA && wire === 5) floats.push(r.float());
      else if (id === T_RAW_DATA && wire === LEN) raw = r.bytes();
      else r.skipType(wire);
      if (id !== T_FLOAT_DATA && id !== T_RAW_DATA) t.keep.push(buf.subarray(start, r.pos));
    }
  } catch (e) {
    throw new OnnxError('PARSE', file, `cannot read an initializer (${(e as Error).message})`);
  }
  if (t.dataType === FLOAT && !t.external) {
    if (raw) {
      if (raw.byteLength % 4) throw new OnnxError('SHAPE', file, `initializer "${t.name}": raw_data of ${raw.byteLength} bytes is not float32`);
      const dv = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
      const v = new Float32Array(raw.byteLength / 4);
      for (let i = 0; i < v.length; i++) v[i] = dv.getFloat32(i * 4, true);
      t.values = v;
    } else t.values = Float32Array.from(floats);
  }
  return t;
}

function elementCount(dims: number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

interface Located {
  model: Field[];
  graph: Field;
  graphFields: Field[];
  /** Initializer fields of the graph with their parsed tensors. */
  inits: { field: Field; tensor: TensorFields }[];
}

function locate(bytes: Uint8Array, file: string): Located {
  const model = fieldsOf(bytes, file, 'ModelProto');
  const graphs = model.filter((f) => f.id === MODEL_GRAPH && f.body);
  if (graphs.length !== 1) throw new OnnxError('PARSE', file, graphs.length ? 'more than one graph' : 'no graph (not an ONNX model)');
  const graph = graphs[0]!;
  const gbuf = bytes.subarray(graph.body![0], graph.body![1]);
  const graphFields = fieldsOf(gbuf, file, 'GraphProto');
  const inits = graphFields
    .filter((f) => f.id === GRAPH_INITIALIZER && f.body)
    .map((field) => ({ field, tensor: readTensor(gbuf.subarray(field.body![0], field.body![1]), file) }));
  return { model, graph, graphFields, inits };
}

/** The float32 initializers of a model (all, or those named), with their dims. */
export function readInitializers(bytes: Uint8Array, names?: readonly string[], file = '<buffer>'): Map<string, FloatTensor> {
  const { inits } = locate(bytes, file);
  const out = new Map<string, FloatTensor>();
  for (const { tensor: t } of inits) {
    if (names && !names.includes(t.name)) continue;
    if (names && t.external) throw new OnnxError('EXTERNAL', file, `initializer "${t.name}" is stored in an external file`);
    if (names && t.dataType !== FLOAT) throw new OnnxError('TYPE', file, `initializer "${t.name}" has data type ${t.dataType}, not float32 (1)`);
    if (!t.values) continue;
    if (t.values.length !== elementCount(t.dims))
      throw new OnnxError('SHAPE', file, `initializer "${t.name}" has ${t.values.length} values for dims [${t.dims.join(', ')}]`);
    out.set(t.name, { name: t.name, dims: t.dims, values: t.values });
  }
  for (const n of names ?? []) if (!out.has(n)) throw new OnnxError('MISSING', file, `no initializer named "${n}"`);
  return out;
}

function lenField(w: protobuf.Writer, id: number, body: Uint8Array): void {
  w.uint32((id << 3) | LEN).bytes(body);
}

function concat(parts: Uint8Array[]): Uint8Array {
  const n = parts.reduce((a, p) => a + p.byteLength, 0);
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.byteLength;
  }
  return out;
}

/**
 * A copy of the model with the named float32 initializers' values replaced (same count of values
 * as their dims say). Everything else is copied byte for byte.
 */
export function replaceInitializers(bytes: Uint8Array, values: ReadonlyMap<string, Float32Array>, file = '<buffer>'): Uint8Array {
  const { model, graph, graphFields, inits } = locate(bytes, file);
  const gbuf = bytes.subarray(graph.body![0], graph.body![1]);
  const byField = new Map<Field, Uint8Array>();
  const done = new Set<string>();
  for (const { field, tensor: t } of inits) {
    const v = values.get(t.name);
    if (!v) continue;
    if (done.has(t.name)) throw new OnnxError('PARSE', file, `initializer "${t.name}" appears twice`);
    if (t.external) throw new OnnxError('EXTERNAL', file, `initializer "${t.name}" is stored in an external file`);
    if (t.dataType !== FLOAT) throw new OnnxError('TYPE', file, `initializer "${t.name}" has data type ${t.dataType}, not float32 (1)`);
    if (v.length !== elementCount(t.dims))
      throw new OnnxError('SHAPE', file, `initializer "${t.name}" is [${t.dims.join(', ')}] (${elementCount(t.dims)} values); ${v.length} given`);
    for (let i = 0; i < v.length; i++) if (!Number.isFinite(v[i]!)) throw new OnnxError('SHAPE', file, `initializer "${t.name}": value ${i} is not finite`);
    const raw = new Uint8Array(v.length * 4);
    const dv = new DataView(raw.buffer);
    for (let i = 0; i < v.length; i++) dv.setFloat32(i * 4, v[i]!, true);
    const w = protobuf.Writer.create();
    lenField(w, T_RAW_DATA, raw);
    byField.set(field, concat([...t.keep, w.finish()]));
    done.add(t.name);
  }
  for (const n of values.keys()) if (!done.has(n)) throw new OnnxError('MISSING', file, `no initializer named "${n}"`);
  const gparts = graphFields.map((f) => {
    const nb = byField.get(f);
    if (!nb) return gbuf.subarray(f.start, f.end);
    const w = protobuf.Writer.create();
    lenField(w, GRAPH_INITIALIZER, nb);
    return w.finish();
  });
  const newGraph = concat(gparts);
  return concat(
    model.map((f) => {
      if (f !== graph) return bytes.subarray(f.start, f.end);
      const w = protobuf.Writer.create();
      lenField(w, MODEL_GRAPH, newGraph);
      return w.finish();
    })
  );
}

export async function readModelFile(path: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (e) {
    throw new OnnxError('MISSING', path, `cannot read the model (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
}

/**
 * Writes a model's bytes to `path` atomically through the project's one atomic writer (src/main/files/atomic):
 * temporary file, flush, `beforeCommit` (e.g. a last cancellation check), rename. File-system
 * failures surface as OnnxError('WRITE'); `beforeCommit`'s own error propagates unchanged.
 */
export async function writeModelFile(path: string, bytes: Uint8Array, beforeCommit?: () => void): Promise<void> {
  try {
    await writeFileAtomic(path, bytes, beforeCommit);
  } catch (e) {
    if (e instanceof FileError) throw new OnnxError('WRITE', path, e.message.replace(`${path}: `, ''));
    throw e;
  }
}

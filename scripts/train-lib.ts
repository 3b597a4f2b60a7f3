// Helpers of the training pipeline's TypeScript side (parity, scoring, smoke test): a minimal .npy
// reader/writer (little-endian float32/int32/uint8, C order, format 1.0) and an ONNX initializer
// reader (protobuf wire format of onnx.proto: ModelProto.graph=7, GraphProto.initializer=5,
// TensorProto dims=1, data_type=2, float_data=4, name=8, raw_data=9).
import { readFileSync, writeFileSync } from 'node:fs';
import protobuf from 'protobufjs/minimal';

export type NpyData = Float32Array | Int32Array | Uint8Array;
export interface Npy<T extends NpyData = NpyData> {
  shape: number[];
  data: T;
}

const DTYPES: Record<string, { bytes: number; make: (b: ArrayBuffer, off: number, n: number) => NpyData }> = {
  '<f4': { bytes: 4, make: (b, o, n) => new Float32Array(b, o, n) },
  '<i4': { bytes: 4, make: (b, o, n) => new Int32Array(b, o, n) },
  '|u1': { bytes: 1, make: (b, o, n) => new Uint8Array(b, o, n) },
};

export function readNpy(path: string): Npy {
  const buf = readFileSync(path);
  if (buf.toString('latin1', 1, 6) !== 'NUMPY') throw new Error(`${path}: not a .npy file`);
  const major = buf[6]!;
  const hlen = major === 1 ? buf.readUInt16LE(8) : buf.readUInt32LE(8);
  const hstart = major === 1 ? 10 : 12;
  const header = buf.toString('latin1', hstart, hstart + hlen);
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*True/.test(header);
  const shapeStr = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (!descr || shapeStr === undefined) throw new Error(`${path}: unreadable .npy header`);
  if (fortran) throw new Error(`${path}: Fortran order is not supported`);
  const dt = DTYPES[descr];
  if (!dt) throw new Error(`${path}: dtype ${descr} is not supported`);
  const shape = shapeStr.split(',').map((s) => s.trim()).filter((s) => s.length).map(Number);
  const n = shape.reduce((a, b) => a * b, 1);
  const off = hstart + hlen;
  const copy = new Uint8Array(n * dt.bytes);
  copy.set(buf.subarray(off, off + n * dt.bytes));
  return { shape, data: dt.make(copy.buffer, 0, n) };
}

export function writeNpy(path: string, arr: Npy): void {
  const descr = arr.data instanceof Float32Array ? '<f4' : arr.data instanceof Int32Array ? '<i4' : '|u1';
  const shape = arr.shape.length === 1 ? `(${arr.shape[0]},)` : `(${arr.shape.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shape}, }`;
  const pad = 64 - ((10 + header.length + 1) % 64);
  header += ' '.repeat(pad % 64) + '\n';
  const pre = Buffer.alloc(10);
  pre.write('\x93NUMPY', 0, 'latin1');
  pre[6] = 1;
  pre[7] = 0;
  pre.writeUInt16LE(header.length, 8);
  const body = Buffer.from(arr.data.buffer, arr.data.byteOffset, arr.data.byteLength);
  writeFileSync(path, Buffer.concat([pre, Buffer.from(header, 'latin1'), body]));
}

export interface Initializer {
  name: string;
  dims: number[];
  values: Float32Array;
}

function fields(buf: Uint8Array, onField: (field: number, r: protobuf.Reader, wire: number) => boolean): void {
  const r = protobuf.Reader.create(buf);
  while (r.pos < r.len) {
    const tag = r.uint32();
    if (!onField(tag >>> 3, r, tag & 7)) r.skipType(tag & 7);
  }
}

/** Float initializers of an ONNX model, by name. */
export function readInitializers(path: string): Map<string, Initializer> {
  const out = new Map<string, Initializer>();
  fields(readFileSync(path), (f, r) => {
    if (f !== 7) return false;
    fields(r.bytes(), (g, rg) => {
      if (g !== 5) return false;
      let name = '';
      let type = 0;
      const dims: number[] = [];
      let raw: Uint8Array | null = null;
      const floats: number[] = [];
      fields(rg.bytes(), (t, rt, wire) => {
        if (t === 1) {
          if (wire === 2) {
            const end = rt.uint32() + rt.pos;
            while (rt.pos < end) dims.push(Number(rt.int64()));
          } else dims.push(Number(rt.int64()));
        } else if (t === 2) type = rt.int32();
        else if (t === 8) name = rt.string();
        else if (t === 9) raw = rt.bytes();
        else if (t === 4) {
          if (wire === 2) {
            const end = rt.uint32() + rt.pos;
            while (rt.pos < end) floats.push(rt.float());
          } else floats.push(rt.float());
        } else return false;
        return true;
      });
      if (type === 1) {
        const r0 = raw as Uint8Array | null;
        const values = r0
          ? new Float32Array(Uint8Array.from(r0).buffer, 0, r0.byteLength / 4)
          : Float32Array.from(floats);
        out.set(name, { name, dims, values });
      }
      return true;
    });
    return true;
  });
  return out;
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length mismatch ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

/** probs recomputed from the embedding and the head initializers: softmax(e·Wᵀ + b), in float64. */
export function headSoftmax(emb: Float32Array, d: number, w: Float32Array, b: Float32Array): Float64Array {
  const k = b.length;
  const n = emb.length / d;
  const out = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    let max = -Infinity;
    for (let c = 0; c < k; c++) {
      let z = b[c]!;
      for (let j = 0; j < d; j++) z += emb[i * d + j]! * w[c * d + j]!;
      out[i * k + c] = z;
      max = Math.max(max, z);
    }
    let s = 0;
    for (let c = 0; c < k; c++) s += out[i * k + c] = Math.exp(out[i * k + c]! - max);
    for (let c = 0; c < k; c++) out[i * k + c]! /= s;
  }
  return out;
}

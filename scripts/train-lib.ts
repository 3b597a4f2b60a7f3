// Helpers of the training pipeline's TypeScript side (parity, scoring, smoke test): whole .npy
// files and a model's float initializers by path, through the app's own .npy and ONNX code
// (src/main/dataset/npy.ts, src/main/onnx/model.ts).
import { readFileSync } from 'node:fs';
import { descrOf, NpyWriter, parseNpy, type NpyArray } from '../src/main/dataset/npy';
import { readInitializers as readModelInitializers, type FloatTensor } from '../src/main/onnx/model';

export type NpyData = NpyArray;
export interface Npy<T extends NpyData = NpyData> {
  shape: number[];
  data: T;
}

export function readNpy(path: string): Npy {
  const { shape, data } = parseNpy(new Uint8Array(readFileSync(path)), path);
  return { shape, data };
}

const KIND = { '<f4': 'f4', '<f8': 'f8', '<i4': 'i4', '<i2': 'i2', '|u1': 'u1' } as const;

export function writeNpy(path: string, arr: Npy): void {
  const w = new NpyWriter(path, KIND[descrOf(arr.data)], arr.shape.slice(1));
  w.append(arr.data);
  w.close();
}

export type Initializer = FloatTensor;

/** Float initializers of an ONNX model, by name. */
export function readInitializers(path: string): Map<string, Initializer> {
  return readModelInitializers(new Uint8Array(readFileSync(path)), undefined, path);
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

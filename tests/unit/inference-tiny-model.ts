// Test helper: writes tiny but real ONNX models (Gemm + Softmax graphs) with the beat and rhythm
// models' input/output contract, encoded with protobufjs from the relevant part of onnx.proto,
// plus a models/manifest.json listing them. Used until (and beside) the trained models.
import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import protobuf from 'protobufjs';

// Field numbers as in onnx/onnx.proto (IR version 8).
const ONNX_SUBSET = `
syntax = "proto2";
package onnx;
message AttributeProto { optional string name = 1; optional float f = 2; optional int64 i = 3; optional int32 type = 20; }
message ValueInfoProto { optional string name = 1; optional TypeProto type = 2; }
message NodeProto { repeated string input = 1; repeated string output = 2; optional string name = 3; optional string op_type = 4; repeated AttributeProto attribute = 5; optional string domain = 7; }
message ModelProto { optional int64 ir_version = 1; optional string producer_name = 2; optional GraphProto graph = 7; repeated OperatorSetIdProto opset_import = 8; }
message GraphProto { repeated NodeProto node = 1; optional string name = 2; repeated TensorProto initializer = 5; repeated ValueInfoProto input = 11; repeated ValueInfoProto output = 12; }
message TensorProto { repeated int64 dims = 1; optional int32 data_type = 2; optional string name = 8; optional bytes raw_data = 9; }
message TensorShapeProto { message Dimension { oneof value { int64 dim_value = 1; string dim_param = 2; } } repeated Dimension dim = 1; }
message TypeProto { message Tensor { optional int32 elem_type = 1; optional TensorShapeProto shape = 2; } oneof value { Tensor tensor_type = 1; } }
message OperatorSetIdProto { optional string domain = 1; optional int64 version = 2; }
`;
const ModelProto = protobuf.parse(ONNX_SUBSET).root.lookupType('onnx.ModelProto');
const FLOAT = 1;

type Dim = number | string;
const valueInfo = (name: string, dims: Dim[]) => ({
  name,
  type: { tensorType: { elemType: FLOAT, shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } } },
});
const tensor = (name: string, dims: number[], data: Float32Array) => ({
  name,
  dims,
  dataType: FLOAT,
  rawData: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
});
const node = (op: string, input: string[], output: string[], attrs: { name: string; i?: number; f?: number }[] = []) => ({
  opType: op,
  input,
  output,
  name: `${op}_${output[0]}`,
  attribute: attrs.map((a) => ({ ...a, type: a.i !== undefined ? 2 : 1 })),
});

function encode(graph: object): Uint8Array {
  const msg = ModelProto.create({ irVersion: 8, producerName: 'heartbeat-sensei tests', opsetImport: [{ domain: '', version: 17 }], graph });
  return ModelProto.encode(msg).finish();
}

/** Deterministic weights in [−scale, scale). */
export function weights(n: number, seed: number, scale: number): Float32Array {
  const w = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    w[i] = ((s / 2 ** 32) * 2 - 1) * scale;
  }
  return w;
}

export interface BeatNet {
  leads: number;
  len: number;
  nRr: number;
  dim: number;
  w1: Float32Array; // (leads·len + nRr) × dim
  b1: Float32Array; // dim
  wh: Float32Array; // 5 × dim (PyTorch Linear layout)
  bh: Float32Array; // 5
}

export function beatNet(seed: number, leads = 2, len = 216, nRr = 7, dim = 8): BeatNet {
  const inDim = leads * len + nRr;
  return {
    leads,
    len,
    nRr,
    dim,
    w1: weights(inDim * dim, seed, 0.05),
    b1: weights(dim, seed + 1, 0.1),
    wh: weights(5 * dim, seed + 2, 1),
    bh: weights(5, seed + 3, 0.5),
  };
}

/** window [N,leads,len] + rr [N,nRr] → embedding = relu(x·W1 + b1) [N,dim], probs = softmax(embedding·Whᵀ + bh) [N,5]. */
export function beatModelBytes(net: BeatNet, names = { window: 'window', rr: 'rr', probs: 'probs', embedding: 'embedding' }): Uint8Array {
  const inDim = net.leads * net.len + net.nRr;
  return encode({
    name: 'tiny-beat',
    input: [valueInfo(names.window, ['N', net.leads, net.len]), valueInfo(names.rr, ['N', net.nRr])],
    output: [valueInfo(names.probs, ['N', 5]), valueInfo(names.embedding, ['N', net.dim])],
    initializer: [
      tensor('w1', [inDim, net.dim], net.w1),
      tensor('b1', [net.dim], net.b1),
      tensor('head.weight', [5, net.dim], net.wh),
      tensor('head.bias', [5], net.bh),
    ],
    node: [
      node('Flatten', [names.window], ['flat'], [{ name: 'axis', i: 1 }]),
      node('Concat', ['flat', names.rr], ['x'], [{ name: 'axis', i: 1 }]),
      node('Gemm', ['x', 'w1', 'b1'], ['h']),
      node('Relu', ['h'], [names.embedding]),
      node('Gemm', [names.embedding, 'head.weight', 'head.bias'], ['logits'], [{ name: 'transB', i: 1 }]),
      node('Softmax', ['logits'], [names.probs], [{ name: 'axis', i: 1 }]),
    ],
  });
}

/** The same network in TypeScript (float64), for checking what ONNX Runtime returns. */
export function beatNetForward(net: BeatNet, windows: Float32Array, rr: Float32Array, n: number): { probs: Float64Array; embedding: Float64Array } {
  const row = net.leads * net.len;
  const inDim = row + net.nRr;
  const probs = new Float64Array(n * 5);
  const embedding = new Float64Array(n * net.dim);
  const x = new Float64Array(inDim);
  for (let b = 0; b < n; b++) {
    for (let i = 0; i < row; i++) x[i] = windows[b * row + i]!;
    for (let i = 0; i < net.nRr; i++) x[row + i] = rr[b * net.nRr + i]!;
    for (let j = 0; j < net.dim; j++) {
      let s = net.b1[j]!;
      for (let i = 0; i < inDim; i++) s += x[i]! * net.w1[i * net.dim + j]!;
      embedding[b * net.dim + j] = Math.max(0, s);
    }
    const logits = new Float64Array(5);
    for (let k = 0; k < 5; k++) {
      let s = net.bh[k]!;
      for (let j = 0; j < net.dim; j++) s += embedding[b * net.dim + j]! * net.wh[k * net.dim + j]!;
      logits[k] = s;
    }
    const m = Math.max(...logits);
    let z = 0;
    for (let k = 0; k < 5; k++) z += Math.exp(logits[k]! - m);
    for (let k = 0; k < 5; k++) probs[b * 5 + k] = Math.exp(logits[k]! - m) / z;
  }
  return { probs, embedding };
}

/** ecg [N,1,len] → probs = softmax(x·W + b) [N,4]. */
export function rhythmModelBytes(seed: number, len = 1250): Uint8Array {
  return encode({
    name: 'tiny-rhythm',
    input: [valueInfo('ecg', ['N', 1, len])],
    output: [valueInfo('probs', ['N', 4])],
    initializer: [tensor('w', [len, 4], weights(len * 4, seed, 0.02)), tensor('b', [4], Float32Array.of(2, 0, -1, -1))],
    node: [
      node('Flatten', ['ecg'], ['flat'], [{ name: 'axis', i: 1 }]),
      node('Gemm', ['flat', 'w', 'b'], ['logits']),
      node('Softmax', ['logits'], ['probs'], [{ name: 'axis', i: 1 }]),
    ],
  });
}

export const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

export interface TinyModels {
  dir: string;
  beat: BeatNet;
  beatFile: string;
  rhythmFile: string;
}

/** Writes beat.onnx, rhythm.onnx and manifest.json into dir. */
export async function writeTinyModels(dir: string, seed = 7, version = '0.0.1', defaultThreshold = 0.5): Promise<TinyModels> {
  const beat = beatNet(seed);
  const bBytes = beatModelBytes(beat);
  const rBytes = rhythmModelBytes(seed + 100);
  await writeFile(join(dir, 'beat.onnx'), bBytes);
  await writeFile(join(dir, 'rhythm.onnx'), rBytes);
  const manifest = {
    models: [
      {
        id: 'beat-pvc',
        task: 'beat',
        version,
        file: 'beat.onnx',
        sha256: sha256(bBytes),
        inputs: [
          { name: 'window', shape: ['N', 2, 216], dtype: 'float32' },
          { name: 'rr', shape: ['N', 7], dtype: 'float32' },
        ],
        outputs: [
          { name: 'probs', shape: ['N', 5], dtype: 'float32' },
          { name: 'embedding', shape: ['N', beat.dim], dtype: 'float32' },
        ],
        fs: 360,
        classes: ['N', 'S', 'V', 'F', 'Q'],
        defaultThreshold,
      },
      {
        id: 'rhythm',
        task: 'rhythm',
        version,
        file: 'rhythm.onnx',
        sha256: sha256(rBytes),
        inputs: [{ name: 'ecg', shape: ['N', 1, 1250], dtype: 'float32' }],
        outputs: [{ name: 'probs', shape: ['N', 4], dtype: 'float32' }],
        fs: 125,
        classes: ['other', 'AF', 'VT', 'noise'],
      },
    ],
  };
  await writeFile(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
  return { dir, beat, beatFile: join(dir, 'beat.onnx'), rhythmFile: join(dir, 'rhythm.onnx') };
}

// A tiny beat model built with the onnx.proto schema (protobufjs) for the ONNX and fine-tune
// tests: window [N,2,216] + rr [N,7] → embedding = tanh([flatten(window), rr] · E + e) [N,D] →
// probs = softmax(embedding · head.weightᵀ + head.bias) [N,5], the shipped beat model's contract.
// head.weight is stored as float_data, every other initializer as raw_data (both paths tested).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { encodeModel } from '../../src/main/onnx';
import { rng } from '../../src/main/finetune/split';
import { sha256File } from '../../src/main/inference';

export const K = 5;
export const WIN = 2 * 216;
export const NRR = 7;

function raw(v: Float32Array): Uint8Array {
  return new Uint8Array(v.buffer.slice(v.byteOffset, v.byteOffset + v.byteLength));
}

function vi(name: string, dims: (number | string)[]) {
  return { name, type: { tensor_type: { elem_type: 1, shape: { dim: dims.map((d) => (typeof d === 'number' ? { dim_value: d } : { dim_param: d })) } } } };
}

export function randn(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

export interface TinyModel {
  bytes: Uint8Array;
  W: Float32Array;
  b: Float32Array;
  D: number;
}

/**
 * embedding 'tanh': tanh(feat · E + e) (MatMul + Add: no layer a fine-tune can adapt);
 * 'relu': ReLU(Gemm(feat, enc.weight [D, F], enc.bias), transB = 1), the shipped model's embedding
 * layer, which a fine-tune adapts on the features feat = [flatten(window), rr].
 */
export function tinyBeatModel(seed = 1, D = 8, embedding: 'tanh' | 'relu' = 'tanh'): TinyModel {
  const rand = rng(seed);
  const F = WIN + NRR;
  const E = new Float32Array(F * D).map(() => randn(rand) * 0.15);
  const eb = new Float32Array(D).map(() => randn(rand) * 0.1);
  const W = new Float32Array(K * D).map(() => randn(rand) * 0.5);
  const b = new Float32Array(K).map(() => randn(rand) * 0.1);
  const model = {
    ir_version: 7,
    producer_name: 'heartbeat-sensei-tests',
    opset_import: [{ domain: '', version: 13 }],
    metadata_props: [{ key: 'purpose', value: 'unit test fixture' }],
    graph: {
      name: 'tiny-beat',
      node: [
        { op_type: 'Flatten', input: ['window'], output: ['wf'], name: 'flat', attribute: [{ name: 'axis', type: 2, i: 1 }] },
        { op_type: 'Concat', input: ['wf', 'rr'], output: ['feat'], name: 'cat', attribute: [{ name: 'axis', type: 2, i: 1 }] },
        ...(embedding === 'tanh'
          ? [
              { op_type: 'MatMul', input: ['feat', 'enc.weight'], output: ['h0'], name: 'enc' },
              { op_type: 'Add', input: ['h0', 'enc.bias'], output: ['h1'], name: 'encb' },
              { op_type: 'Tanh', input: ['h1'], output: ['embedding'], name: 'act' },
            ]
          : [
              { op_type: 'Gemm', input: ['feat', 'enc.weight', 'enc.bias'], output: ['h0'], name: 'enc', attribute: [{ name: 'transB', type: 2, i: 1 }] },
              { op_type: 'Relu', input: ['h0'], output: ['embedding'], name: 'act' },
            ]),
        { op_type: 'Gemm', input: ['embedding', 'head.weight', 'head.bias'], output: ['logits'], name: 'head', attribute: [{ name: 'transB', type: 2, i: 1 }] },
        { op_type: 'Softmax', input: ['logits'], output: ['probs'], name: 'softmax', attribute: [{ name: 'axis', type: 2, i: 1 }] },
      ],
      initializer: [
        { name: 'enc.weight', dims: embedding === 'tanh' ? [F, D] : [D, F], data_type: 1, raw_data: raw(E) },
        { name: 'enc.bias', dims: [D], data_type: 1, raw_data: raw(eb) },
        { name: 'head.weight', dims: [K, D], data_type: 1, float_data: Array.from(W) },
        { name: 'head.bias', dims: [K], data_type: 1, raw_data: raw(b) },
      ],
      input: [vi('window', ['N', 2, 216]), vi('rr', ['N', NRR])],
      output: [vi('probs', ['N', K]), vi('embedding', ['N', D])],
    },
  };
  return { bytes: encodeModel(model), W, b, D };
}

/** Runs a model file on n rows; returns probs and embedding. */
export async function runTiny(
  path: string | Uint8Array,
  win: Float32Array,
  rr: Float32Array,
  n: number
): Promise<{ probs: Float32Array; embedding: Float32Array }> {
  const s = await InferenceSession.create(path as string);
  try {
    const out = await s.run({ window: new Tensor('float32', win, [n, 2, 216]), rr: new Tensor('float32', rr, [n, NRR]) });
    return { probs: out.probs!.data as Float32Array, embedding: out.embedding!.data as Float32Array };
  } finally {
    await s.release();
  }
}

/** n random inputs drawn around one prototype per class; labels cycle through `classes`. */
export function toyInputs(n: number, seed: number, classes: number[] = [0, 2]): { win: Float32Array; rr: Float32Array; y: Uint8Array } {
  const rand = rng(seed);
  const proto = rng(99);
  const protos = Array.from({ length: K }, () => new Float32Array(WIN + NRR).map(() => randn(proto)));
  const win = new Float32Array(n * WIN);
  const rr = new Float32Array(n * NRR);
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const c = classes[i % classes.length]!;
    y[i] = c;
    for (let j = 0; j < WIN; j++) win[i * WIN + j] = protos[c]![j]! + 0.8 * randn(rand);
    for (let j = 0; j < NRR; j++) rr[i * NRR + j] = protos[c]![WIN + j]! + 0.8 * randn(rand);
  }
  return { win, rr, y };
}

/** The tiny model's embedding-layer input: each row's window (flattened) then its RR features. */
export function featuresOf(win: Float32Array, rr: Float32Array, n: number): Float32Array {
  const F = WIN + NRR;
  const f = new Float32Array(n * F);
  for (let i = 0; i < n; i++) {
    f.set(win.subarray(i * WIN, (i + 1) * WIN), i * F);
    f.set(rr.subarray(i * NRR, (i + 1) * NRR), i * F + WIN);
  }
  return f;
}

function npy(data: Float32Array | Uint8Array, shape: number[]): Buffer {
  const descr = data instanceof Float32Array ? '<f4' : '|u1';
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  header += ' '.repeat(63 - ((10 + header.length) % 64)) + '\n';
  const pre = Buffer.alloc(10);
  pre.write('\x93NUMPY', 0, 'latin1');
  pre[6] = 1;
  pre.writeUInt16LE(header.length, 8);
  return Buffer.concat([pre, Buffer.from(header, 'latin1'), Buffer.from(data.buffer, data.byteOffset, data.byteLength)]);
}

/**
 * A models/ folder: the tiny model as the shipped beat model, its manifest entry, and replay /
 * reference embedding sets made by running it (labels from the toy prototypes).
 */
export async function writeModelsDir(dir: string, seed = 1, threshold = 0.5, embedding: 'tanh' | 'relu' = 'tanh'): Promise<TinyModel & { path: string }> {
  const m = tinyBeatModel(seed, 8, embedding);
  const path = join(dir, 'beat-pvc.onnx');
  writeFileSync(path, m.bytes);
  const sets: Record<string, unknown> = {};
  for (const [kind, n, s] of [
    ['replay', 120, 11],
    ['reference', 80, 12],
  ] as const) {
    const t = toyInputs(n, s, [0, 0, 0, 1, 2, 3, 4]);
    const out = await runTiny(path, t.win, t.rr, n);
    writeFileSync(join(dir, `beat-pvc.${kind}.embeddings.npy`), npy(out.embedding, [n, m.D]));
    writeFileSync(join(dir, `beat-pvc.${kind}.labels.npy`), npy(t.y, [n]));
    sets[kind] = { embeddings: `beat-pvc.${kind}.embeddings.npy`, labels: `beat-pvc.${kind}.labels.npy`, n };
    if (embedding === 'relu') {
      writeFileSync(join(dir, `beat-pvc.${kind}.features.npy`), npy(featuresOf(t.win, t.rr, n), [n, WIN + NRR]));
      (sets[kind] as Record<string, unknown>).features = `beat-pvc.${kind}.features.npy`;
    }
  }
  const entry = {
    id: 'beat-pvc',
    task: 'beat',
    version: '1.0.0',
    file: 'beat-pvc.onnx',
    sha256: await sha256File(path),
    inputs: [
      { name: 'window', shape: ['N', 2, 216] },
      { name: 'rr', shape: ['N', NRR] },
    ],
    outputs: [
      { name: 'probs', shape: ['N', K] },
      { name: 'embedding', shape: ['N', m.D] },
    ],
    fs: 360,
    classes: ['N', 'S', 'V', 'F', 'Q'],
    defaultThreshold: threshold,
    head: { weight: 'head.weight', bias: 'head.bias', embedding: 'embedding', dim: m.D },
    ...sets,
  };
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ models: [entry] }, null, 2));
  return { ...m, path };
}

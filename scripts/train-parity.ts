// Parity of an exported model, through onnxruntime-node (the runtime the app uses):
//   tsx scripts/train-parity.ts --model M.onnx --parity DIR [--score DATASET_DIR --score-out FILE.npy [--score-model S.onnx]]
// DIR holds the batch PyTorch saved at export (inputs and outputs as .npy, named after the ONNX
// inputs/outputs). Fails (exit 1) when any output differs by 1e-4 or more, or, for a model with a
// `head.weight`/`head.bias` linear head, when probs != softmax(embedding · head.weightᵀ + head.bias).
// --score runs the model over a whole `heartbeat-sensei dataset` directory and writes `probs`;
// --score-model scores with another file (the shipped int8 model, whose float export --model is).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import '../src/main/inference/no-telemetry';
import * as ort from 'onnxruntime-node';
import { headSoftmax, maxAbsDiff, readInitializers, readNpy, writeNpy, type Npy } from './train-lib';

export const PARITY_TOL = 1e-4;

export interface ParityReport {
  outputs: Record<string, number>;
  head?: number;
  n: number;
}

function tensor(a: Npy): ort.Tensor {
  return new ort.Tensor('float32', a.data as Float32Array, a.shape);
}

export async function parity(model: string, dir: string): Promise<ParityReport> {
  const s = await ort.InferenceSession.create(model);
  const feeds: Record<string, ort.Tensor> = {};
  for (const name of s.inputNames) feeds[name] = tensor(readNpy(join(dir, `${name}.npy`)));
  const res = await s.run(feeds);
  const report: ParityReport = { outputs: {}, n: (feeds[s.inputNames[0]!]!.dims[0] as number) ?? 0 };
  for (const name of s.outputNames) {
    const f = join(dir, `${name}.npy`);
    if (!existsSync(f)) continue;
    report.outputs[name] = maxAbsDiff(res[name]!.data as Float32Array, readNpy(f).data);
  }
  const init = readInitializers(model);
  const w = init.get('head.weight');
  const b = init.get('head.bias');
  if (w && b && res.embedding && res.probs) {
    const d = w.dims[1]!;
    report.head = maxAbsDiff(headSoftmax(res.embedding.data as Float32Array, d, w.values, b.values), res.probs.data as Float32Array);
  }
  await s.release();
  return report;
}

/** Runs the model over a dataset directory (beats: windows.npy + rr.npy; rhythm: x.npy). */
export async function score(model: string, datasetDir: string, batch = 4096): Promise<{ probs: Npy<Float32Array>; embedding?: Npy<Float32Array> }> {
  const s = await ort.InferenceSession.create(model);
  const inputs: Record<string, Npy> = {};
  const files: Record<string, string> = { window: 'windows.npy', rr: 'rr.npy', ecg: 'x.npy' };
  for (const name of s.inputNames) inputs[name] = readNpy(join(datasetDir, files[name] ?? `${name}.npy`));
  const n = inputs[s.inputNames[0]!]!.shape[0]!;
  const chunks: Record<string, Float32Array[]> = {};
  const widths: Record<string, number> = {};
  for (let i = 0; i < n; i += batch) {
    const m = Math.min(batch, n - i);
    const feeds: Record<string, ort.Tensor> = {};
    for (const [name, a] of Object.entries(inputs)) {
      const row = a.data.length / a.shape[0]!;
      feeds[name] = new ort.Tensor('float32', (a.data as Float32Array).subarray(i * row, (i + m) * row), [m, ...a.shape.slice(1)]);
    }
    const res = await s.run(feeds);
    for (const name of s.outputNames) {
      (chunks[name] ??= []).push(res[name]!.data as Float32Array);
      widths[name] = res[name]!.dims[1] as number;
    }
  }
  await s.release();
  const cat = (name: string): Npy<Float32Array> => {
    const parts = chunks[name]!;
    const data = new Float32Array(parts.reduce((a, p) => a + p.length, 0));
    let o = 0;
    for (const p of parts) {
      data.set(p, o);
      o += p.length;
    }
    return { shape: [n, widths[name]!], data };
  };
  return { probs: cat('probs'), ...(chunks.embedding ? { embedding: cat('embedding') } : {}) };
}

async function cli(argv: string[]): Promise<number> {
  const arg = (k: string): string | undefined => {
    const i = argv.indexOf(k);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const model = arg('--model');
  const dir = arg('--parity');
  if (!model || !dir) {
    console.error('usage: tsx scripts/train-parity.ts --model M.onnx --parity DIR [--score DATASET_DIR --score-out FILE.npy]');
    return 2;
  }
  const r = await parity(model, dir);
  const worst = Math.max(...Object.values(r.outputs), r.head ?? 0);
  console.log(
    `parity ${model}: ${r.n} inputs, max |onnxruntime - pytorch| ${JSON.stringify(r.outputs)}` +
      (r.head !== undefined ? `, |probs - softmax(embedding·head.weightᵀ+head.bias)| ${r.head.toExponential(2)}` : '')
  );
  if (!(worst < PARITY_TOL) || Object.keys(r.outputs).length === 0) {
    console.error(`parity FAILED (tolerance ${PARITY_TOL})`);
    return 1;
  }
  const sd = arg('--score');
  const so = arg('--score-out');
  if (sd && so) {
    const t0 = performance.now();
    const res = await score(arg('--score-model') ?? model, sd);
    writeNpy(so, res.probs);
    console.log(`scored ${res.probs.shape[0]} items of ${sd} with onnxruntime-node in ${(performance.now() - t0).toFixed(0)} ms -> ${so}`);
  }
  return 0;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  cli(process.argv.slice(2)).then((c) => (process.exitCode = c));
}

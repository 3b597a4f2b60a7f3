// Fine-tuning the embedding layer as well as the head: the dense-stack trainer's gradient, the
// layer found by the graph's structure, and a job whose written ONNX file reproduces the
// TypeScript-side two-layer predictions.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromAnnotationFile, rng, runFinetune, type RecordBeats } from '../../src/main/finetune';
import { findEmbeddingLayer } from '../../src/main/finetune/layers';
import { netHidden, netLoss, netLossGradient, netProbs, trainNet, type Labelled, type Net } from '../../src/main/finetune/net';
import { readGraphNodes, readInitializers } from '../../src/main/onnx';
import { writeSynthRecord } from '../../src/main/synth';
import { featuresOf, K, randn, runTiny, tinyBeatModel, toyInputs, writeModelsDir } from './onnx-fixture';

const root = mkdtempSync(join(tmpdir(), 'hbs-ft-emb-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function randomNet(sizes: number[], seed: number): Net {
  const rand = rng(seed);
  return {
    layers: sizes.slice(1).map((out, i) => ({
      out,
      in: sizes[i]!,
      W: new Float32Array(out * sizes[i]!).map(() => randn(rand) * 0.7),
      b: new Float32Array(out).map(() => randn(rand) * 0.3),
    })),
  };
}

function randomSet(n: number, F: number, seed: number): Labelled {
  const rand = rng(seed);
  return {
    x: new Float32Array(n * F).map(() => randn(rand)),
    y: Uint8Array.from({ length: n }, (_, i) => (i * 7) % K),
    w: Float64Array.from({ length: n }, () => 0.5 + rand()),
    n,
  };
}

describe('dense-stack trainer', () => {
  it('backpropagates the gradient finite differences measure (one and two layers)', () => {
    for (const sizes of [[6, K], [6, 5, K]]) {
      const net = randomNet(sizes, 11);
      const set = randomSet(40, 6, 12);
      const { loss, grad } = netLossGradient(net, set);
      expect(loss).toBeCloseTo(netLoss(net, set), 6);
      const h = 1e-3;
      let checked = 0;
      net.layers.forEach((layer, l) => {
        for (const [what, arr, g] of [['W', layer.W, grad.layers[l]!.W], ['b', layer.b, grad.layers[l]!.b]] as const) {
          for (let j = 0; j < arr.length; j += 3) {
            const v = arr[j]!;
            arr[j] = v + h;
            const up = netLoss(net, set);
            arr[j] = v - h;
            const down = netLoss(net, set);
            arr[j] = v;
            const fd = (up - down) / (2 * h);
            expect(Math.abs(fd - g[j]!), `layer ${l} ${what}[${j}]`).toBeLessThan(2e-4 + 1e-2 * Math.abs(fd));
            checked++;
          }
        }
      });
      expect(checked).toBeGreaterThan(sizes.length === 2 ? 10 : 20);
    }
  });

  it('distillation rows: the gradient of soft targets matches finite differences, and vanishes at the parent', () => {
    const net = randomNet([6, 5, K], 21);
    const set = randomSet(30, 6, 22);
    // every other row a soft row whose target is the parent's own distribution
    const t = netProbs(net, set.x, set.n);
    const soft = Uint8Array.from({ length: set.n }, (_, i) => i % 2);
    const mixed = { ...set, t, soft };
    const { grad } = netLossGradient(net, mixed);
    const W = net.layers[0]!.W;
    for (const j of [0, 7, 13, 29]) {
      const v = W[j]!;
      W[j] = v + 1e-3;
      const up = netLoss(net, mixed);
      W[j] = v - 1e-3;
      const down = netLoss(net, mixed);
      W[j] = v;
      expect(Math.abs((up - down) / 2e-3 - grad.layers[0]!.W[j]!)).toBeLessThan(2e-4);
    }
    // only soft rows at their own targets: nothing to learn, the gradient is zero
    const onlySoft = { ...set, t, soft: new Uint8Array(set.n).fill(1) };
    const g0 = netLossGradient(net, onlySoft).grad;
    const maxAbs = Math.max(...g0.layers.flatMap((l) => [...l.W, ...l.b].map(Math.abs)));
    expect(maxAbs).toBeLessThan(1e-6);
    // while hard labels on the same rows do pull
    const g1 = netLossGradient(net, set).grad;
    expect(Math.max(...g1.layers.flatMap((l) => [...l.W].map(Math.abs)))).toBeGreaterThan(1e-3);
  });

  it('fits what a head alone cannot: the hidden layer moves and the held-out loss falls', () => {
    // XOR-like labels in 2-D: not linearly separable.
    const make = (n: number, seed: number): Labelled => {
      const rand = rng(seed);
      const x = new Float32Array(n * 2);
      const y = new Uint8Array(n);
      for (let i = 0; i < n; i++) {
        const a = rand() * 2 - 1;
        const b = rand() * 2 - 1;
        x[i * 2] = a;
        x[i * 2 + 1] = b;
        y[i] = a * b > 0 ? 0 : 2;
      }
      return { x, y, w: new Float64Array(n).fill(1), n };
    };
    const train = make(300, 1);
    const held = make(200, 2);
    const parent = randomNet([2, 16, K], 5);
    const o = { l2: 1e-4, lr: 0.05, maxEpochs: 400, patience: 60, minDelta: 1e-5 };
    const two = trainNet(parent, train, held, o);
    expect(Array.from(two.net.layers[0]!.W)).not.toEqual(Array.from(parent.layers[0]!.W));
    expect(netLoss(two.net, held)).toBeLessThan(0.5 * netLoss(parent, held));
    // the same data through a fixed random hidden layer, only the head trained: worse
    const hiddenTrain = { ...train, x: netHidden(parent, train.x, train.n) };
    const hiddenHeld = { ...held, x: netHidden(parent, held.x, held.n) };
    const headOnly = trainNet({ layers: [parent.layers[1]!] }, hiddenTrain, hiddenHeld, o);
    expect(netLoss(two.net, held)).toBeLessThan(netLoss(headOnly.net, hiddenHeld));
    expect(Array.from(trainNet(parent, train, held, o).net.layers[0]!.W)).toEqual(Array.from(two.net.layers[0]!.W));
  });
});

describe('embedding layer', () => {
  it('is found by structure: ReLU(Gemm(features, W, b)) before the embedding output, and only then', () => {
    const relu = tinyBeatModel(1, 8, 'relu').bytes;
    const inits = (b: Uint8Array) => new Set(readInitializers(b).keys());
    expect(findEmbeddingLayer(readGraphNodes(relu), 'embedding', inits(relu))).toEqual({ features: 'feat', weight: 'enc.weight', bias: 'enc.bias' });
    const tanh = tinyBeatModel(1, 8, 'tanh').bytes;
    expect(findEmbeddingLayer(readGraphNodes(tanh), 'embedding', inits(tanh))).toBeNull();
  });
});

describe('fine-tune job adapting the embedding layer', () => {
  const modelsDir = join(root, 'models');
  let records: RecordBeats[];
  const probe = toyInputs(12, 21, [0, 1, 2, 3, 4]);

  beforeAll(async () => {
    mkdirSync(modelsDir, { recursive: true });
    await writeModelsDir(modelsDir, 1, 0.5, 'relu');
    const rec = join(root, 'rec', 'pvc1');
    await writeSynthRecord(rec, { scenario: 'pvc', minutes: 2, seed: 4 });
    records = [await fromAnnotationFile(rec, `${rec}.atr`, 'pvc1')];
  }, 30_000);

  it('writes both layers; onnxruntime on the new file gives the TypeScript two-layer outputs', async () => {
    const r = await runFinetune(records, { registryDir: join(root, 'reg'), modelsDir, reviewer: 'test' });
    expect(r.adapted).toBe('embedding');
    expect(r.entry.finetune.training.adapted).toBe('embedding');
    expect(r.net.layers).toHaveLength(2);
    const parentInit = readInitializers(new Uint8Array(readFileSync(join(modelsDir, 'beat-pvc.onnx'))), ['enc.weight']);
    const init = readInitializers(new Uint8Array(readFileSync(r.path)), ['enc.weight', 'enc.bias', 'head.weight']);
    expect(Array.from(init.get('enc.weight')!.values)).toEqual(Array.from(r.net.layers[0]!.W));
    expect(Array.from(init.get('enc.weight')!.values)).not.toEqual(Array.from(parentInit.get('enc.weight')!.values));
    expect(Array.from(init.get('head.weight')!.values)).toEqual(Array.from(r.head.W));
    const out = await runTiny(r.path, probe.win, probe.rr, 12);
    const f = featuresOf(probe.win, probe.rr, 12);
    const p = netProbs(r.net, f, 12);
    const e = netHidden(r.net, f, 12);
    for (let i = 0; i < p.length; i++) expect(Math.abs(p[i]! - out.probs[i]!)).toBeLessThan(1e-5);
    for (let i = 0; i < e.length; i++) expect(Math.abs(e[i]! - out.embedding[i]!)).toBeLessThan(1e-4);
  }, 30_000);

  it("adapts the head alone when asked, or when the sets carry no features", async () => {
    const r = await runFinetune(records, { registryDir: join(root, 'reg-head'), modelsDir, adapt: 'head' });
    expect(r.adapted).toBe('head');
    const enc = (path: string) => Array.from(readInitializers(new Uint8Array(readFileSync(path)), ['enc.weight']).get('enc.weight')!.values);
    expect(enc(r.path)).toEqual(enc(join(modelsDir, 'beat-pvc.onnx')));
    const plain = join(root, 'models-plain');
    mkdirSync(plain, { recursive: true });
    await writeModelsDir(plain, 1, 0.5, 'tanh');
    const t = await runFinetune(records, { registryDir: join(root, 'reg-plain'), modelsDir: plain });
    expect(t.adapted).toBe('head');
    expect(t.entry.finetune.training.adapted).toBe('head');
  }, 30_000);
});

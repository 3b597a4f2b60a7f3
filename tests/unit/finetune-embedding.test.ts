// Fine-tuning the embedding layer as well as the head: the dense-stack trainer's gradient, the
// layer found by the graph's structure, and a job whose written ONNX file reproduces the
// TypeScript-side two-layer predictions.
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/index';
import { finetuneAndRegister, fromAnnotationFile, ModelRegistry, rng, runFinetune, type ReviewedBeats } from '../../src/main/finetune';
import { findEmbeddingLayer } from '../../src/main/finetune/layers';
import { netHidden, netLoss, netLossGradient, netProbs, trainNet, type Labelled, type Net } from '../../src/main/finetune/net';
import { readGraphNodes, readInitializers } from '../../src/main/onnx';
import { addFinetuneFeatures } from '../../scripts/finetune-features';
import { sha256File } from '../../src/main/inference';
import { BEAT_FLAG } from '../../src/main/beats';
import { readNpy, writeNpy } from '../../scripts/train-lib';
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
    for (const sizes of [
      [6, K],
      [6, 5, K],
    ]) {
      const net = randomNet(sizes, 11);
      const set = randomSet(40, 6, 12);
      const { loss, grad } = netLossGradient(net, set);
      expect(loss).toBeCloseTo(netLoss(net, set), 6);
      const h = 1e-3;
      let checked = 0;
      net.layers.forEach((layer, l) => {
        for (const [what, arr, g] of [
          ['W', layer.W, grad.layers[l]!.W],
          ['b', layer.b, grad.layers[l]!.b],
        ] as const) {
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
  let records: ReviewedBeats[];
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

  it("a child of an adapted version starts from its parent's layers: its 'before' is the parent's 'after'", async () => {
    const regDir = join(root, 'reg-chain');
    const parent = await finetuneAndRegister(records, { registryDir: regDir, modelsDir, reviewer: 'test' });
    expect(parent.adapted).toBe('embedding');
    await new ModelRegistry(regDir, modelsDir).activate(parent.entry.id);
    // the parent already agrees with every label: the child's reviewer relabels one beat
    const label = Int8Array.from(records[0]!.label);
    const k = label.findIndex((l) => l === 0);
    label[k] = 2;
    const relabelled = [{ ...records[0]!, label }];
    for (const adapt of ['head', 'embedding'] as const) {
      const child = await runFinetune(relabelled, { registryDir: regDir, modelsDir, seed: 9, adapt });
      expect(child.entry.finetune.parent.id).toBe(parent.entry.id);
      // the replay/reference embeddings come through the parent's own (adapted) embedding layer, at its own threshold
      expect(child.entry.finetune.metrics.reference!.before.confusion).toEqual(parent.entry.finetune.metrics.referenceAtThreshold!.confusion);
      expect(child.entry.finetune.metrics.reference!.before.threshold).toBe(parent.entry.defaultThreshold);
    }
  }, 30_000);

  it('the CLI runs the same job headless: --adapt picks the layers, a wrong value is refused', async () => {
    let out = '';
    let err = '';
    const l = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void (out += a.join(' ') + '\n'));
    const e = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void (err += a.join(' ') + '\n'));
    const w = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const rec = join(root, 'rec', 'pvc1');
      const args = ['finetune', '--from', `${rec}.atr`, '--records', rec, '--out', join(root, 'reg-cli'), '--models', modelsDir, '--json'];
      expect(await main([...args, '--adapt', 'head'])).toBe(0);
      const j = JSON.parse(out.slice(out.indexOf('{'))) as { finetune: { training: { adapted: string } } };
      expect(j.finetune.training.adapted).toBe('head');
      expect(await main([...args, '--adapt', 'everything'])).toBe(2);
      expect(err).toMatch(/--adapt must be embedding or head/);
      // the shipped models' folder as the registry: refused before any training
      expect(await main(['finetune', '--from', `${rec}.atr`, '--records', rec, '--out', modelsDir, '--models', modelsDir])).toBe(2);
      expect(err).toMatch(/is the shipped models' folder/);
    } finally {
      l.mockRestore();
      e.mockRestore();
      w.mockRestore();
    }
  }, 30_000);

  it('adapts the head alone when asked, or when the sets carry no features', async () => {
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

describe('scripts/finetune-features.ts', () => {
  it('finds the replay/reference beats in the dataset by their embeddings and writes their features', async () => {
    const dir = join(root, 'models-ff');
    mkdirSync(dir, { recursive: true });
    await writeModelsDir(dir, 1, 0.5, 'relu');
    // the sets as a training run leaves them: embeddings and labels, no features
    const manifestPath = join(dir, 'manifest.json');
    const doc = JSON.parse(readFileSync(manifestPath, 'utf8')) as { models: Record<string, Record<string, unknown>>[] };
    for (const k of ['replay', 'reference']) delete doc.models[0]![k]!.features;
    writeFileSync(manifestPath, JSON.stringify(doc, null, 2));
    // a dataset holding those beats (the fixture's seeds) among others, shuffled
    const parts = [toyInputs(120, 11, [0, 0, 0, 1, 2, 3, 4]), toyInputs(80, 12, [0, 0, 0, 1, 2, 3, 4]), toyInputs(60, 13, [0, 2])];
    const n = parts.reduce((a, p) => a + p.y.length, 0);
    const order = Array.from({ length: n }, (_, i) => i);
    const rand = rng(5);
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    const win = new Float32Array(n * 432);
    const rr = new Float32Array(n * 7);
    const lab = new Uint8Array(n);
    let at = 0;
    for (const p of parts)
      for (let i = 0; i < p.y.length; i++, at++) {
        const to = order[at]!;
        win.set(p.win.subarray(i * 432, (i + 1) * 432), to * 432);
        rr.set(p.rr.subarray(i * 7, (i + 1) * 7), to * 7);
        lab[to] = p.y[i]!;
      }
    const data = join(root, 'ds-ff');
    mkdirSync(data, { recursive: true });
    writeNpy(join(data, 'windows.npy'), { shape: [n, 2, 216], data: win });
    writeNpy(join(data, 'template.npy'), { shape: [n, 2, 216], data: new Float32Array(n * 432) });
    writeNpy(join(data, 'rr.npy'), { shape: [n, 7], data: rr });
    writeNpy(join(data, 'labels.npy'), { shape: [n], data: lab });
    writeNpy(join(data, 'flags.npy'), { shape: [n], data: new Uint8Array(n) });

    const added = await addFinetuneFeatures(dir, data);
    expect(added.map((a) => [a.kind, a.rows])).toEqual([
      ['replay', 120],
      ['reference', 80],
    ]);
    for (const a of added) expect(a.worst).toBeLessThan(1e-5);
    const replay = parts[0]!;
    const f = readNpy(join(dir, added[0]!.file));
    expect(f.shape).toEqual([120, 439]);
    expect(Array.from(f.data as Float32Array)).toEqual(Array.from(featuresOf(replay.win, replay.rr, 120)));
    const entry = (JSON.parse(readFileSync(manifestPath, 'utf8')) as typeof doc).models[0]!;
    expect(entry.replay!.features).toBe(added[0]!.file);
    expect(entry.reference!.features).toBe(added[1]!.file);

    // without the reference beats in the dataset nothing matches: an error, and nothing half-written
    const small = join(root, 'ds-ff-small');
    mkdirSync(small, { recursive: true });
    const other = parts[2]!;
    writeNpy(join(small, 'windows.npy'), { shape: [60, 2, 216], data: other.win });
    writeNpy(join(small, 'template.npy'), { shape: [60, 2, 216], data: new Float32Array(60 * 432) });
    writeNpy(join(small, 'rr.npy'), { shape: [60, 7], data: other.rr });
    writeNpy(join(small, 'labels.npy'), { shape: [60], data: other.y });
    writeNpy(join(small, 'flags.npy'), { shape: [60], data: new Uint8Array(60) });
    await expect(addFinetuneFeatures(dir, small)).rejects.toThrow(/matches no beat/);

    // each row is given the app's input by its flags: a replay beat flagged lead 0 off is read on
    // lead 1 alone, so its stored embedding (of both leads) matches nothing
    const flags = new Uint8Array(n);
    flags[order[0]!] = BEAT_FLAG.LEAD0_OFF;
    writeNpy(join(data, 'flags.npy'), { shape: [n], data: flags });
    await expect(addFinetuneFeatures(dir, data)).rejects.toThrow(/matches no beat/);
    writeNpy(join(data, 'flags.npy'), { shape: [n], data: new Uint8Array(n) });

    // --match-model: the sets' embeddings came from another file (a float export; the shipped one is
    // int8): rows matched through it, embeddings rewritten with the shipped file's; a second run (a
    // pipeline re-run) matches the rewritten rows through the shipped file and changes nothing
    const dm = join(root, 'models-ff-match');
    mkdirSync(dm, { recursive: true });
    await writeModelsDir(dm, 1, 0.5, 'relu');
    renameSync(join(dm, 'beat-pvc.onnx'), join(dm, 'float.onnx'));
    writeFileSync(join(dm, 'beat-pvc.onnx'), tinyBeatModel(2, 8, 'relu').bytes);
    const mdoc = JSON.parse(readFileSync(join(dm, 'manifest.json'), 'utf8')) as typeof doc;
    (mdoc.models[0] as Record<string, unknown>).sha256 = await sha256File(join(dm, 'beat-pvc.onnx'));
    writeFileSync(join(dm, 'manifest.json'), JSON.stringify(mdoc, null, 2));
    await expect(addFinetuneFeatures(dm, data)).rejects.toThrow(/matches no beat/);
    const first = await addFinetuneFeatures(dm, data, join(dm, 'float.onnx'));
    for (const a of first) expect(a.worst).toBeLessThan(1e-5);
    expect(Math.min(...first.map((a) => a.rewritten))).toBeGreaterThan(1e-3);
    const shippedOut = await runTiny(join(dm, 'beat-pvc.onnx'), replay.win, replay.rr, 120);
    const stored = readNpy(join(dm, 'beat-pvc.replay.embeddings.npy')).data as Float32Array;
    expect(Array.from(stored)).toEqual(Array.from(shippedOut.embedding));
    const bytes = () =>
      ['replay', 'reference'].flatMap((k) => ['embeddings', 'features'].map((f) => readFileSync(join(dm, `beat-pvc.${k}.${f}.npy`)).toString('hex')));
    const before = bytes();
    const again = await addFinetuneFeatures(dm, data, join(dm, 'float.onnx'));
    expect(again.map((a) => a.rewritten)).toEqual([0, 0]);
    expect(bytes()).toEqual(before);
  }, 30_000);
});

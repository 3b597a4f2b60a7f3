// The shipped models against their manifest entries, through onnxruntime-node: hashes, declared
// inputs/outputs, the beat model's linear head identity (what fine-tuning relies on), and the
// fine-tuning sets named in the manifest. No Python needed.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { headSoftmax, maxAbsDiff, readInitializers, readNpy } from '../../scripts/train-lib';
import { loadCatalog, openModel, runBeatModel } from '../../src/main/inference';

const MODELS = resolve(import.meta.dirname, '../../models');
interface Spec {
  name: string;
  shape: (number | string | null)[];
  dtype: string;
}
interface Entry {
  id: string;
  task: string;
  file: string;
  sha256: string;
  inputs: Spec[];
  outputs: Spec[];
  classes: string[];
  defaultThreshold?: number;
  head?: { weight: string; bias: string; dim: number };
  replay?: { embeddings: string; labels: string; n: number };
  reference?: { embeddings: string; labels: string; n: number };
}
const manifest = JSON.parse(readFileSync(join(MODELS, 'manifest.json'), 'utf8')) as { models: Entry[] };
const byTask = (t: string) => manifest.models.find((m) => m.task === t);

function seeded(n: number, seed: number): Float32Array {
  let s = seed >>> 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 32 - 0.5;
  }
  return out;
}

describe('shipped models (models/manifest.json)', () => {
  it('lists a beat and a rhythm model whose files match their sha256', () => {
    for (const task of ['beat', 'rhythm']) {
      const e = byTask(task);
      expect(e, `no ${task} model in the manifest`).toBeDefined();
      const buf = readFileSync(join(MODELS, e!.file));
      expect(createHash('sha256').update(buf).digest('hex')).toBe(e!.sha256);
      expect(buf.length).toBeLessThan(4 * 1024 * 1024);
    }
  });

  it('beat model: declared I/O, and probs = softmax(embedding · head.weightᵀ + head.bias)', async () => {
    const e = byTask('beat')!;
    const path = join(MODELS, e.file);
    const s = await ort.InferenceSession.create(path);
    expect(s.inputNames).toEqual(e.inputs.map((i) => i.name));
    expect(s.outputNames).toEqual(e.outputs.map((o) => o.name));
    expect(s.inputNames).toEqual(['window', 'template', 'rr']);
    expect(s.outputNames).toEqual(['probs', 'embedding']);
    expect(e.classes).toEqual(['N', 'S', 'V', 'F', 'Q']);
    expect(e.defaultThreshold).toBeGreaterThan(0);
    expect(e.defaultThreshold).toBeLessThan(1);
    const n = 37;
    const nRr = e.inputs.find((i) => i.name === 'rr')!.shape[1] as number;
    const rr = seeded(n * nRr, 2).map((v) => 0.8 + v);
    const res = await s.run({
      window: new ort.Tensor(
        'float32',
        seeded(n * 2 * 216, 1).map((v) => 2 * v),
        [n, 2, 216]
      ),
      template: new ort.Tensor(
        'float32',
        seeded(n * 2 * 216, 3).map((v) => 2 * v),
        [n, 2, 216]
      ),
      rr: new ort.Tensor('float32', rr, [n, nRr]),
    });
    const probs = res.probs!.data as Float32Array;
    const emb = res.embedding!.data as Float32Array;
    expect(res.probs!.dims).toEqual([n, 5]);
    const init = readInitializers(path);
    const w = init.get('head.weight')!;
    const b = init.get('head.bias')!;
    const d = res.embedding!.dims[1] as number;
    expect(w.dims).toEqual([5, d]);
    expect(b.dims).toEqual([5]);
    expect(e.head?.dim).toBe(d);
    expect(maxAbsDiff(headSoftmax(emb, d, w.values, b.values), probs)).toBeLessThan(1e-6);
    // a changed head changes the output the same way (fine-tuning rewrites exactly these)
    const w2 = w.values.map((v, i) => (i % 7 === 0 ? v + 0.5 : v));
    expect(maxAbsDiff(headSoftmax(emb, d, w2, b.values), probs)).toBeGreaterThan(1e-3);
    await s.release();
  });

  it("beat model: the app feeds every beat its own block's template (runBeatModel = the model on per-beat templates)", async () => {
    const m = await openModel((await loadCatalog(MODELS)).models.beat!, { provider: 'cpu', threads: 1 });
    const n = 150; // three template blocks of 64 beats
    const windows = seeded(n * 432, 5).map((v) => 2 * v);
    const rr = seeded(n * 7, 6).map((v) => 0.8 + v);
    const blocks = seeded(Math.ceil(n / 64) * 432, 7).map((v) => 2 * v);
    const viaApp = await runBeatModel(m, { windows, rr, templates: { templates: blocks, block: 64 } }, n, [2, 216], 7, { batch: 50 });
    const perBeat = new Float32Array(n * 432);
    for (let i = 0; i < n; i++) perBeat.set(blocks.subarray(Math.floor(i / 64) * 432, (Math.floor(i / 64) + 1) * 432), i * 432);
    const direct = await m.session.run({
      window: new ort.Tensor('float32', windows, [n, 2, 216]),
      template: new ort.Tensor('float32', perBeat, [n, 2, 216]),
      rr: new ort.Tensor('float32', rr, [n, 7]),
    });
    expect(maxAbsDiff(viaApp.probs, direct.probs!.data as Float32Array)).toBeLessThan(1e-6);
    // and the template matters: another template gives other scores
    const other = await runBeatModel(m, { windows, rr, templates: { templates: blocks.map((v) => -v), block: 64 } }, n, [2, 216], 7, { batch: 50 });
    expect(maxAbsDiff(other.probs, viaApp.probs)).toBeGreaterThan(1e-3);
    const missing = await runBeatModel(m, { windows, rr }, n, [2, 216], 7, { batch: 50 }).catch((x: unknown) => x);
    expect((missing as Error).message).toMatch(/needs template beats/);
    await m.session.release();
  });

  it('beat model: replay and reference sets match the embedding size and label range', () => {
    const e = byTask('beat')!;
    for (const set of [e.replay!, e.reference!]) {
      const emb = readNpy(join(MODELS, set.embeddings));
      const lab = readNpy(join(MODELS, set.labels));
      expect(emb.shape).toEqual([set.n, e.head!.dim]);
      expect(lab.shape).toEqual([set.n]);
      expect(Math.max(...lab.data)).toBeLessThan(5);
      expect(new Set(lab.data).size).toBeGreaterThan(2);
    }
  });

  it('rhythm model: declared I/O and a probability simplex over its classes', async () => {
    const e = byTask('rhythm')!;
    const s = await ort.InferenceSession.create(join(MODELS, e.file));
    expect(s.inputNames).toEqual(['ecg']);
    expect(s.outputNames).toEqual(e.outputs.map((o) => o.name));
    expect(e.classes).toEqual(['other', 'AF', 'VT', 'noise']);
    const n = 3;
    const res = await s.run({
      ecg: new ort.Tensor(
        'float32',
        seeded(n * 1250, 3).map((v) => 4 * v),
        [n, 1, 1250]
      ),
    });
    const p = res.probs!.data as Float32Array;
    expect(res.probs!.dims).toEqual([n, 4]);
    for (let i = 0; i < n; i++) expect(p[i * 4]! + p[i * 4 + 1]! + p[i * 4 + 2]! + p[i * 4 + 3]!).toBeCloseTo(1, 5);
    await s.release();
  });
});

describe('scripts/train-lib .npy reader', () => {
  it('reads what it writes', async () => {
    const { writeNpy } = await import('../../scripts/train-lib');
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const f = join(mkdtempSync(join(tmpdir(), 'hbs-npy-')), 'a.npy');
    const data = Float32Array.from([1.5, -2, 3.25, 0, 7, 8]);
    writeNpy(f, { shape: [2, 3], data });
    const back = readNpy(f);
    expect(back.shape).toEqual([2, 3]);
    expect(Array.from(back.data)).toEqual(Array.from(data));
    expect(existsSync(f)).toBe(true);
  });
});

import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  activeBeatModel,
  embedLabelled,
  FinetuneError,
  fromAnnotationFile,
  fromReview,
  finetuneAndRegister,
  FinetuneJobs,
  headProbs,
  ModelRegistry,
  rng,
  runFinetune,
  stratifiedSplit,
  trainHead,
  weightedLoss,
  type Head,
  type Labelled,
  type ReviewedBeats,
} from '../../src/main/finetune';
import { POSITION_ONLY } from '../../src/main/finetune/data';
import { reportPart } from '../../src/main/finetune/split';
import { readInitializers } from '../../src/main/onnx';
import { loadCatalog, openModel, sha256File } from '../../src/main/inference';
import { JobSlots } from '../../src/main/jobs/slots';
import { labelAt } from '../../src/shared/analysis';
import { signalSpecs, synthesize, writeSynthRecord } from '../../src/main/synth';
import { writeRecord } from '../../src/main/wfdb';
import { K, randn, runTiny, toyInputs, writeModelsDir } from './onnx-fixture';

const root = mkdtempSync(join(tmpdir(), 'hbs-ft-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Gaussian clusters in D dims, one centre per class. */
function clusters(n: number, D: number, seed: number, classes: number[]): Labelled {
  const rand = rng(seed);
  const c = rng(7);
  const centres = Array.from({ length: K }, () => Array.from({ length: D }, () => 2 * randn(c)));
  const x = new Float32Array(n * D);
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const k = classes[i % classes.length]!;
    y[i] = k;
    for (let d = 0; d < D; d++) x[i * D + d] = centres[k]![d]! + randn(rand);
  }
  return { x, y, w: new Float64Array(n).fill(1), n };
}

describe('head training', () => {
  const D = 6;
  const rand = rng(3);
  const parent: Head = { K, D, W: new Float32Array(K * D).map(() => randn(rand)), b: new Float32Array(K) };
  const train = clusters(200, D, 1, [0, 0, 1, 2, 3]);
  const held = clusters(100, D, 2, [0, 0, 1, 2, 3]);

  it('changes the head weights and lowers the held-out loss, deterministically', () => {
    const r = trainHead(parent, train, held);
    expect(r.bestEpoch).toBeGreaterThan(0);
    expect(Array.from(r.head.W)).not.toEqual(Array.from(parent.W));
    expect(weightedLoss(r.head, held)).toBeLessThan(0.5 * weightedLoss(parent, held));
    expect(r.curve[r.bestEpoch]!.val).toBeCloseTo(weightedLoss(r.head, held), 6);
    const again = trainHead(parent, train, held);
    expect(Array.from(again.head.W)).toEqual(Array.from(r.head.W));
  });

  it('stays nearer the parent with a stronger L2 pull', () => {
    const dist = (h: Head) => h.W.reduce((a, v, i) => a + (v - parent.W[i]!) ** 2, 0);
    const weak = trainHead(parent, train, null, { l2: 1e-4, lr: 0.02, maxEpochs: 200, patience: 10, minDelta: 0 });
    const strong = trainHead(parent, train, null, { l2: 1, lr: 0.02, maxEpochs: 200, patience: 10, minDelta: 0 });
    expect(dist(strong.head)).toBeLessThan(0.5 * dist(weak.head));
  });

  it('headProbs is a softmax', () => {
    const p = headProbs(parent, held.x, 3);
    for (let i = 0; i < 3; i++) expect(p.slice(i * K, i * K + K).reduce((a, v) => a + v, 0)).toBeCloseTo(1, 6);
  });
});

describe('recall-first threshold', () => {
  it('is the highest threshold keeping the wanted share of V beats flagged', async () => {
    const { recallFirstThreshold } = await import('../../src/main/finetune/threshold');
    // 10 V beats with P(V) 0.1 … 1.0 and two N beats: recall ≥ 0.8 keeps the top 8 → threshold 0.3.
    const pv = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 0.95, 0.05];
    const y = Uint8Array.from([2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 0, 0]);
    const probs = new Float32Array(pv.length * K);
    pv.forEach((p, i) => {
      probs[i * K + 2] = p;
      probs[i * K] = 1 - p;
    });
    expect(recallFirstThreshold(probs, y, 0.8)).toBeCloseTo(0.3, 6);
    expect(recallFirstThreshold(probs, y, 1)).toBeCloseTo(0.1, 6);
    expect(recallFirstThreshold(probs, new Uint8Array(12), 0.9)).toBeNull();
  });
});

describe('stratified split', () => {
  it('keeps a third part apart for the reported figures, stratified and disjoint, or none with too few PVCs', () => {
    const y = Uint8Array.from([...Array(60).fill(0), ...Array(30).fill(2), ...Array(8).fill(1)]);
    const rows = Array.from({ length: y.length }, (_, i) => i).filter((i) => i % 4 !== 0);
    const { train, report } = reportPart(y, rows, 0.25, 5, 3);
    expect([...train, ...report].sort((a, b) => a - b)).toEqual(rows);
    expect(train.filter((i) => report.includes(i))).toEqual([]);
    const count = (r: number[], c: number) => r.filter((i) => y[i] === c).length;
    expect([count(report, 0), count(report, 2), count(report, 1)]).toEqual([11, 6, 2]);
    expect(reportPart(y, rows, 0.25, 5, 3)).toEqual({ train, report });
    expect(reportPart(y, rows, 0.25, 7, 3)).toEqual({ train: rows, report: [] });
    expect(reportPart(y, rows, 0, 5, 3)).toEqual({ train: rows, report: [] });
  });

  it('holds out the same share of every class, deterministically and disjointly', () => {
    const y = Uint8Array.from(Array.from({ length: 103 }, (_, i) => (i % 10 === 0 ? 2 : i % 17 === 0 ? 3 : 0)));
    const a = stratifiedSplit(y, 0.25, 5);
    expect(stratifiedSplit(y, 0.25, 5)).toEqual(a);
    expect(stratifiedSplit(y, 0.25, 6)).not.toEqual(a);
    expect(new Set([...a.train, ...a.held]).size).toBe(103);
    for (const c of [0, 2, 3]) {
      const n = Array.from(y).filter((v) => v === c).length;
      const h = a.held.filter((i) => y[i] === c).length;
      expect(h).toBe(Math.min(n - 1, Math.max(1, Math.round(0.25 * n))));
    }
  });

  it('splits the reviewed beats of a long Holter (300k of one class) without overflowing the stack', () => {
    const { train, held } = stratifiedSplit(new Uint8Array(300_000), 0.2, 5);
    expect([train.length, held.length]).toEqual([240_000, 60_000]);
  });
});

describe('fine-tune job, registry, rollback', () => {
  const modelsDir = join(root, 'models');
  const regDir = join(root, 'registry');
  let records: ReviewedBeats[];
  const probe = toyInputs(12, 21, [0, 1, 2, 3, 4]);

  beforeAll(async () => {
    const { mkdirSync } = await import('node:fs');
    mkdirSync(modelsDir, { recursive: true });
    await writeModelsDir(modelsDir);
    const rec = join(root, 'rec', 'pvc1');
    await writeSynthRecord(rec, { scenario: 'pvc', minutes: 2, seed: 4 });
    records = [await fromAnnotationFile(rec, `${rec}.atr`, 'pvc1')];
  }, 30_000);

  it('refuses a job whose reviewed beats all agree with the model: nothing to learn', async () => {
    const cat = await loadCatalog(modelsDir);
    const m = await openModel(cat.models.beat!, { provider: 'cpu', threads: 1 });
    const emb = await embedLabelled(m, records);
    await m.session.release();
    const thr = cat.models.beat!.entry.defaultThreshold ?? 0.5;
    const agreeing = Int8Array.from(records[0]!.label);
    let j = 0;
    for (let i = 0; i < agreeing.length; i++) if (agreeing[i]! >= 0) agreeing[i] = labelAt(emb.probs, j++, thr);
    expect(j).toBe(emb.n);
    const err = await runFinetune([{ ...records[0]!, label: agreeing }], { registryDir: join(root, 'reg-agree'), modelsDir }).catch((e: unknown) => e);
    expect((err as FinetuneError).code).toBe('NOTHING_TO_LEARN');
    // one corrected beat is enough to start
    const one = Int8Array.from(agreeing);
    const k = one.findIndex((l) => l >= 0);
    one[k] = one[k] === 2 ? 0 : 2;
    const r = await runFinetune([{ ...records[0]!, label: one }], { registryDir: join(root, 'reg-agree'), modelsDir });
    expect(r.entry.finetune.corrections.total).toBe(emb.n);
  });

  it('leaves beats in unreadable time (a NOISE episode not rejected) out of the labels and the unreviewed beats, as the report does', async () => {
    const r0 = records[0]!;
    const labels = ['N', 'S', 'V', 'F', 'Q'] as const;
    // every other beat labelled, the rest unreviewed; a noise episode over the middle third, a rejected one over the last beats
    const beats = Array.from(r0.sample, (sample, i) => ({
      sample,
      label: labels[Math.max(0, r0.label[i]!)]!,
      status: i % 2 ? ('unreviewed' as const) : ('confirmed' as const),
    }));
    const n = beats.length;
    const [a, b] = [r0.sample[Math.floor(n / 3)]!, r0.sample[Math.floor((2 * n) / 3)]!];
    const episode = (onsetSample: number, offsetSample: number, status: 'confirmed' | 'rejected') => ({
      type: 'NOISE' as const,
      onsetSample,
      offsetSample,
      confidence: 1,
      explanation: '',
      status,
    });
    const review = (episodes: ReturnType<typeof episode>[]) =>
      fromReview(r0.recordPath, {
        format: 'heartbeat-sensei-review',
        version: 1,
        record: { name: 'pvc1', hash: '', fs: 360 },
        threshold: null,
        exportedAt: '',
        reviewer: 't',
        beats,
        episodes,
      });
    const clean = review([]);
    const noisy = review([episode(a, b, 'confirmed'), episode(r0.sample[n - 4]!, r0.sample[n - 1]!, 'rejected')]);
    // every beat stays a position (the RR features of its neighbours need it)
    expect(Array.from(noisy.sample)).toEqual(Array.from(clean.sample));
    const inside = (i: number) => noisy.sample[i]! >= a && noisy.sample[i]! <= b;
    const count = (r: ReviewedBeats, f: (l: number, i: number) => boolean) => Array.from(r.label).filter(f).length;
    expect(count(noisy, (l, i) => inside(i) && l !== POSITION_ONLY)).toBe(0);
    expect(count(noisy, (l, i) => !inside(i) && l !== clean.label[i])).toBe(0);
    const cat = await loadCatalog(modelsDir);
    const m = await openModel(cat.models.beat!, { provider: 'cpu', threads: 1 });
    const [e0, e1] = [await embedLabelled(m, [clean], { rest: 1e6 }), await embedLabelled(m, [noisy], { rest: 1e6 })];
    await m.session.release();
    const inNoise = Array.from(clean.sample, (_, i) => i).filter(inside);
    expect(e1.n).toBe(e0.n - inNoise.filter((i) => clean.label[i]! >= 0).length);
    expect(e1.rest!.of).toBe(e0.rest!.of - inNoise.filter((i) => clean.label[i] === -1).length);
    expect(e1.n).toBeLessThan(e0.n);
    expect(e1.rest!.of).toBeLessThan(e0.rest!.of);
  });

  /** The record with its second half left unreviewed: the labels of the first half, and labels that select the rest. */
  function halves() {
    const r0 = records[0]!;
    const labelled = Array.from(r0.label).flatMap((l, i) => (l >= 0 ? [i] : []));
    const half = labelled.slice(labelled.length >> 1);
    const firstHalf = Int8Array.from(r0.label);
    for (const i of half) firstHalf[i] = -1;
    const onlyRest = Int8Array.from(r0.label, () => -1);
    for (let i = 0; i < r0.label.length; i++) if (firstHalf[i]! < 0) onlyRest[i] = 0;
    return { r0, labelled, half, firstHalf, onlyRest };
  }

  /** A model's outputs through ORT on the beats `label` selects (any label) of the record. */
  async function outputs(entry: Parameters<typeof openModel>[0], label: Int8Array) {
    const m = await openModel(entry, { provider: 'cpu', threads: 1 });
    const e = await embedLabelled(m, [{ ...records[0]!, label }]);
    await m.session.release();
    return e;
  }

  it('reports the held-out figures on beats that chose neither the best epoch nor the threshold, or says they did', async () => {
    const r = await runFinetune(records, { registryDir: join(root, 'reg-report'), modelsDir });
    const f = r.entry.finetune;
    const sum = (c: Record<string, number>) => Object.values(c).reduce((a, v) => a + v, 0);
    const c = f.corrections;
    expect(c.reported!.V).toBeGreaterThanOrEqual(5);
    for (const k of ['N', 'S', 'V', 'F', 'Q'] as const) expect(c.train[k] + c.heldOut[k] + c.reported![k]).toBe(c.byClass[k]);
    expect(f.metrics.heldOutOn).toBe('report');
    expect(f.metrics.heldOut!.before.n).toBe(sum(c.reported!));
    expect(f.metrics.heldOut!.after.perClass.V.support).toBe(c.reported!.V);
    expect(f.metrics.heldOutNote).toMatch(/kept apart: they neither trained the version nor chose its best epoch or threshold/);
    // the threshold is still the patient's own, from the part that chooses
    expect(f.training.thresholdNote).toBe(`this patient's own, from ${sum(c.heldOut)} held-out beats`);
    // deterministic: the same reviewed beats and seed give the same file
    const again = await runFinetune(records, { registryDir: join(root, 'reg-report-2'), modelsDir });
    expect(readFileSync(again.path).equals(readFileSync(r.path))).toBe(true);
    // too few PVCs for a part of at least 5 apart: the figures are those of the beats that chose, and the card says so
    const label = Int8Array.from(records[0]!.label);
    let keep = 12;
    for (let i = 0; i < label.length; i++) if (label[i] === 2 && keep-- <= 0) label[i] = -1;
    const few = (await runFinetune([{ ...records[0]!, label }], { registryDir: join(root, 'reg-report-few'), modelsDir })).entry.finetune;
    expect(few.corrections.reported).toBeUndefined();
    expect(few.metrics.heldOutOn).toBe('choice');
    expect(few.metrics.heldOut!.before.n).toBe(sum(few.corrections.heldOut));
    expect(few.metrics.heldOutNote).toBe(
      `on the ${sum(few.corrections.heldOut)} held-out beats that also chose the best epoch and the threshold, so better than the version will do (the review's 12 PVCs are too few to keep a part of at least 5 apart for checking)`
    );
  }, 30_000);

  it('counts the PVC calls the version changes on the beats nobody reviewed, as ONNX Runtime makes them', async () => {
    const { r0, labelled, half, firstHalf, onlyRest } = halves();
    const calls = (e: Awaited<ReturnType<typeof outputs>>, thr: number) => Array.from({ length: e.n }, (_, i) => labelAt(e.probs, i, thr) === 2);
    const cat = await loadCatalog(modelsDir);
    const parentRest = await outputs(cat.models.beat!, onlyRest);
    // reviewed at a threshold of the reviewer's own, one that calls a different number of beats there than the model's
    const pv = Array.from({ length: parentRest.n }, (_, i) => parentRest.probs[i * 5 + 2]!).sort((a, b) => a - b);
    const seen = (pv[pv.length >> 2]! + pv[(pv.length >> 2) + 1]!) / 2;
    const own = cat.models.beat!.entry.defaultThreshold ?? 0.5;
    expect(calls(parentRest, seen).filter(Boolean).length).not.toBe(calls(parentRest, own).filter(Boolean).length);
    const r = await runFinetune([{ ...r0, label: firstHalf, threshold: seen }], { registryDir: join(root, 'reg-rest'), modelsDir });
    const u = r.entry.finetune.metrics.unreviewed!;
    expect(u.of).toBe(r0.label.length - (labelled.length - half.length));
    expect(u.beats).toBe(u.of);
    expect(u.pvcBefore).toBe(calls(parentRest, seen).filter(Boolean).length);
    const versionRest = await outputs({ entry: r.entry, path: r.path }, onlyRest);
    expect(u.pvcAfter).toBe(calls(versionRest, r.entry.defaultThreshold!).filter(Boolean).length);
    expect(u.pvcBefore + u.pvcAfter).toBeGreaterThan(0);
    // the expectations from the reviewed half, as the parent called it there
    const reviewed = await outputs(cat.models.beat!, firstHalf);
    const called = calls(reviewed, seen);
    const isV = Array.from(reviewed.y, (y) => y === 2);
    const right = called.filter((c, i) => c && isV[i]).length;
    const nV = isV.filter(Boolean).length;
    const precision = (right + 1) / (called.filter(Boolean).length + 1);
    const recall = Math.max(0.5, (right + 1) / (nV + 1));
    expect(u.pvcExpected).toBeCloseTo(Math.min(u.beats, (u.pvcBefore * precision) / recall), 9);
    expect(u.pvcByShare).toBeCloseTo((nV / reviewed.n) * u.beats, 9);
  }, 30_000);

  it('keeps the version nearer the parent on the beats nobody reviewed, by their distilled share of the loss', async () => {
    const { r0, firstHalf, onlyRest } = halves();
    const cat = await loadCatalog(modelsDir);
    const parentRest = await outputs(cat.models.beat!, onlyRest);
    const drift = async (unreviewedShare: number) => {
      const r = await runFinetune([{ ...r0, label: firstHalf }], { registryDir: join(root, `reg-unreviewed-${unreviewedShare}`), modelsDir, unreviewedShare });
      // the record's half holds fewer than 200 beats: the share in proportion
      const unreviewed = r.entry.finetune.metrics.unreviewed!.beats;
      expect(unreviewed).toBeLessThan(200);
      expect(r.entry.finetune.training.unreviewedShare).toBeCloseTo((unreviewedShare * unreviewed) / 200, 12);
      const v = await outputs({ entry: r.entry, path: r.path }, onlyRest);
      let d = 0;
      for (let i = 0; i < v.probs.length; i++) d += Math.abs(v.probs[i]! - parentRest.probs[i]!);
      return d / v.n;
    };
    const free = await drift(0);
    const held = await drift(0.9);
    expect(free).toBeGreaterThan(0);
    expect(held).toBeLessThan(0.8 * free);
  }, 30_000);

  it("a one-lead review's own threshold becomes the version's one-lead threshold; the two-lead one stays the parent's", async () => {
    // a parent whose one-lead threshold (0.99) is far above its two-lead one
    const dir = join(root, 'models-one-lead');
    const { mkdirSync, writeFileSync } = await import('node:fs');
    mkdirSync(dir, { recursive: true });
    await writeModelsDir(dir);
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { models: { defaultThreshold: number; singleLeadThreshold?: number }[] };
    const two = manifest.models[0]!.defaultThreshold;
    manifest.models[0]!.singleLeadThreshold = 0.99;
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
    // the synthetic record's first lead alone, labelled from the two-lead record's annotations
    const synth = synthesize({ scenario: 'pvc', minutes: 2, seed: 4 });
    await writeRecord(join(root, 'rec'), 'one', { fs: synth.fs, signals: [synth.signals[0]!], specs: [signalSpecs(synth)[0]!] });
    const beats = await fromAnnotationFile(join(root, 'rec', 'one'), join(root, 'rec', 'pvc1.atr'), 'one');
    const r = await runFinetune([beats], { registryDir: join(root, 'reg-one-lead'), modelsDir: dir });
    const f = r.entry.finetune;
    expect(f.training.thresholdNote).toMatch(/^this patient's own/);
    expect(r.entry.defaultThreshold).toBe(two);
    expect(r.entry.singleLeadThreshold).toBeLessThan(0.99);
    expect(r.entry.singleLeadThreshold).not.toBe(two);
    // the held-out figures at the threshold the record will run at
    expect(f.metrics.heldOut!.after.threshold).toBeCloseTo(r.entry.singleLeadThreshold!, 6);
  }, 30_000);

  it('writes a complete ONNX file whose onnxruntime outputs are the trained head on the embeddings', async () => {
    const stages: string[] = [];
    const r = await finetuneAndRegister(records, { registryDir: regDir, modelsDir, reviewer: 'test' }, { onProgress: (p) => stages.push(p.stage) });
    expect(stages).toContain('training');
    expect(stages.at(-1)).toBe('done');
    expect(existsSync(r.path)).toBe(true);
    const init = readInitializers(new Uint8Array(readFileSync(r.path)), ['head.weight', 'head.bias']);
    expect(Array.from(init.get('head.weight')!.values)).toEqual(Array.from(r.head.W));
    const out = await runTiny(r.path, probe.win, probe.rr, 12);
    const ts = headProbs(r.head, out.embedding, 12);
    for (let i = 0; i < ts.length; i++) expect(Math.abs(ts[i]! - out.probs[i]!)).toBeLessThan(1e-5);
    const f = r.entry.finetune;
    expect(f.parent.id).toBe('beat-pvc');
    expect(f.corrections.total).toBe(records[0]!.label.filter((l) => l >= 0).length);
    expect(f.corrections.heldOut.N + f.corrections.train.N + (f.corrections.reported?.N ?? 0)).toBe(f.corrections.byClass.N);
    // Replay: the fixture's 120 rows minus the stratified 20 % held out for validation.
    expect(f.replay).toBe(stratifiedSplit(toyInputs(120, 11, [0, 0, 0, 1, 2, 3, 4]).y, 0.2, 20260422 + 1).train.length);
    expect(f.replay).toBeLessThan(120);
    expect(f.metrics.reference!.before.n).toBe(80);
    // forgetting is judged at the parent's threshold; the version's own (moved here) is reported apart
    const ref = f.metrics.reference!;
    expect(r.entry.defaultThreshold).toBeLessThan(ref.before.threshold - 0.01);
    expect(ref.after.threshold).toBe(ref.before.threshold);
    expect(f.metrics.referenceAtThreshold!.threshold).toBeCloseTo(r.entry.defaultThreshold!, 6);
    expect(f.metrics.referenceAtThreshold!.loss).toBe(ref.after.loss);
    expect(f.metrics.heldOut!.after.confusion.flat().reduce((a, v) => a + v, 0)).toBe(f.metrics.heldOut!.after.n);
    const list = await new ModelRegistry(regDir, modelsDir).list();
    expect(list.map((v) => [v.id, v.shipped, v.active])).toEqual([
      ['beat-pvc', true, true],
      [r.entry.id, false, false],
    ]);
  }, 30_000);

  it('activate switches the beat model; rollback restores the previous predictions exactly; the shipped model stays', async () => {
    const reg = new ModelRegistry(regDir, modelsDir);
    const shipped = (await activeBeatModel(regDir, modelsDir))!;
    const shippedBytes = readFileSync(shipped.path);
    const p0 = (await runTiny(shipped.path, probe.win, probe.rr, 12)).probs;
    const v = (await reg.list()).find((x) => !x.shipped)!;
    await reg.activate(v.id);
    const act = (await activeBeatModel(regDir, modelsDir))!;
    expect(act.entry.id).toBe(v.id);
    const p1 = (await runTiny(act.path, probe.win, probe.rr, 12)).probs;
    expect(Array.from(p1)).not.toEqual(Array.from(p0));
    // A child of the fine-tuned version, then two rollbacks: child → parent → shipped.
    const child = await finetuneAndRegister(records, { registryDir: regDir, modelsDir, reviewer: 'test', seed: 2 });
    expect(child.entry.finetune.parent.id).toBe(v.id);
    await reg.activate(child.entry.id);
    expect(await reg.rollback()).toBe(v.id);
    expect(Array.from((await runTiny((await activeBeatModel(regDir, modelsDir))!.path, probe.win, probe.rr, 12)).probs)).toEqual(Array.from(p1));
    expect(await reg.rollback()).toBe('beat-pvc');
    const back = (await activeBeatModel(regDir, modelsDir))!;
    expect(back.path).toBe(shipped.path);
    expect(Array.from((await runTiny(back.path, probe.win, probe.rr, 12)).probs)).toEqual(Array.from(p0));
    await expect(reg.delete('beat-pvc')).rejects.toThrow(/never deleted/);
    await reg.activate(child.entry.id);
    const after = await reg.delete(child.entry.id);
    expect(after.find((x) => x.active)!.id).toBe(v.id);
    expect(existsSync(child.path)).toBe(false);
    expect(readFileSync(shipped.path).equals(shippedBytes)).toBe(true);
  }, 30_000);

  it('two jobs at once each get a version of their own, and a cancel after the file was written removes it', async () => {
    const dir = join(root, 'reg-two');
    const reg = new ModelRegistry(dir, modelsDir);
    const jobs = new FinetuneJobs(reg, {}, 8, new JobSlots(2));
    const [a, b] = await Promise.all([jobs.start(records, { seed: 1 }), jobs.start(records, { seed: 2 })].map((id) => jobs.result(id)));
    expect([a!.status, b!.status]).toEqual(['done', 'done']);
    const versions = (await reg.list()).filter((v) => !v.shipped);
    expect(versions.map((v) => v.id).sort()).toEqual(['beat-pvc-ft1', 'beat-pvc-ft2']);
    for (const v of versions) expect(await sha256File(v.file)).toBe(v.sha256);
    // the id is reserved by the version's file: two reservations at once, from two registries, never share one
    const ids = await Promise.all([reg.reserve(), new ModelRegistry(dir, modelsDir).reserve(), reg.reserve()]);
    expect(ids.map((r) => r.id).sort()).toEqual(['beat-pvc-ft3', 'beat-pvc-ft4', 'beat-pvc-ft5']);
    for (const r of ids) await reg.removeUnregistered(r.path);
    await reg.removeUnregistered(versions[0]!.file); // registered: stays
    expect(existsSync(versions[0]!.file)).toBe(true);
    // cancelled as the job reports it is done: its version came back written, and is removed
    let id = '';
    id = jobs.start(records, { seed: 3 }, (_j, p) => p.stage === 'done' && jobs.cancel(id));
    expect(await jobs.result(id)).toEqual({ status: 'cancelled' });
    expect(readdirSync(dir).sort()).toEqual(['beat-pvc-ft1.onnx', 'beat-pvc-ft2.onnx', 'manifest.json']);
  }, 60_000);

  it('two registries on one folder (the app and the CLI) adding at once both register', async () => {
    const dir = join(root, 'reg-procs');
    const r = await runFinetune(records, { registryDir: dir, modelsDir, seed: 1 });
    const second = { ...r.entry, id: 'beat-pvc-ft2', file: 'beat-pvc-ft2.onnx' };
    copyFileSync(r.path, join(dir, second.file));
    const app = new ModelRegistry(dir, modelsDir);
    const cli = new ModelRegistry(dir, modelsDir);
    await Promise.all([app.add(r.entry), cli.add(second)]);
    expect((await app.entries()).map((e) => e.id).sort()).toEqual(['beat-pvc-ft1', 'beat-pvc-ft2']);
    expect(readdirSync(dir).sort()).toEqual(['beat-pvc-ft1.onnx', 'beat-pvc-ft2.onnx', 'manifest.json']);
  }, 30_000);

  it('rollback passes over an ancestor whose file is missing or altered', async () => {
    const dir = join(root, 'reg-rollback');
    const reg = new ModelRegistry(dir, modelsDir);
    const s = { registryDir: dir, modelsDir, reviewer: 'test' };
    const v1 = await finetuneAndRegister(records, { ...s, seed: 1 });
    await reg.activate(v1.entry.id);
    const v2 = await finetuneAndRegister(records, { ...s, seed: 2 });
    await reg.activate(v2.entry.id);
    const v3 = await finetuneAndRegister(records, { ...s, seed: 3 });
    await reg.activate(v3.entry.id);
    writeFileSync(v2.path, 'not a model');
    expect(await reg.rollback()).toBe(v1.entry.id);
    await reg.activate(v3.entry.id);
    rmSync(v1.path);
    expect(await reg.rollback()).toBe('beat-pvc');
    // deleting the active version rolls back the same way
    await reg.activate(v3.entry.id);
    expect((await reg.delete(v3.entry.id)).find((x) => x.active)!.id).toBe('beat-pvc');
  }, 60_000);

  it('cancel leaves no model file, temporary file or registry entry behind', async () => {
    const dir = join(root, 'reg-cancel');
    // In process: cancelled at the last moment, between the flushed temporary file and the rename.
    const flag = { aborted: false };
    await expect(
      runFinetune(records, { registryDir: dir, modelsDir }, { cancel: flag, onProgress: (p) => p.stage === 'writing' && (flag.aborted = true) })
    ).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(readdirSync(dir)).toEqual([]);
    // In the worker, through the job manager the IPC handlers use.
    const jobs = new FinetuneJobs(new ModelRegistry(dir, modelsDir));
    let id = '';
    id = jobs.start(records, {}, (_j, p) => p.stage === 'embeddings' && jobs.cancel(id));
    expect(await jobs.result(id)).toEqual({ status: 'cancelled' });
    expect(readdirSync(dir)).toEqual([]);
    // And one that runs to the end registers an inactive version.
    const ok = jobs.start(records, { reviewer: 'w' });
    const res = await jobs.result(ok);
    expect(res.status).toBe('done');
    if (res.status === 'done') expect(res.version.active).toBe(false);
    expect(readdirSync(dir).sort()).toEqual(['beat-pvc-ft1.onnx', 'manifest.json']);
  }, 40_000);
});

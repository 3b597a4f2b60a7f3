// One fine-tune job: reviewed beats → embeddings through the parent beat model (ONNX Runtime) →
// the head retrained (multinomial logistic regression from the parent's head.weight/head.bias,
// class-balanced weights, L2 toward the parent, a replay sample of the shipped DS1 embeddings,
// early stopping on a stratified held-out part of the corrections) → a complete ONNX file with the
// new head, written atomically into the registry folder, and its manifest entry. Pure Node; runs
// in the fine-tune worker, or directly in the CLI, tests and the benchmark.
import { readFile } from 'node:fs/promises';
import { mkdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { AAMI_CLASSES, labelAt } from '../../shared/analysis';
import type { BeforeAfter, FinetuneInfo, FinetuneProgress } from '../../shared/finetune';
import { parseNpy } from '../dataset';
import { openModel, sha256File, throwIfCancelled, type CancelToken, type ModelEntry, type ResolvedModel } from '../inference';
import { readInitializers, readModelFile, replaceInitializers, writeFileAtomic } from '../onnx';
import { embedLabelled, FinetuneError, type RecordBeats } from './data';
import { DEFAULT_TRAIN, headProbs, trainHead, type EpochPoint, type Head, type Labelled, type TrainOptions } from './head';
import { countByClass, labelMetrics } from './metrics';
import { ModelRegistry, type VersionEntry } from './registry';
import { stratifiedFolds, stratifiedSplit } from './split';

export interface FinetuneSettings {
  registryDir: string;
  modelsDir: string;
  /** Parent version id; default: the active beat model. */
  parent?: string;
  reviewer?: string;
  seed?: number;
  /** Share of each class's corrections held out for validation / early stopping / metrics. */
  heldOutFraction?: number;
  /**
   * Share of the loss weight carried by the corrections (the rest: replay). Default n / (n + prior)
   * for n training corrections: a few corrections move the head a little, many move it more.
   */
  correctionShare?: number;
  /** The prior's pseudo-count (see correctionShare). */
  correctionPrior?: number;
  /** Share of the replay sample held out with the corrections for validation (forgetting shows in the validation loss). */
  replayHeldOut?: number;
  /** Class balancing exponent: a sample of a class with n rows weighs n^-balance (0 none, 1 full). */
  balance?: number;
  train?: Partial<TrainOptions>;
  threads?: number;
  /**
   * The new version's operating threshold on P(V): 'parent' keeps the parent's; 'refit' applies
   * the shipped model's rule (highest threshold with V recall ≥ `minRecall` on the fixed
   * reference set, never trained on) to the new head; 'patient' takes the patient's own operating
   * point from the held-out corrections (patientThreshold; the parent's with fewer than
   * `minHeldOutV` held-out PVCs). Default 'patient', with correctionPrior 50: chosen by
   * `npm run bench:finetune -- --cv training/work/beats/run-cv/folds` on DS1 (every record reviewed
   * with the cross-validation fold model that never saw it; rule: the highest gross V Se after
   * fine-tuning whose +P does not fall below the before-figure), never on DS2.
   */
  threshold?: 'parent' | 'refit' | 'patient';
  minRecall?: number;
  /** 'patient': the +P floor on the held-out corrections (default 0.90, the shipped model's rule). */
  minPpv?: number;
  /** 'patient': fewest held-out V beats for a threshold of the patient's own (else the parent's). */
  minHeldOutV?: number;
  /**
   * 'patient': which beats score the candidate thresholds. 1: the held-out corrections, scored by
   * the new head. k ≥ 2: every correction, each scored by a head fitted without its fold (stratified
   * k-fold over the corrections, replay as in the job): k times the beats, k more fits.
   */
  thresholdFolds?: number;
  /**
   * 'patient': what the operating point must satisfy on those beats. 'ppv': +P ≥ minPpv. 'parent-fp':
   * no more false V calls than the parent model made on the same beats (recall may only grow
   * without costing the reviewer more false alarms on the patient's own labelled beats).
   */
  thresholdConstraint?: 'ppv' | 'parent-fp';
  /**
   * When every reviewed beat agrees with the model: 'refuse' (NOTHING_TO_LEARN), or
   * 'reference-recall': fit the patient's confirmed beats anyway and give the new version the
   * highest threshold that keeps the parent's V recall on the shipped reference set (the patient
   * showed no PVC to choose a threshold of their own).
   */
  confirmedOnly?: 'refuse' | 'reference-recall';
}

const K = AAMI_CLASSES.length;
const V_CLASS = AAMI_CLASSES.indexOf('V');

export const FINETUNE_DEFAULTS = { seed: 20260422, heldOutFraction: 0.25, correctionPrior: 50, replayHeldOut: 0.2, balance: 0.5 } as const;

export type JobProgress = Omit<FinetuneProgress, 'jobId'>;

export interface JobHooks {
  cancel?: CancelToken;
  onProgress?: (p: JobProgress) => void;
}

export interface FinetuneJobResult {
  entry: VersionEntry;
  /** Absolute path of the written ONNX file (already renamed into place, not yet in the registry manifest). */
  path: string;
  curve: EpochPoint[];
  head: Head;
  parent: ResolvedModel;
}

interface EmbSet {
  x: Float32Array;
  y: Uint8Array;
  n: number;
}

async function loadSet(modelsDir: string, spec: unknown, D: number, what: string): Promise<EmbSet | null> {
  const s = spec as { embeddings?: unknown; labels?: unknown } | undefined;
  if (!s || typeof s.embeddings !== 'string' || typeof s.labels !== 'string') return null;
  const ef = resolve(modelsDir, s.embeddings);
  const lf = resolve(modelsDir, s.labels);
  const e = parseNpy(new Uint8Array(await readFile(ef)), ef);
  const l = parseNpy(new Uint8Array(await readFile(lf)), lf);
  if (!(e.data instanceof Float32Array) || e.shape.length !== 2 || e.shape[1] !== D) throw new FinetuneError('NO_DATA', `${ef}: the ${what} embeddings are not float32 [n, ${D}]`);
  const n = e.shape[0]!;
  if (l.data.length !== n) throw new FinetuneError('NO_DATA', `${lf}: ${l.data.length} ${what} labels for ${n} embeddings`);
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const v = Number(l.data[i]);
    if (!(v >= 0 && v < AAMI_CLASSES.length)) throw new FinetuneError('NO_DATA', `${lf}: label ${v} at row ${i} is not a class index`);
    y[i] = v;
  }
  return { x: e.data, y, n };
}

/** Sample weights: within the rows, a class with n rows weighs n^-balance per row; the rows sum to `total`. */
function balancedWeights(y: Uint8Array, rows: readonly number[], balance: number, total: number): Float64Array {
  const cnt = new Array<number>(AAMI_CLASSES.length).fill(0);
  for (const i of rows) cnt[y[i]!]!++;
  const w = new Float64Array(rows.length);
  let s = 0;
  rows.forEach((i, j) => (s += w[j] = Math.pow(cnt[y[i]!]!, -balance)));
  for (let j = 0; j < w.length; j++) w[j] = (w[j]! * total) / s;
  return w;
}

function take(x: Float32Array, D: number, rows: readonly number[]): Float32Array {
  const out = new Float32Array(rows.length * D);
  rows.forEach((i, j) => out.set(x.subarray(i * D, (i + 1) * D), j * D));
  return out;
}

function headNames(entry: ModelEntry): { weight: string; bias: string } {
  const h = (entry as { head?: { weight?: unknown; bias?: unknown } }).head;
  return { weight: typeof h?.weight === 'string' ? h.weight : 'head.weight', bias: typeof h?.bias === 'string' ? h.bias : 'head.bias' };
}

/** Reads the head of a beat model file: W [K, D], b [K]. */
export function readHead(bytes: Uint8Array, entry: ModelEntry, file: string): Head {
  const names = headNames(entry);
  const init = readInitializers(bytes, [names.weight, names.bias], file);
  const W = init.get(names.weight)!;
  const b = init.get(names.bias)!;
  const K = AAMI_CLASSES.length;
  if (W.dims.length !== 2 || W.dims[0] !== K || b.dims.length !== 1 || b.dims[0] !== K)
    throw new FinetuneError('NO_HEAD', `${file}: ${names.weight} is [${W.dims.join(', ')}] and ${names.bias} [${b.dims.join(', ')}], expected [${K}, D] and [${K}]`);
  return { K, D: W.dims[1]!, W: W.values, b: b.values };
}

/** Highest threshold on P(V) whose V recall on (probs, y) is ≥ minRecall; null without V rows. */
export function recallFirstThreshold(probs: Float32Array, y: Uint8Array, minRecall: number): number | null {
  const K = AAMI_CLASSES.length;
  const V = AAMI_CLASSES.indexOf('V');
  const pv: number[] = [];
  for (let i = 0; i < y.length; i++) if (y[i] === V) pv.push(probs[i * K + V]!);
  if (!pv.length) return null;
  pv.sort((a, b) => b - a);
  // Keeping the top ceil(minRecall · nV) V scores above the threshold: the threshold is the lowest of them.
  const need = Math.max(1, Math.ceil(minRecall * pv.length));
  return Math.min(0.999, Math.max(1e-6, pv[need - 1]!));
}

/** Which (true positives, false positives) an operating point may have on the patient's labelled beats. */
export type OperatingConstraint = (tp: number, fp: number) => boolean;

/** +P at least `minPpv`. */
export const ppvAtLeast =
  (minPpv: number): OperatingConstraint =>
  (tp, fp) =>
    tp / (tp + fp) >= minPpv;

/** No more false V calls than `maxFp` (the parent's on the same beats: never trade the reviewer's time for recall). */
export const falseAlarmsAtMost =
  (maxFp: number): OperatingConstraint =>
  (_tp, fp) =>
    fp <= maxFp;

/**
 * The patient's own operating point, from labelled beats scored by a head the beats did not train
 * (held-out or out-of-fold): the thresholds that satisfy the constraint (a number: +P floor) with
 * the highest V recall form an interval; the threshold is its middle in logit space (a margin on
 * both sides: the weakest PVC kept and the most PVC-like other beat left out). Null with fewer
 * than minV V beats or when no threshold flags a PVC within the constraint.
 */
export function patientThreshold(probs: Float32Array, y: Uint8Array, constraint: number | OperatingConstraint, minV: number): number | null {
  const ok = typeof constraint === 'number' ? ppvAtLeast(constraint) : constraint;
  const K = AAMI_CLASSES.length;
  const V = AAMI_CLASSES.indexOf('V');
  const rows: [number, boolean][] = [];
  let nV = 0;
  for (let i = 0; i < y.length; i++) {
    const isV = y[i] === V;
    nV += isV ? 1 : 0;
    rows.push([probs[i * K + V]!, isV]);
  }
  if (nV < Math.max(1, minV)) return null;
  rows.sort((a, b) => b[0] - a[0]);
  // walk down the scores: a threshold just at or below rows[j] flags rows[0..j]
  let tp = 0;
  let best = -1;
  let hi = NaN;
  let lo = NaN;
  for (let j = 0; j < rows.length; j++) {
    if (rows[j]![1]) tp++;
    if (j + 1 < rows.length && rows[j + 1]![0] === rows[j]![0]) continue; // ties share a threshold
    if (!ok(tp, j + 1 - tp)) continue;
    // thresholds in (next score, this score] flag exactly rows[0..j]
    const next = j + 1 < rows.length ? rows[j + 1]![0] : 0;
    if (tp > best) {
      best = tp;
      hi = rows[j]![0];
      lo = next;
    } else if (tp === best) lo = next;
  }
  if (best <= 0) return null;
  const logit = (p: number) => Math.log(Math.max(p, 1e-6) / Math.max(1 - p, 1e-6));
  const mid = (logit(hi) + logit(lo)) / 2;
  return Math.min(0.999, Math.max(1e-6, 1 / (1 + Math.exp(-mid))));
}

/** Largest |ORT probs − softmax(embedding·Wᵀ + b)|: the head initializers must define the model's output. */
export function headParity(h: Head, x: Float32Array, probs: Float32Array, n: number): number {
  const p = headProbs(h, x, n);
  let m = 0;
  for (let i = 0; i < p.length; i++) m = Math.max(m, Math.abs(p[i]! - probs[i]!));
  return m;
}

export async function runFinetune(records: RecordBeats[], s: FinetuneSettings, hooks: JobHooks = {}): Promise<FinetuneJobResult> {
  const t0 = performance.now();
  const cancel = hooks.cancel;
  const seed = s.seed ?? FINETUNE_DEFAULTS.seed;
  const heldOutFraction = s.heldOutFraction ?? FINETUNE_DEFAULTS.heldOutFraction;
  const balance = s.balance ?? FINETUNE_DEFAULTS.balance;
  const opts: TrainOptions = { ...DEFAULT_TRAIN, ...s.train };
  const report = (p: JobProgress) => hooks.onProgress?.(p);

  report({ stage: 'model', fraction: 0, etaSec: null });
  const reg = new ModelRegistry(s.registryDir, s.modelsDir);
  const root = await reg.shipped();
  const parent = s.parent ? await reg.resolve(s.parent) : await reg.active();
  const parentBytes = await readModelFile(parent.path);
  const parentHead = readHead(parentBytes, parent.entry, parent.path);
  const D = parentHead.D;
  const replay = await loadSet(s.modelsDir, (root.entry as { replay?: unknown }).replay, D, 'replay');
  const reference = await loadSet(s.modelsDir, (root.entry as { reference?: unknown }).reference, D, 'reference');
  throwIfCancelled(cancel);

  report({ stage: 'embeddings', fraction: 0.02, etaSec: null });
  const loaded = await openModel(parent, { provider: 'cpu', threads: s.threads });
  let emb;
  try {
    emb = await embedLabelled(loaded, records, { cancel, onProgress: (f) => report({ stage: 'embeddings', fraction: 0.02 + 0.5 * f, etaSec: null }) });
  } finally {
    await loaded.session.release().catch(() => undefined);
  }
  if (emb.n < 2) throw new FinetuneError('TOO_FEW', `${emb.n} reviewed beat${emb.n === 1 ? '' : 's'}: confirm or correct at least 2 beats before fine-tuning`);
  if (emb.D !== D) throw new FinetuneError('NO_HEAD', `embedding has ${emb.D} values, the head expects ${D}`);
  const parity = headParity(parentHead, emb.x, emb.probs, emb.n);
  if (!(parity < 1e-3)) throw new FinetuneError('NO_HEAD', `${parent.path}: probs differ from softmax(embedding · head.weightᵀ + head.bias) by ${parity.toExponential(2)}: the head initializers do not define the output`);
  // Reviewed beats that all agree with the model teach it nothing about its errors; fitting them
  // only widens margins the patient's labels never asked for (on DS1, a record whose first minutes
  // held no PVC lost half of its later PVCs that way). Confirmations count once something is corrected.
  const parentThreshold = parent.entry.defaultThreshold ?? 0.5;
  let disagreements = 0;
  for (let i = 0; i < emb.n; i++) if (labelAt(emb.probs, i, parentThreshold) !== emb.y[i]) disagreements++;
  const confirmedOnly = disagreements === 0;
  if (confirmedOnly && !((s.confirmedOnly ?? 'refuse') === 'reference-recall' && reference?.n)) throw new FinetuneError('NOTHING_TO_LEARN', `the model already labels all ${emb.n} reviewed beats as the reviewer does: correct at least one beat (a false alarm or a missed PVC) before fine-tuning`);
  throwIfCancelled(cancel);

  // Held-out corrections (stratified, seeded) and the training set: corrections + replay. The
  // validation set pairs the held-out corrections with a held-out part of the replay, in the
  // same proportions as training, so early stopping sees forgetting as well as adaptation.
  const { train, held } = stratifiedSplit(emb.y, heldOutFraction, seed);
  const nr = replay?.n ?? 0;
  const share = nr ? (s.correctionShare ?? train.length / (train.length + (s.correctionPrior ?? FINETUNE_DEFAULTS.correctionPrior))) : 1;
  const rs = replay && nr ? stratifiedSplit(replay.y, s.replayHeldOut ?? FINETUNE_DEFAULTS.replayHeldOut, seed + 1) : { train: [], held: [] };
  const part = (rowsC: readonly number[], rowsR: readonly number[]): Labelled => {
    const n = rowsC.length + rowsR.length;
    const x = new Float32Array(n * D);
    x.set(take(emb.x, D, rowsC), 0);
    const y = new Uint8Array(n);
    rowsC.forEach((i, j) => (y[j] = emb.y[i]!));
    const w = new Float64Array(n);
    const sh = rowsR.length ? share : 1;
    if (rowsC.length) w.set(balancedWeights(emb.y, rowsC, balance, sh), 0);
    if (replay && rowsR.length) {
      x.set(take(replay.x, D, rowsR), rowsC.length * D);
      rowsR.forEach((i, j) => (y[rowsC.length + j] = replay.y[i]!));
      w.set(balancedWeights(replay.y, rowsR, balance, rowsC.length ? 1 - share : 1), rowsC.length);
    }
    return { x, y, w, n };
  };
  const heldSet = held.length ? { x: take(emb.x, D, held), y: Uint8Array.from(held.map((i) => emb.y[i]!)), n: held.length } : null;
  const rule = s.threshold ?? 'patient';
  const folds = rule === 'patient' ? Math.max(1, Math.floor(s.thresholdFolds ?? 1)) : 1;
  // progress: the job's head, then the fold heads, share the training stage
  const fits = 1 + (folds > 1 ? folds : 0);
  let fitIndex = 0;
  const tTrain = performance.now();
  let lastReport = 0;
  const fitHead = (rowsC: readonly number[], heldC: readonly number[]) => {
    const i0 = fitIndex++;
    return trainHead(parentHead, part(rowsC, rs.train), heldC.length ? part(heldC, rs.held) : null, opts, {
      cancel,
      onEpoch: (p) => {
        const now = performance.now();
        if (now - lastReport < 40 && p.epoch < opts.maxEpochs) return;
        lastReport = now;
        const done = (i0 + p.epoch / opts.maxEpochs) / fits;
        const per = (now - tTrain) / Math.max(1e-9, done);
        report({ stage: 'training', fraction: 0.55 + 0.4 * done, etaSec: (per * (1 - done)) / 1000, epoch: p.epoch, loss: p.train, ...(Number.isFinite(p.val) ? { valLoss: p.val } : {}) });
      },
    });
  };
  const fit = fitHead(train, held);
  throwIfCancelled(cancel);

  // The beats that choose the patient's threshold, each scored by a head it did not train.
  let scored: { probs: Float32Array; y: Uint8Array; parentProbs: Float32Array } | null = null;
  if (rule === 'patient' && folds > 1) {
    const fold = stratifiedFolds(emb.y, folds, seed + 2);
    const probs = new Float32Array(emb.n * K);
    for (let f = 0; f < folds; f++) {
      const inF: number[] = [];
      const outF: number[] = [];
      for (let i = 0; i < emb.n; i++) (fold[i] === f ? inF : outF).push(i);
      if (!inF.length || !outF.length) continue;
      const h = fitHead(outF, inF).head;
      const p = headProbs(h, take(emb.x, D, inF), inF.length);
      inF.forEach((i, j) => probs.set(p.subarray(j * K, (j + 1) * K), i * K));
      throwIfCancelled(cancel);
    }
    scored = { probs, y: emb.y, parentProbs: emb.probs };
  } else if (rule === 'patient' && heldSet) {
    scored = { probs: headProbs(fit.head, heldSet.x, heldSet.n), y: heldSet.y, parentProbs: take(emb.probs, K, held) };
  }
  report({ stage: 'metrics', fraction: 0.95, etaSec: null });
  const minPpv = s.minPpv ?? 0.9;
  const thresholdConstraint = s.thresholdConstraint ?? 'ppv';
  /** The operating constraint on the scoring beats; 'parent-fp' counts the parent's false V calls on them. */
  const constraint = (sc: { y: Uint8Array; parentProbs: Float32Array }): OperatingConstraint => {
    if (thresholdConstraint === 'ppv') return ppvAtLeast(minPpv);
    let fp = 0;
    for (let i = 0; i < sc.y.length; i++) if (sc.y[i] !== V_CLASS && labelAt(sc.parentProbs, i, parentThreshold) === V_CLASS) fp++;
    return falseAlarmsAtMost(fp);
  };
  const minHeldOutV = s.minHeldOutV ?? 5;
  const parentRefRecall = reference?.n ? (labelMetrics(headProbs(parentHead, reference.x, reference.n), reference.y, parentThreshold).perClass.V.recall ?? null) : null;
  const threshold =
    confirmedOnly && reference && parentRefRecall !== null
      ? (recallFirstThreshold(headProbs(fit.head, reference.x, reference.n), reference.y, parentRefRecall) ?? parentThreshold)
      : rule === 'refit' && reference
      ? (recallFirstThreshold(headProbs(fit.head, reference.x, reference.n), reference.y, s.minRecall ?? 0.95) ?? parentThreshold)
      : rule === 'patient' && scored
        ? (patientThreshold(scored.probs, scored.y, constraint(scored), minHeldOutV) ?? parentThreshold)
        : parentThreshold;
  const compare = (x: Float32Array, y: Uint8Array, n: number): BeforeAfter => ({
    before: labelMetrics(headProbs(parentHead, x, n), y, parentThreshold),
    after: labelMetrics(headProbs(fit.head, x, n), y, threshold),
  });
  const metrics = {
    heldOut: heldSet ? compare(heldSet.x, heldSet.y, heldSet.n) : null,
    reference: reference && reference.n ? compare(reference.x, reference.y, reference.n) : null,
  };

  report({ stage: 'writing', fraction: 0.97, etaSec: null });
  const names = headNames(parent.entry);
  const bytes = replaceInitializers(
    parentBytes,
    new Map([
      [names.weight, fit.head.W],
      [names.bias, fit.head.b],
    ]),
    parent.path,
  );
  const { id, version } = await reg.nextVersion();
  await mkdir(reg.dir, { recursive: true });
  const file = `${id}.onnx`;
  const path = join(reg.dir, file);
  await writeFileAtomic(path, bytes, () => throwIfCancelled(cancel));
  try {
    const sha256 = await sha256File(path);
    const names2 = new Map<number, { name: string; hash?: string; corrections: number }>();
    for (let i = 0; i < emb.n; i++) {
      const r = records[emb.record[i]!]!;
      const e = names2.get(emb.record[i]!) ?? { name: r.name, ...(r.hash ? { hash: r.hash } : {}), corrections: 0 };
      e.corrections++;
      names2.set(emb.record[i]!, e);
    }
    const finetune: FinetuneInfo = {
      parent: { id: parent.entry.id, version: parent.entry.version },
      root: root.entry.id,
      createdAt: new Date().toISOString(),
      reviewer: s.reviewer ?? 'unknown',
      records: [...names2.values()],
      corrections: { total: emb.n, byClass: countByClass(emb.y), train: countByClass(emb.y, train), heldOut: countByClass(emb.y, held) },
      replay: rs.train.length,
      metrics,
      training: {
        seed,
        epochs: fit.curve.length - 1,
        bestEpoch: fit.bestEpoch,
        stoppedEarly: fit.stoppedEarly,
        l2: opts.l2,
        lr: opts.lr,
        heldOutFraction,
        correctionShare: share,
        jobMs: performance.now() - t0,
      },
    };
    const { replay: _r, reference: _f, metrics: _m, training: _t, finetune: _ft, ...base } = parent.entry as ModelEntry & Record<string, unknown>;
    const thresholdRule =
      threshold === parentThreshold
        ? (base as { thresholdRule?: unknown }).thresholdRule
        : rule === 'patient'
          ? `the patient's own: middle (logit) of the thresholds with the highest V recall ${thresholdConstraint === 'ppv' ? `at +P >= ${minPpv}` : 'with no more false V calls than the parent'} on the ${folds > 1 ? `corrections, each scored out of fold (${folds} folds)` : 'held-out corrections, new head'}`
          : `highest P(V) threshold with V recall >= ${s.minRecall ?? 0.95} on the shipped reference set (the shipped model's rule), new head`;
    const entry = { ...base, id, version, file, sha256, bytes: bytes.byteLength, defaultThreshold: threshold, ...(thresholdRule ? { thresholdRule } : {}), finetune } as VersionEntry;
    report({ stage: 'done', fraction: 1, etaSec: 0 });
    return { entry, path, curve: fit.curve, head: fit.head, parent };
  } catch (e) {
    await rm(path, { force: true });
    throw e;
  }
}

/** runFinetune, then the version added to the registry (inactive). The file is removed when that fails. */
export async function finetuneAndRegister(records: RecordBeats[], s: FinetuneSettings, hooks: JobHooks = {}): Promise<FinetuneJobResult> {
  const r = await runFinetune(records, s, hooks);
  try {
    await new ModelRegistry(s.registryDir, s.modelsDir).add(r.entry);
  } catch (e) {
    await rm(r.path, { force: true });
    throw e;
  }
  return r;
}

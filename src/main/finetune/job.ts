// One fine-tune job: reviewed beats → features and embeddings through the parent beat model (ONNX
// Runtime) → the embedding layer and head retrained from the parent's weights (net.ts: class-balanced
// weights, L2 toward the parent, a distilled replay sample of the shipped DS1 beats, early stopping
// on a stratified held-out part of the corrections; the head alone where the model has no such
// layer) → the patient's threshold → a complete ONNX file with the new layers, written atomically
// into the registry folder, and its manifest entry. Pure Node; runs in the fine-tune worker, or
// directly in the CLI, tests and the benchmark.
import { readFile } from 'node:fs/promises';
import { mkdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { AAMI_CLASSES, labelAt } from '../../shared/analysis';
import type { BeforeAfter, FinetuneInfo, FinetuneProgress } from '../../shared/finetune';
import { parseNpy } from '../dataset';
import { openModel, sha256File, throwIfCancelled, type CancelToken, type ModelEntry, type ResolvedModel } from '../inference';
import { readModelFile, readInitializers, replaceInitializers, writeModelFile } from '../onnx';
import { embedLabelled, FinetuneError, type RecordBeats } from './data';
import { DEFAULT_TRAIN, headNet, headProbs, type EpochPoint, type Head, type Labelled, type TrainOptions } from './head';
import { countByClass, labelMetrics } from './metrics';
import { ModelRegistry, type VersionEntry } from './registry';
import { rng, shuffleInPlace, stratifiedSplit } from './split';
import { embeddingLayerOf } from './layers';
import { netHidden, netProbs, trainNet, type Net } from './net';

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
   * 'patient': fewest held-out other (non-V) beats for it: with a handful, nothing bounds the
   * threshold from below and its logit middle falls towards 0 (0.663 -> 0.016 from 16 beats).
   */
  minHeldOutOther?: number;
  /**
   * What the job adapts: 'head' (the linear head on the embedding) or 'embedding' (the embedding
   * layer and the head, on the features below the embedding layer; needs the replay and reference
   * sets' features, else the head alone).
   */
  adapt?: 'head' | 'embedding';
  /** Most confirmed beats per class the fitting uses (the rest are represented by weight); default 4000. */
  confirmedCap?: number;
  /** Replay targets: 'labels' (the beats' reference classes) or 'distil' (the parent's probabilities on them). */
  replay?: 'labels' | 'distil';
}

/**
 * adapt 'embedding', replay 'distil' (L2 0.01): chosen by `npm run bench:finetune -- --cv
 * training/work/beats/run/folds` on DS1 (rule fixed before the grid: gross V Se and +P ≥ 0.97, then
 * the fewest records worse by > 1 point, then the highest min(Se, +P); grid and figures in the
 * docs/finetune.md), never on DS2.
 */
export const FINETUNE_DEFAULTS = {
  seed: 20260422,
  heldOutFraction: 0.25,
  correctionPrior: 50,
  replayHeldOut: 0.2,
  balance: 0.5,
  adapt: 'embedding',
  replay: 'distil',
  confirmedCap: 4000,
  minHeldOutV: 5,
  minHeldOutOther: 20,
} as const;

/** A fine-tune's progress, before the job table adds its id. */
export type FinetuneProgressEvent = Omit<FinetuneProgress, 'jobId'>;

export interface JobHooks {
  cancel?: CancelToken;
  onProgress?: (p: FinetuneProgressEvent) => void;
}

export interface FinetuneJobResult {
  entry: VersionEntry;
  /** Absolute path of the written ONNX file (already renamed into place, not yet in the registry manifest). */
  path: string;
  curve: EpochPoint[];
  /** The new head (the last layer of `net`). */
  head: Head;
  /** The adapted layers: [head] or [embedding layer, head]. */
  net: Net;
  adapted: 'head' | 'embedding';
  parent: ResolvedModel;
}

interface EmbSet {
  /** n × D embeddings (of the shipped model). */
  x: Float32Array;
  y: Uint8Array;
  n: number;
  /** n × F features below the embedding layer, when the set has them. */
  f?: Float32Array;
}

async function loadSet(modelsDir: string, spec: unknown, D: number, what: string): Promise<EmbSet | null> {
  const s = spec as { embeddings?: unknown; labels?: unknown; features?: unknown } | undefined;
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
  if (typeof s.features !== 'string') return { x: e.data, y, n };
  const ff = resolve(modelsDir, s.features);
  const f = parseNpy(new Uint8Array(await readFile(ff)), ff);
  if (!(f.data instanceof Float32Array) || f.shape.length !== 2 || f.shape[0] !== n) throw new FinetuneError('NO_DATA', `${ff}: the ${what} features are not float32 [${n}, F]`);
  return { x: e.data, y, n, f: f.data };
}

/**
 * Sample weights: within the rows, a class with n rows weighs n^-balance per row; the rows sum to
 * `total`. With multiplicities (a row standing for several, after capping), n counts them and each
 * row weighs its multiplicity times as much.
 */
function balancedWeights(y: Uint8Array, rows: readonly number[], balance: number, total: number, mult?: Float64Array): Float64Array {
  const cnt = new Array<number>(AAMI_CLASSES.length).fill(0);
  for (const i of rows) cnt[y[i]!]! += mult?.[i] ?? 1;
  const w = new Float64Array(rows.length);
  let s = 0;
  rows.forEach((i, j) => (s += w[j] = (mult?.[i] ?? 1) * Math.pow(cnt[y[i]!]!, -balance)));
  for (let j = 0; j < w.length; j++) w[j] = (w[j]! * total) / s;
  return w;
}

/**
 * At most `cap` of each class's confirmed rows (reviewer and parent agree) stand in for all of them
 * in the fitting: a seeded sample, each kept row weighing count / cap (multiplicity written into
 * `mult`). Corrections (disagreements) are always kept. A reviewed 24-hour Holter (110 k confirmed
 * normal beats) fits in seconds instead of minutes, with the same objective in expectation.
 */
export function capConfirmed(rows: readonly number[], y: Uint8Array, agree: Uint8Array, cap: number, seed: number, mult: Float64Array): number[] {
  const byClass = new Map<number, number[]>();
  const out: number[] = [];
  for (const i of rows) {
    if (!agree[i]) out.push(i);
    else {
      if (!byClass.has(y[i]!)) byClass.set(y[i]!, []);
      byClass.get(y[i]!)!.push(i);
    }
  }
  const rand = rng(seed);
  for (const c of [...byClass.keys()].sort((a, b) => a - b)) {
    const list = byClass.get(c)!;
    if (list.length <= cap) {
      out.push(...list);
      continue;
    }
    const kept = shuffleInPlace(list, rand).slice(0, cap);
    for (const i of kept) mult[i] = list.length / cap;
    out.push(...kept);
  }
  return out.sort((a, b) => a - b);
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

/**
 * The patient's own operating point, from labelled beats scored by a head the beats did not train
 * (held-out): the thresholds whose V +P is ≥ minPpv and whose V recall is the highest such recall form an interval; the threshold is its middle in logit space (a margin on
 * both sides: the weakest PVC kept and the most PVC-like other beat left out). Null with fewer
 * than minV V beats or when no threshold flags a PVC at that +P.
 */
export function patientThreshold(probs: Float32Array, y: Uint8Array, minPpv: number, minV: number): number | null {
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
    if (tp / (j + 1) < minPpv) continue;
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

/** Why the held-out beats are too few for a threshold of the patient's own, in words; null when they suffice. */
export function heldOutTooFew(y: Uint8Array, minV: number, minOther: number): string | null {
  const V = AAMI_CLASSES.indexOf('V');
  let nV = 0;
  for (let i = 0; i < y.length; i++) if (y[i] === V) nV++;
  const other = y.length - nV;
  if (nV >= Math.max(1, minV) && other >= minOther) return null;
  return `${nV} held-out PVC${nV === 1 ? '' : 's'} and ${other} other beat${other === 1 ? '' : 's'}: a threshold of this patient's own needs at least ${minV} and ${minOther}`;
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

/** Largest |ORT probs − softmax(embedding·Wᵀ + b)|: the head initializers must define the model's output. */
export function headParity(h: Head, x: Float32Array, probs: Float32Array, n: number): number {
  return maxAbsDiff(headProbs(h, x, n), probs);
}

export async function runFinetune(records: RecordBeats[], s: FinetuneSettings, hooks: JobHooks = {}): Promise<FinetuneJobResult> {
  const t0 = performance.now();
  const cancel = hooks.cancel;
  const seed = s.seed ?? FINETUNE_DEFAULTS.seed;
  const heldOutFraction = s.heldOutFraction ?? FINETUNE_DEFAULTS.heldOutFraction;
  const balance = s.balance ?? FINETUNE_DEFAULTS.balance;
  const report = (p: FinetuneProgressEvent) => hooks.onProgress?.(p);

  report({ stage: 'model', fraction: 0, etaSec: null });
  const reg = new ModelRegistry(s.registryDir, s.modelsDir);
  const root = await reg.shipped();
  const parent = s.parent ? await reg.resolve(s.parent) : await reg.active();
  const parentBytes = await readModelFile(parent.path);
  const parentHead = readHead(parentBytes, parent.entry, parent.path);
  const D = parentHead.D;
  const replay = await loadSet(s.modelsDir, (root.entry as { replay?: unknown }).replay, D, 'replay');
  const reference = await loadSet(s.modelsDir, (root.entry as { reference?: unknown }).reference, D, 'reference');
  // The embedding layer below the head, when the graph has one and the replay and reference sets
  // carry its input (their features do not change with fine-tuning: only these two layers do).
  const embName = (parent.entry as { head?: { embedding?: unknown } }).head?.embedding;
  const layer = replay?.f && reference?.f ? embeddingLayerOf(parentBytes, typeof embName === 'string' ? embName : 'embedding', parent.path) : null;
  const adapt = (s.adapt ?? FINETUNE_DEFAULTS.adapt) === 'embedding' && layer ? 'embedding' : 'head';
  const parentNet: Net = layer ? { layers: [layer.dense, headNet(parentHead).layers[0]!] } : headNet(parentHead);
  // the parent's embeddings of the replay/reference beats (a fine-tuned parent's embedding layer may differ from the shipped one)
  const embedOf = (set: EmbSet | null) => (set && layer ? { ...set, x: netHidden(parentNet, set.f!, set.n) } : set);
  const replayE = embedOf(replay);
  const referenceE = embedOf(reference);
  throwIfCancelled(cancel);

  report({ stage: 'embeddings', fraction: 0.02, etaSec: null });
  const loaded = await openModel(parent, { provider: 'cpu', threads: s.threads, ...(layer ? { extraOutputs: [layer.features] } : {}) });
  let emb;
  try {
    emb = await embedLabelled(loaded, records, { cancel, ...(layer ? { features: layer.features } : {}), onProgress: (f) => report({ stage: 'embeddings', fraction: 0.02 + 0.5 * f, etaSec: null }) });
  } finally {
    await loaded.session.release().catch(() => undefined);
  }
  if (emb.n < 2) throw new FinetuneError('TOO_FEW', `${emb.n} reviewed beat${emb.n === 1 ? '' : 's'}: confirm or correct at least 2 beats before fine-tuning`);
  if (emb.D !== D) throw new FinetuneError('NO_HEAD', `embedding has ${emb.D} values, the head expects ${D}`);
  const parity = headParity(parentHead, emb.x, emb.probs, emb.n);
  if (!(parity < 1e-3)) throw new FinetuneError('NO_HEAD', `${parent.path}: probs differ from softmax(embedding · head.weightᵀ + head.bias) by ${parity.toExponential(2)}: the head initializers do not define the output`);
  if (layer) {
    const m = maxAbsDiff(netHidden(parentNet, emb.f!, emb.n), emb.x);
    if (!(m < 1e-3)) throw new FinetuneError('NO_HEAD', `${parent.path}: the embedding differs from ReLU(${layer.features} · ${layer.weight}ᵀ + ${layer.bias}) by ${m.toExponential(2)}`);
  }
  // Reviewed beats that all agree with the model teach it nothing about its errors; fitting them
  // only widens margins the patient's labels never asked for (on DS1, a record whose first minutes
  // held no PVC lost half of its later PVCs that way). Confirmations count once something is corrected.
  const parentThreshold = parent.entry.defaultThreshold ?? 0.5;
  const agree = new Uint8Array(emb.n);
  for (let i = 0; i < emb.n; i++) agree[i] = labelAt(emb.probs, i, parentThreshold) === emb.y[i] ? 1 : 0;
  if (agree.every((a) => a === 1)) throw new FinetuneError('NOTHING_TO_LEARN', `the model already labels all ${emb.n} reviewed beats as the reviewer does: correct at least one beat (a false alarm or a missed PVC) before fine-tuning`);
  throwIfCancelled(cancel);

  // The adapted net's input: the embedding (head) or the features below the embedding layer.
  const F = adapt === 'embedding' ? layer!.dense.in : D;
  const inputOf = (set: EmbSet) => (adapt === 'embedding' ? set.f! : set.x);
  const xC = adapt === 'embedding' ? emb.f! : emb.x;
  const startNet: Net = adapt === 'embedding' ? parentNet : headNet(parentHead);
  const opts: TrainOptions = { ...DEFAULT_TRAIN, ...s.train };
  // Held-out corrections (stratified, seeded) and the training set: corrections + replay. The
  // validation set pairs the held-out corrections with a held-out part of the replay, in the
  // same proportions as training, so early stopping sees forgetting as well as adaptation.
  const { train, held } = stratifiedSplit(emb.y, heldOutFraction, seed);
  const nr = replay?.n ?? 0;
  // replay targets: the reference labels, or (distil) the parent's own probabilities, so the replay pulls toward the parent's behaviour
  const replayTargets = replayE && (s.replay ?? FINETUNE_DEFAULTS.replay) === 'distil' ? netProbs(startNet, inputOf(replayE), replayE.n) : null;
  const share = nr ? (s.correctionShare ?? train.length / (train.length + (s.correctionPrior ?? FINETUNE_DEFAULTS.correctionPrior))) : 1;
  const rs = replay && nr ? stratifiedSplit(replay.y, s.replayHeldOut ?? FINETUNE_DEFAULTS.replayHeldOut, seed + 1) : { train: [], held: [] };
  const part = (rowsC: readonly number[], rowsR: readonly number[]): Labelled => {
    const n = rowsC.length + rowsR.length;
    const x = new Float32Array(n * F);
    x.set(take(xC, F, rowsC), 0);
    const y = new Uint8Array(n);
    rowsC.forEach((i, j) => (y[j] = emb.y[i]!));
    const w = new Float64Array(n);
    const sh = rowsR.length ? share : 1;
    if (rowsC.length) w.set(balancedWeights(emb.y, rowsC, balance, sh, mult), 0);
    if (replayE && rowsR.length) {
      x.set(take(inputOf(replayE), F, rowsR), rowsC.length * F);
      rowsR.forEach((i, j) => (y[rowsC.length + j] = replayE.y[i]!));
      w.set(balancedWeights(replayE.y, rowsR, balance, rowsC.length ? 1 - share : 1), rowsC.length);
      if (replayTargets) {
        const K = AAMI_CLASSES.length;
        const t = new Float32Array(n * K);
        const soft = new Uint8Array(n);
        rowsR.forEach((i, j) => {
          t.set(replayTargets.subarray(i * K, (i + 1) * K), (rowsC.length + j) * K);
          soft[rowsC.length + j] = 1;
        });
        return { x, y, w, n, t, soft };
      }
    }
    return { x, y, w, n };
  };
  const tTrain = performance.now();
  let lastReport = 0;
  // the fitting (training and early-stopping rows) uses at most `cap` confirmed beats per class; thresholds and metrics use every held-out beat
  const cap = Math.max(1, Math.floor(s.confirmedCap ?? FINETUNE_DEFAULTS.confirmedCap));
  const mult = new Float64Array(emb.n).fill(1);
  const fitTrain = capConfirmed(train, emb.y, agree, cap, seed + 3, mult);
  const fitHeld = capConfirmed(held, emb.y, agree, Math.max(1, Math.round(cap * heldOutFraction)), seed + 4, mult);
  const fit = trainNet(startNet, part(fitTrain, rs.train), fitHeld.length ? part(fitHeld, rs.held) : null, opts, {
    cancel,
    onEpoch: (p) => {
      const now = performance.now();
      if (now - lastReport < 40 && p.epoch < opts.maxEpochs) return;
      lastReport = now;
      const per = (now - tTrain) / p.epoch;
      report({ stage: 'training', fraction: 0.55 + (0.4 * p.epoch) / opts.maxEpochs, etaSec: (per * (opts.maxEpochs - p.epoch)) / 1000, epoch: p.epoch, loss: p.train, ...(Number.isFinite(p.val) ? { valLoss: p.val } : {}) });
    },
  });
  throwIfCancelled(cancel);

  report({ stage: 'metrics', fraction: 0.95, etaSec: null });
  const rule = s.threshold ?? 'patient';
  const minPpv = s.minPpv ?? 0.9;
  const minHeldOutV = s.minHeldOutV ?? FINETUNE_DEFAULTS.minHeldOutV;
  const minHeldOutOther = s.minHeldOutOther ?? FINETUNE_DEFAULTS.minHeldOutOther;
  const heldSet = held.length ? { x: take(xC, F, held), y: Uint8Array.from(held.map((i) => emb.y[i]!)), n: held.length } : null;
  const tooFew = rule === 'patient' ? (heldSet ? heldOutTooFew(heldSet.y, minHeldOutV, minHeldOutOther) : 'no held-out beats') : null;
  const patient = rule === 'patient' && heldSet && !tooFew ? patientThreshold(netProbs(fit.net, heldSet.x, heldSet.n), heldSet.y, minPpv, minHeldOutV) : null;
  const threshold =
    rule === 'refit' && referenceE
      ? (recallFirstThreshold(netProbs(fit.net, inputOf(referenceE), referenceE.n), referenceE.y, s.minRecall ?? 0.95) ?? parentThreshold)
      : (patient ?? parentThreshold);
  const thresholdNote =
    rule !== 'patient'
      ? undefined
      : tooFew
        ? `the parent's, kept: ${tooFew}`
        : patient === null
          ? `the parent's, kept: no threshold reaches V +P ${minPpv} on the held-out beats`
          : `this patient's own, from ${heldSet!.n} held-out beats`;
  const compare = (x: Float32Array, y: Uint8Array, n: number): BeforeAfter => ({
    before: labelMetrics(netProbs(startNet, x, n), y, parentThreshold),
    after: labelMetrics(netProbs(fit.net, x, n), y, threshold),
  });
  const metrics = {
    heldOut: heldSet ? compare(heldSet.x, heldSet.y, heldSet.n) : null,
    reference: referenceE && referenceE.n ? compare(inputOf(referenceE), referenceE.y, referenceE.n) : null,
  };

  report({ stage: 'writing', fraction: 0.97, etaSec: null });
  const names = headNames(parent.entry);
  const head = fit.net.layers[fit.net.layers.length - 1]!;
  const replaced = new Map([
    [names.weight, head.W],
    [names.bias, head.b],
  ]);
  if (adapt === 'embedding') {
    replaced.set(layer!.weight, fit.net.layers[0]!.W);
    replaced.set(layer!.bias, fit.net.layers[0]!.b);
  }
  const bytes = replaceInitializers(parentBytes, replaced, parent.path);
  const { id, version } = await reg.nextVersion();
  await mkdir(reg.dir, { recursive: true });
  const file = `${id}.onnx`;
  const path = join(reg.dir, file);
  await writeModelFile(path, bytes, () => throwIfCancelled(cancel));
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
        adapted: adapt,
        ...(thresholdNote ? { thresholdNote } : {}),
      },
    };
    const { replay: _r, reference: _f, metrics: _m, training: _t, finetune: _ft, ...base } = parent.entry as ModelEntry & Record<string, unknown>;
    const thresholdRule =
      threshold === parentThreshold
        ? (base as { thresholdRule?: unknown }).thresholdRule
        : rule === 'patient'
          ? `the patient's own: middle (logit) of the thresholds with the highest V recall at +P >= ${minPpv} on the held-out corrections, new ${adapt === 'embedding' ? 'embedding layer and head' : 'head'}`
          : `highest P(V) threshold with V recall >= ${s.minRecall ?? 0.95} on the shipped reference set (the shipped model's rule), new head`;
    const entry = { ...base, id, version, file, sha256, bytes: bytes.byteLength, defaultThreshold: threshold, ...(thresholdRule ? { thresholdRule } : {}), finetune } as VersionEntry;
    report({ stage: 'done', fraction: 1, etaSec: 0 });
    return { entry, path, curve: fit.curve, head: { K: head.out, D: head.in, W: head.W, b: head.b }, net: fit.net, adapted: adapt, parent };
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

// The fine-tune's training set: the reviewed beats' rows (the embedding, or the features below the
// embedding layer), a distilled replay sample of the shipped model's beats, class-balanced weights,
// a stratified held-out part of both for early stopping and the threshold, and one for the metrics.
import { AAMI_CLASSES, labelAt } from '../../shared/analysis';
import type { Embedded } from './data';
import { headNet } from './head';
import { netProbs, type Labelled, type Net } from './net';
import type { EmbSet, Parent } from './parent';
import { FINETUNE_DEFAULTS, type FinetuneSettings } from './settings';
import { reportPart, rng, shuffleInPlace, stratifiedSplit } from './split';

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
      for (const i of list) out.push(i);
      continue;
    }
    const kept = shuffleInPlace(list, rand).slice(0, cap);
    for (const i of kept) {
      mult[i] = list.length / cap;
      out.push(i);
    }
  }
  return out.sort((a, b) => a - b);
}

export function take(x: Float32Array, D: number, rows: readonly number[]): Float32Array {
  const out = new Float32Array(rows.length * D);
  rows.forEach((i, j) => out.set(x.subarray(i * D, (i + 1) * D), j * D));
  return out;
}

/** What the fitting gets, and what the threshold, the metrics and the version's record need of it. */
export interface TrainingSet {
  adapt: 'head' | 'embedding';
  /** Width of the adapted net's input. */
  F: number;
  /** The adapted net's input rows of a replay/reference set. */
  inputOf: (set: EmbSet) => Float32Array;
  /** The reviewed beats' input rows. */
  xC: Float32Array;
  /** The net the fitting starts from: the parent's. */
  startNet: Net;
  /** Reviewed rows for training; held out to choose the best epoch and the threshold; held out from both, for the card (may be empty). */
  train: number[];
  held: number[];
  report: number[];
  /** Replay rows used for training. */
  replayTrain: number[];
  /** Share of the loss weight carried by the corrections (of what the unreviewed beats leave). */
  share: number;
  /** Share of the loss weight carried by the records' unreviewed beats (0: none were scored). */
  unreviewedShare: number;
  fitTrain: Labelled;
  fitHeld: Labelled | null;
}

/** Stage 3: the fitting's rows and weights from the reviewed beats and the parent's replay set. */
export function buildTrainingSet(parent: Parent, emb: Embedded, agree: Uint8Array, s: FinetuneSettings): TrainingSet {
  const seed = s.seed ?? FINETUNE_DEFAULTS.seed;
  const heldOutFraction = s.heldOutFraction ?? FINETUNE_DEFAULTS.heldOutFraction;
  const balance = s.balance ?? FINETUNE_DEFAULTS.balance;
  const { layer, replay } = parent;
  const adapt = (s.adapt ?? FINETUNE_DEFAULTS.adapt) === 'embedding' && layer ? 'embedding' : 'head';
  // The adapted net's input: the embedding (head) or the features below the embedding layer.
  const F = adapt === 'embedding' ? layer!.dense.in : parent.head.D;
  const inputOf = (set: EmbSet) => (adapt === 'embedding' ? set.f! : set.x);
  const xC = adapt === 'embedding' ? emb.f! : emb.x;
  const startNet: Net = adapt === 'embedding' ? parent.net : headNet(parent.head);
  // Held-out corrections (stratified, seeded) and the training set: corrections + replay. The
  // validation set pairs the held-out corrections with a held-out part of the replay, in the
  // same proportions as training, so early stopping sees forgetting as well as adaptation. A third
  // part chooses nothing: the card's figures on the beats that chose the epoch and the threshold
  // would be optimistic by construction.
  const { train: notHeld, held } = stratifiedSplit(emb.y, heldOutFraction, seed);
  const reportFraction = s.reportFraction ?? FINETUNE_DEFAULTS.reportFraction;
  const { train, report } = reportPart(emb.y, notHeld, reportFraction / (1 - heldOutFraction), s.minReportV ?? FINETUNE_DEFAULTS.minReportV, seed + 6);
  const nr = replay?.n ?? 0;
  // replay targets: the reference labels, or (distil) the parent's own probabilities, so the replay pulls toward the parent's behaviour
  const replayTargets = replay && (s.replay ?? FINETUNE_DEFAULTS.replay) === 'distil' ? netProbs(startNet, inputOf(replay), replay.n) : null;
  const share = nr ? (s.correctionShare ?? train.length / (train.length + (s.correctionPrior ?? FINETUNE_DEFAULTS.correctionPrior))) : 1;
  const rs = replay && nr ? stratifiedSplit(replay.y, s.replayHeldOut ?? FINETUNE_DEFAULTS.replayHeldOut, seed + 1) : { train: [], held: [] };
  // the fitting (training and early-stopping rows) uses at most `cap` confirmed beats per class; thresholds and metrics use every held-out beat
  const cap = Math.max(1, Math.floor(s.confirmedCap ?? FINETUNE_DEFAULTS.confirmedCap));
  const mult = new Float64Array(emb.n).fill(1);
  const fitTrainRows = capConfirmed(train, emb.y, agree, cap, seed + 3, mult);
  const fitHeldRows = capConfirmed(held, emb.y, agree, Math.max(1, Math.round(cap * heldOutFraction)), seed + 4, mult);
  const rows = { xC, F, y: emb.y, mult, balance, share, replay: replay ? { x: inputOf(replay), y: replay.y, targets: replayTargets } : null };
  const fitTrain = labelledRows(rows, fitTrainRows, rs.train);
  const unreviewedShare = shareOfUnreviewed(s.unreviewedShare ?? FINETUNE_DEFAULTS.unreviewedShare, emb.rest?.n ?? 0);
  return {
    adapt,
    F,
    inputOf,
    xC,
    startNet,
    train,
    held,
    report,
    replayTrain: rs.train,
    share,
    unreviewedShare,
    fitTrain:
      unreviewedShare > 0
        ? withUnreviewed(fitTrain, emb, adapt === 'embedding' ? emb.rest!.f! : emb.rest!.x, F, startNet, unreviewedShare, balance, seed + 5)
        : fitTrain,
    fitHeld: fitHeldRows.length ? labelledRows(rows, fitHeldRows, rs.held) : null,
  };
}

interface RowSource {
  xC: Float32Array;
  F: number;
  y: Uint8Array;
  mult: Float64Array;
  balance: number;
  share: number;
  replay: { x: Float32Array; y: Uint8Array; targets: Float32Array | null } | null;
}

/** Reviewed rows `rowsC` then replay rows `rowsR` as one weighted set (replay rows with soft targets when distilling). */
function labelledRows(src: RowSource, rowsC: readonly number[], rowsR: readonly number[]): Labelled {
  const { F, share, balance, replay } = src;
  const n = rowsC.length + rowsR.length;
  const x = new Float32Array(n * F);
  x.set(take(src.xC, F, rowsC), 0);
  const y = new Uint8Array(n);
  rowsC.forEach((i, j) => (y[j] = src.y[i]!));
  const w = new Float64Array(n);
  const sh = rowsR.length ? share : 1;
  if (rowsC.length) w.set(balancedWeights(src.y, rowsC, balance, sh, src.mult), 0);
  if (replay && rowsR.length) {
    x.set(take(replay.x, F, rowsR), rowsC.length * F);
    rowsR.forEach((i, j) => (y[rowsC.length + j] = replay.y[i]!));
    w.set(balancedWeights(replay.y, rowsR, balance, rowsC.length ? 1 - share : 1), rowsC.length);
    if (replay.targets) {
      const K = AAMI_CLASSES.length;
      const t = new Float32Array(n * K);
      const soft = new Uint8Array(n);
      rowsR.forEach((i, j) => {
        t.set(replay.targets!.subarray(i * K, (i + 1) * K), (rowsC.length + j) * K);
        soft[rowsC.length + j] = 1;
      });
      return { x, y, w, n, t, soft };
    }
  }
  return { x, y, w, n };
}

/** Most of the records' unreviewed beats the fitting distils toward the parent. */
const UNREVIEWED_ROWS = 2000;
/** Fewer unreviewed beats than this carry a proportionally smaller share. */
const UNREVIEWED_FULL = 200;

/** The unreviewed beats' share of the loss: the setting, in proportion below UNREVIEWED_FULL of them. */
export function shareOfUnreviewed(setting: number, unreviewed: number): number {
  if (!(setting >= 0 && setting < 1)) throw new RangeError(`unreviewedShare must be at least 0 and below 1, not ${setting}`);
  return setting * Math.min(1, unreviewed / UNREVIEWED_FULL);
}

/**
 * The training rows plus a seeded sample of the records' unreviewed beats, whose targets are the
 * parent's own probabilities, carrying `share` of the loss (the other rows keep their proportions
 * in the rest): where the review says nothing (a PVC family that first appears after the reviewed
 * minutes), the version stays with the parent instead of following the confirmations of other
 * beats. Class-balanced by the parent's call at the threshold of the review. Not in the
 * early-stopping rows, which weigh the corrections and the replay as before.
 */
function withUnreviewed(set: Labelled, emb: Embedded, restX: Float32Array, F: number, startNet: Net, share: number, balance: number, seed: number): Labelled {
  const K = AAMI_CLASSES.length;
  const rest = emb.rest!;
  const all = Array.from({ length: rest.n }, (_, i) => i);
  const rows = shuffleInPlace(all, rng(seed))
    .slice(0, UNREVIEWED_ROWS)
    .sort((p, q) => p - q);
  const xu = take(restX, F, rows);
  const tu = netProbs(startNet, xu, rows.length);
  const yu = Uint8Array.from(rows, (i, j) => labelAt(tu, j, emb.thresholds[rest.record[i]!]!));
  const n = set.n + rows.length;
  const x = new Float32Array(n * F);
  x.set(set.x);
  x.set(xu, set.n * F);
  const y = new Uint8Array(n);
  y.set(set.y);
  y.set(yu, set.n);
  const w = new Float64Array(n);
  for (let i = 0; i < set.n; i++) w[i] = set.w[i]! * (1 - share);
  const each = rows.map((_, j) => j);
  w.set(balancedWeights(yu, each, balance, share), set.n);
  const t = new Float32Array(n * K);
  if (set.t) t.set(set.t);
  t.set(tu, set.n * K);
  const soft = new Uint8Array(n);
  if (set.soft) soft.set(set.soft);
  soft.fill(1, set.n);
  return { x, y, w, n, t, soft };
}

// One fine-tune job, as named stages: loadParent (the version it starts from, its replay and
// reference sets) → embedReviewed (the reviewed beats through the parent, ONNX Runtime) →
// buildTrainingSet (corrections + a distilled replay sample, class-balanced, a stratified held-out
// part) → fit (the embedding layer and head from the parent's weights, net.ts: L2 toward the
// parent, early stopping; the head alone where the model has no such layer) → chooseThreshold
// (the patient's own by default) → writeVersion (a complete ONNX file written atomically into the
// registry folder, and its manifest entry). Pure Node; runs in the fine-tune worker, or directly
// in the CLI, tests and the benchmark.
import { rm } from 'node:fs/promises';
import { AAMI_CLASSES, V_INDEX, labelAt } from '../../shared/analysis';
import type { BeforeAfter, UnreviewedEffect } from '../../shared/finetune';
import { defaultThresholdOf } from '../beats';
import { openModel, throwIfCancelled, type CancelToken } from '../inference';
import { embedLabelled, FinetuneError, type Embedded, type ReviewedBeats } from './data';
import { DEFAULT_TRAIN, type TrainOptions } from './head';
import { labelMetrics } from './metrics';
import { netHidden, netProbs, trainNet, type EpochPoint, type Net, type NetTrainResult } from './net';
import { headParity, loadParent, maxAbsDiff, type Parent } from './parent';
import { ModelRegistry } from './registry';
import { FINETUNE_DEFAULTS, type FinetuneJobResult, type FinetuneProgressEvent, type FinetuneSettings, type JobHooks } from './settings';
import { shownByNet } from './shown';
import { chooseThreshold, versionThresholds, type ScoredSet, type ShownSet, type VersionThresholds } from './threshold';
import { buildTrainingSet, take, type TrainingSet } from './training-set';
import { writeVersion } from './version';

export { FINETUNE_DEFAULTS, type FinetuneSettings, type FinetuneProgressEvent, type JobHooks, type FinetuneJobResult } from './settings';

type Report = (p: FinetuneProgressEvent) => void;

export async function runFinetune(records: ReviewedBeats[], s: FinetuneSettings, hooks: JobHooks = {}): Promise<FinetuneJobResult> {
  const t0 = performance.now();
  const { cancel } = hooks;
  const report: Report = (p) => hooks.onProgress?.(p);

  report({ stage: 'model', fraction: 0, etaSec: null });
  const parent = await loadParent(s);
  throwIfCancelled(cancel);
  const { emb, agree } = await embedReviewed(parent, records, s, cancel, report);
  throwIfCancelled(cancel);
  const set = buildTrainingSet(parent, emb, agree, s);
  const opts: TrainOptions = { ...DEFAULT_TRAIN, ...s.train };
  const fitted = fit(set, opts, cancel, report);
  throwIfCancelled(cancel);

  report({ stage: 'metrics', fraction: 0.95, etaSec: null });
  const shown = shownAfter(emb, set, fitted.net);
  const held = heldOutShown(emb, shown, set.held);
  // the card's figures: on beats that chose nothing when there are enough, else on those that chose (said so)
  const reported = set.report.length ? heldOutShown(emb, shown, set.report) : held;
  const ref = parent.reference;
  const referenceSet = ref ? { x: set.inputOf(ref), y: ref.y, n: ref.n } : null;
  // the parent's thresholds, and the one each reviewed record was analysed at by the parent (its lead count's)
  const { singleLeadThreshold } = parent.model.entry;
  const parentThresholds: VersionThresholds = { defaultThreshold: parent.threshold, ...(singleLeadThreshold !== undefined ? { singleLeadThreshold } : {}) };
  const reviewed = emb.singleLead.filter((l): l is boolean => l !== null);
  const parentForRecords = Math.min(...reviewed.map((l) => defaultThresholdOf(parentThresholds, l)));
  const chosen = chooseThreshold(s, fitted.net, held?.after ?? null, referenceSet, parent.threshold, parentForRecords);
  const thresholds = versionThresholds(
    chosen,
    parentThresholds,
    reviewed.every((l) => l)
  );
  // what the reviewer saw each record at, and what the version applies to it: its lead count's threshold
  const seenAt = (record: number) => emb.thresholds[record]!;
  const versionAt = (record: number) => defaultThresholdOf(thresholds, emb.singleLead[record] === true);
  const metrics = {
    heldOut: reported
      ? {
          before: labelMetrics(reported.before.probs, reported.before.y, Float32Array.from(reported.records, seenAt)),
          after: labelMetrics(reported.after.probs, reported.after.y, Float32Array.from(reported.records, versionAt)),
        }
      : null,
    ...(reported ? { heldOutOn: set.report.length ? ('report' as const) : ('choice' as const), heldOutNote: heldOutNote(emb, set, s) } : {}),
    // the reference beats are two-lead; forgetting is judged at the parent's threshold (a lower
    // threshold of the patient's own alone would read as forgetting), the version's own apart
    ...(referenceSet && referenceSet.n
      ? {
          reference: beforeAfter(referenceSet, set.startNet, fitted.net, parent.threshold, parent.threshold),
          referenceAtThreshold: labelMetrics(netProbs(fitted.net, referenceSet.x, referenceSet.n), referenceSet.y, thresholds.defaultThreshold),
        }
      : { reference: null }),
    unreviewed: unreviewedEffect(emb, set, fitted.net, versionAt),
  };

  report({ stage: 'writing', fraction: 0.97, etaSec: null });
  const { entry, path } = await writeVersion({ parent, records, emb, set, fit: fitted, opts, chosen, thresholds, metrics, settings: s, t0 }, cancel);
  report({ stage: 'done', fraction: 1, etaSec: 0 });
  const head = fitted.net.layers[fitted.net.layers.length - 1]!;
  return {
    entry,
    path,
    curve: fitted.curve,
    head: { K: head.out, D: head.in, W: head.W, b: head.b },
    net: fitted.net,
    adapted: set.adapt,
    parent: parent.model,
  };
}

/**
 * Stage 2: the reviewed beats' embeddings (and features below the embedding layer) through the
 * parent, checked against its head, and which of them the parent already labels as the reviewer.
 */
async function embedReviewed(
  parent: Parent,
  records: ReviewedBeats[],
  s: FinetuneSettings,
  cancel: CancelToken | undefined,
  report: Report
): Promise<{ emb: Embedded; agree: Uint8Array }> {
  const { layer, model } = parent;
  report({ stage: 'embeddings', fraction: 0.02, etaSec: null });
  const loaded = await openModel(model, { provider: 'cpu', threads: s.threads, ...(layer ? { extraOutputs: [layer.features] } : {}) });
  let emb: Embedded;
  try {
    const onProgress = (f: number) => report({ stage: 'embeddings', fraction: 0.02 + 0.5 * f, etaSec: null });
    emb = await embedLabelled(loaded, records, { cancel, ...(layer ? { features: layer.features } : {}), onProgress, rest: UNREVIEWED_SAMPLE });
  } finally {
    await loaded.session.release().catch(() => undefined);
  }
  if (emb.n < 2) throw new FinetuneError('TOO_FEW', `${emb.n} reviewed beat${emb.n === 1 ? '' : 's'}: confirm or correct at least 2 beats before fine-tuning`);
  if (emb.D !== parent.head.D) throw new FinetuneError('NO_HEAD', `embedding has ${emb.D} values, the head expects ${parent.head.D}`);
  const parity = headParity(parent.head, emb.x, emb.probs, emb.n);
  if (!(parity < 1e-3))
    throw new FinetuneError(
      'NO_HEAD',
      `${model.path}: probs differ from softmax(embedding · head.weightᵀ + head.bias) by ${parity.toExponential(2)}: the head initializers do not define the output`
    );
  if (layer) {
    const m = maxAbsDiff(netHidden(parent.net, emb.f!, emb.n), emb.x);
    if (!(m < 1e-3))
      throw new FinetuneError(
        'NO_HEAD',
        `${model.path}: the embedding differs from ReLU(${layer.features} · ${layer.weight}ᵀ + ${layer.bias}) by ${m.toExponential(2)}`
      );
  }
  // Reviewed beats that all agree with the model teach it nothing about its errors; fitting them
  // only widens margins the patient's labels never asked for (on DS1, a record whose first minutes
  // held no PVC lost half of its later PVCs that way). Confirmations count once something is corrected.
  const agree = new Uint8Array(emb.n);
  // against the labels the reviewer saw: after the consensus, at the threshold of the review
  for (let i = 0; i < emb.n; i++) agree[i] = labelAt(emb.shown, i, emb.thresholds[emb.record[i]!]!) === emb.y[i] ? 1 : 0;
  if (agree.every((a) => a === 1))
    throw new FinetuneError(
      'NOTHING_TO_LEARN',
      `the model already labels all ${emb.n} reviewed beats as the reviewer does: correct at least one beat (a false alarm or a missed PVC) before fine-tuning`
    );
  return { emb, agree };
}

/** Stage 4: the adapted layers trained from the parent's weights, progress at most every 40 ms. */
function fit(set: TrainingSet, opts: TrainOptions, cancel: CancelToken | undefined, report: Report): NetTrainResult {
  const tTrain = performance.now();
  let lastReport = 0;
  const onEpoch = (p: EpochPoint, bestEpoch: number) => {
    const now = performance.now();
    if (now - lastReport < 40 && p.epoch < opts.maxEpochs) return;
    lastReport = now;
    const per = (now - tTrain) / p.epoch;
    const eta = (per * (opts.maxEpochs - p.epoch)) / 1000;
    report({
      stage: 'training',
      fraction: 0.55 + (0.4 * p.epoch) / opts.maxEpochs,
      etaSec: eta,
      epoch: p.epoch,
      loss: p.train,
      ...(Number.isFinite(p.val) ? { valLoss: p.val } : {}),
      // the epoch kept so far by the job's own rule (an improvement of at least minDelta), for the plot's marker
      bestEpoch,
    });
  };
  return trainNet(set.startNet, set.fitTrain, set.fitHeld, opts, { cancel, onEpoch });
}

/** Every reviewed beat as the new version will show it: its net, then the consensus over their records. */
function shownAfter(emb: Embedded, set: TrainingSet, net: Net): Float32Array {
  return shownByNet(net, set.xC, emb.n, emb.contexts, emb.record, (c) => (set.adapt === 'embedding' ? c.f! : c.x));
}

/**
 * Held-out reviewed beats (`rows`) as the parent showed them and as the new version will (`after`,
 * shownAfter): the threshold is chosen, and the version judged, on what the analysis will show.
 */
function heldOutShown(emb: Embedded, after: Float32Array, rows: readonly number[]): { before: ShownSet; after: ShownSet; records: Uint16Array } | null {
  if (!rows.length) return null;
  const K = AAMI_CLASSES.length;
  const y = Uint8Array.from(rows, (i) => emb.y[i]!);
  const records = Uint16Array.from(rows, (i) => emb.record[i]!);
  return { before: { probs: take(emb.shown, K, rows), y, n: y.length }, after: { probs: take(after, K, rows), y, n: y.length }, records };
}

/** Which held-out beats the card's figures are on, in words (and why, when they are the ones that chose). */
function heldOutNote(emb: Embedded, set: TrainingSet, s: FinetuneSettings): string {
  if (set.report.length) return `on ${set.report.length} reviewed beats kept apart: they neither trained the version nor chose its best epoch or threshold`;
  const nV = emb.y.reduce((a, y) => a + (y === V_INDEX ? 1 : 0), 0);
  const minV = s.minReportV ?? FINETUNE_DEFAULTS.minReportV;
  const why =
    (s.reportFraction ?? FINETUNE_DEFAULTS.reportFraction) > 0
      ? `the review's ${nV} PVC${nV === 1 ? '' : 's'} are too few to keep a part of at least ${minV} apart for checking`
      : 'no part was kept apart for checking';
  return `on the ${set.held.length} held-out beats that also chose the best epoch and the threshold, so better than the version will do (${why})`;
}

/** Unreviewed beats scored per record at most (evenly spaced): a 24-hour Holter's 100 k beats would add seconds for a count. */
const UNREVIEWED_SAMPLE = 20_000;

/**
 * The PVC calls a version would change where nobody looked (the corrections of five minutes can
 * teach a shape the rest of the record holds as PVCs), beside what the review's own sample makes of
 * the parent's calls there. All counts are the models' own calls (before the morphology consensus),
 * the parent's at the threshold the reviewer saw, the version's at its own; the parent's PVC
 * precision and recall on the reviewed beats are counted the same way (+1 smoothing for a review with
 * few PVCs; recall floored at 0.5, so a handful of missed PVCs does not multiply the expectation).
 */
function unreviewedEffect(emb: Embedded, set: TrainingSet, net: Net, versionAt: (record: number) => number): UnreviewedEffect | null {
  const rest = emb.rest;
  if (!rest || !rest.n) return null;
  const x = set.adapt === 'embedding' ? rest.f! : rest.x;
  const before = netProbs(set.startNet, x, rest.n);
  const after = netProbs(net, x, rest.n);
  let pvcBefore = 0;
  let pvcAfter = 0;
  for (let i = 0; i < rest.n; i++) {
    if (labelAt(before, i, emb.thresholds[rest.record[i]!]!) === V_INDEX) pvcBefore++;
    if (labelAt(after, i, versionAt(rest.record[i]!)) === V_INDEX) pvcAfter++;
  }
  const cm = labelMetrics(
    emb.probs,
    emb.y,
    Float32Array.from(emb.record, (r) => emb.thresholds[r]!)
  ).confusion;
  const right = cm[V_INDEX]![V_INDEX]!;
  const called = cm.reduce((a, row) => a + row[V_INDEX]!, 0);
  const truePvc = cm[V_INDEX]!.reduce((a, v) => a + v, 0);
  const precision = (right + 1) / (called + 1);
  const recall = Math.max(0.5, (right + 1) / (truePvc + 1));
  return {
    beats: rest.n,
    of: rest.of,
    pvcBefore,
    pvcAfter,
    pvcExpected: Math.min(rest.n, (pvcBefore * precision) / recall),
    pvcByShare: (truePvc / Math.max(1, emb.n)) * rest.n,
  };
}

/** The parent at its threshold against the new version at `threshold`, on a labelled set. */
function beforeAfter(set: ScoredSet, startNet: Net, net: Net, parentThreshold: number, threshold: number): BeforeAfter {
  return {
    before: labelMetrics(netProbs(startNet, set.x, set.n), set.y, parentThreshold),
    after: labelMetrics(netProbs(net, set.x, set.n), set.y, threshold),
  };
}

/** runFinetune, then the version added to the registry (inactive). The file is removed when that fails. */
export async function finetuneAndRegister(records: ReviewedBeats[], s: FinetuneSettings, hooks: JobHooks = {}): Promise<FinetuneJobResult> {
  const r = await runFinetune(records, s, hooks);
  try {
    await new ModelRegistry(s.registryDir, s.modelsDir).add(r.entry);
  } catch (e) {
    await rm(r.path, { force: true });
    throw e;
  }
  return r;
}

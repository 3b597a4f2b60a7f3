// The fine-tune's last stage: the parent's ONNX file with the adapted layers' initializers
// replaced, written atomically into the registry folder, and its manifest entry (parent,
// corrections used, metrics before and after, how it was trained).
import { createHash } from 'node:crypto';
import { rm } from 'node:fs/promises';
import type { FinetuneInfo } from '../../shared/finetune';
import { throwIfCancelled, type CancelToken, type ModelEntry } from '../inference';
import { replaceInitializers, writeModelFile } from '../onnx';
import type { Embedded, ReviewedBeats } from './data';
import { countByClass } from './metrics';
import type { Net, NetTrainResult, TrainOptions } from './net';
import { headNames, type Parent } from './parent';
import type { VersionEntry } from './registry';
import { FINETUNE_DEFAULTS, type FinetuneSettings } from './settings';
import type { ChosenThreshold, VersionThresholds } from './threshold';
import type { TrainingSet } from './training-set';

/** Everything the version's file and entry are made of. */
export interface VersionInputs {
  parent: Parent;
  records: ReviewedBeats[];
  emb: Embedded;
  set: TrainingSet;
  fit: NetTrainResult;
  opts: TrainOptions;
  chosen: ChosenThreshold;
  /** The version's thresholds (threshold.ts versionThresholds). */
  thresholds: VersionThresholds;
  metrics: FinetuneInfo['metrics'];
  settings: FinetuneSettings;
  /** performance.now() when the job started. */
  t0: number;
}

/** The parent's file with the adapted layers' weights in place of its own. */
function versionBytes(parent: Parent, net: Net, adapt: 'head' | 'embedding'): Uint8Array {
  const names = headNames(parent.model.entry);
  const head = net.layers[net.layers.length - 1]!;
  const replaced = new Map([
    [names.weight, head.W],
    [names.bias, head.b],
  ]);
  if (adapt === 'embedding') {
    replaced.set(parent.layer!.weight, net.layers[0]!.W);
    replaced.set(parent.layer!.bias, net.layers[0]!.b);
  }
  return replaceInitializers(parent.bytes, replaced, parent.model.path);
}

/** Per record: its name, content hash and how many reviewed beats it gave. */
function recordsUsed(records: ReviewedBeats[], emb: Embedded): FinetuneInfo['records'] {
  const byRecord = new Map<number, { name: string; hash?: string; corrections: number }>();
  for (let i = 0; i < emb.n; i++) {
    const r = records[emb.record[i]!]!;
    const e = byRecord.get(emb.record[i]!) ?? { name: r.name, ...(r.hash ? { hash: r.hash } : {}), corrections: 0 };
    e.corrections++;
    byRecord.set(emb.record[i]!, e);
  }
  return [...byRecord.values()];
}

function finetuneInfo(v: VersionInputs): FinetuneInfo {
  const { parent, emb, set, fit, opts, settings: s } = v;
  return {
    parent: { id: parent.model.entry.id, version: parent.model.entry.version },
    root: parent.root.entry.id,
    createdAt: new Date().toISOString(),
    reviewer: s.reviewer ?? 'unknown',
    records: recordsUsed(v.records, emb),
    corrections: {
      total: emb.n,
      byClass: countByClass(emb.y),
      train: countByClass(emb.y, set.train),
      heldOut: countByClass(emb.y, set.held),
      ...(set.report.length ? { reported: countByClass(emb.y, set.report) } : {}),
    },
    replay: set.replayTrain.length,
    metrics: v.metrics,
    training: {
      seed: s.seed ?? FINETUNE_DEFAULTS.seed,
      epochs: fit.curve.length - 1,
      bestEpoch: fit.bestEpoch,
      stoppedEarly: fit.stoppedEarly,
      l2: opts.l2,
      lr: opts.lr,
      heldOutFraction: s.heldOutFraction ?? FINETUNE_DEFAULTS.heldOutFraction,
      reportFraction: s.reportFraction ?? FINETUNE_DEFAULTS.reportFraction,
      correctionShare: set.share,
      unreviewedShare: set.unreviewedShare,
      jobMs: performance.now() - v.t0,
      adapted: set.adapt,
      ...(v.chosen.note ? { thresholdNote: v.chosen.note } : {}),
    },
  };
}

/** The manifest entry: the parent's, less its own training record, with the new file, threshold and fine-tune record. */
function versionEntry(v: VersionInputs, id: string, version: string, file: string, sha256: string, bytes: number): VersionEntry {
  const { kept, rule, minPpv } = v.chosen;
  const finetune = finetuneInfo(v);
  const {
    replay: _r,
    reference: _f,
    metrics: _m,
    training: _t,
    finetune: _ft,
    singleLeadThreshold: _s,
    ...base
  } = v.parent.model.entry as ModelEntry & Record<string, unknown>;
  const thresholdRule = kept
    ? (base as { thresholdRule?: unknown }).thresholdRule
    : rule === 'patient'
      ? `the patient's own: middle (logit) of the thresholds with the highest V recall at +P >= ${minPpv} on the held-out corrections, never above the parent's${v.thresholds.singleLeadThreshold !== undefined ? " (one-lead records; two-lead records keep the parent's)" : ''}, new ${v.set.adapt === 'embedding' ? 'embedding layer and head' : 'head'}`
      : `highest P(V) threshold with V recall >= ${v.settings.minRecall ?? 0.95} on the shipped reference set (the shipped model's rule), new head`;
  return {
    ...base,
    id,
    version,
    file,
    sha256,
    bytes,
    ...v.thresholds,
    ...(thresholdRule ? { thresholdRule } : {}),
    finetune,
  } as VersionEntry;
}

/**
 * Stage 6: reserves the next version (registry.ts reserve: no other job gets its id), writes its file
 * over the reservation (a last cancellation check before the rename) and makes its entry; the file
 * is removed when any of that fails.
 */
export async function writeVersion(v: VersionInputs, cancel?: CancelToken): Promise<{ entry: VersionEntry; path: string }> {
  const bytes = versionBytes(v.parent, v.fit.net, v.set.adapt);
  const { id, version, file, path } = await v.parent.reg.reserve();
  try {
    await writeModelFile(path, bytes, () => throwIfCancelled(cancel));
    return { entry: versionEntry(v, id, version, file, sha256Of(bytes), bytes.byteLength), path };
  } catch (e) {
    await rm(path, { force: true });
    throw e;
  }
}

/** The SHA-256 of the bytes written (not read back: the file is the registry's to change from here on). */
function sha256Of(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

// What a fine-tune job is told (FinetuneSettings), its defaults and what it reports.
import type { FinetuneProgress } from '../../shared/finetune';
import type { CancelToken, ResolvedModel } from '../inference';
import type { EpochPoint, Head, TrainOptions } from './head';
import type { Net } from './net';
import type { VersionEntry } from './registry';

export interface FinetuneSettings {
  registryDir: string;
  modelsDir: string;
  /** Parent version id; default: the active beat model. */
  parent?: string;
  reviewer?: string;
  seed?: number;
  /** Share of each class's corrections held out to choose the best epoch (early stopping) and the threshold. */
  heldOutFraction?: number;
  /**
   * Share of each class's corrections held out from the fitting and from those choices, for the
   * card's held-out figures (0: none); none either when it would hold fewer than `minReportV` PVCs,
   * and the figures are then those of the beats that chose (said so on the card).
   */
  reportFraction?: number;
  minReportV?: number;
  /**
   * Share of the loss weight carried by the corrections (the rest: replay), of what the unreviewed
   * beats leave (unreviewedShare). Default n / (n + prior) for n training corrections: a few
   * corrections move the head a little, many move it more.
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
   * `minHeldOutV` held-out PVCs, or where it is higher than the parent's: docs/experiments/
   * 2026-12-07-finetune-unreviewed.md). Default 'patient', with correctionPrior 50: chosen by
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
  /**
   * Share of the loss carried by the records' unreviewed beats (a sample of them), distilled toward the
   * parent's probabilities; 0 for none, below 1; smaller in proportion with fewer than 200 such beats
   * (a handful the reviewer skipped must not weigh as much as the corrections). Default 0.2: chosen with the cap on the patient threshold by
   * `npm run bench:finetune -- --cv training/work/beats/run/folds` over DS1 and the svdb records
   * (docs/experiments/2026-12-07-finetune-unreviewed.md), never on DS2.
   */
  unreviewedShare?: number;
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
  reportFraction: 0.2,
  minReportV: 5,
  correctionPrior: 50,
  replayHeldOut: 0.2,
  balance: 0.5,
  adapt: 'embedding',
  replay: 'distil',
  confirmedCap: 4000,
  minHeldOutV: 5,
  minHeldOutOther: 20,
  unreviewedShare: 0.2,
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

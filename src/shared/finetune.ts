// Domain types of fine-tuning and the model registry that cross the boundary (main, CLI, renderer).
import { ErrorCode } from './errors';
import * as z from './zod';
import { AAMI_CLASSES, type AamiClass } from './analysis';
import { RecordPath, ReviewExport } from './review';

/** null where undefined (no predicted / no true beats of the class). */
export const ClassScore = z.object({ precision: z.nullable(z.number()), recall: z.nullable(z.number()), f1: z.nullable(z.number()), support: z.int() });
export type ClassScore = z.infer<typeof ClassScore>;

/** Labels vs predictions (labelAt at the threshold) on one set of beats. */
export const LabelMetrics = z.object({
  n: z.int(),
  threshold: z.number(),
  /** 5 × 5 counts, rows = true class, columns = predicted class, AAMI_CLASSES order. */
  confusion: z.array(z.array(z.int())),
  perClass: z.record(z.enum(AAMI_CLASSES), ClassScore),
  /** Mean cross-entropy (unweighted). */
  loss: z.nullable(z.number()),
  accuracy: z.nullable(z.number()),
});
export type LabelMetrics = z.infer<typeof LabelMetrics>;

export const BeforeAfter = z.object({ before: LabelMetrics, after: LabelMetrics });
export type BeforeAfter = z.infer<typeof BeforeAfter>;

export const ClassCounts = z.record(z.enum(AAMI_CLASSES), z.int());
export type ClassCounts = z.infer<typeof ClassCounts>;

/**
 * PVC calls on the beats nobody reviewed (an evenly spaced sample of them), the models' own (before the
 * morphology consensus): the parent's at the threshold the reviewer saw, the version's at its own, and two
 * expectations from the review's own sample: the parent's calls × its PVC precision ÷ recall on the
 * reviewed beats (pvcExpected), and the reviewed beats' PVC share × the beats scored (pvcByShare).
 */
export const UnreviewedEffect = z.object({
  beats: z.int(),
  of: z.int(),
  pvcBefore: z.int(),
  pvcAfter: z.int(),
  pvcExpected: z.number(),
  pvcByShare: z.number(),
});
export type UnreviewedEffect = z.infer<typeof UnreviewedEffect>;

/** A fine-tuned version's record in the registry manifest (beside the inference module's ModelEntry fields). */
export const FinetuneInfo = z.object({
  parent: z.object({ id: z.string(), version: z.string() }),
  /** The shipped model whose backbone, replay and reference sets this version shares. */
  root: z.string(),
  createdAt: z.string(),
  reviewer: z.string(),
  records: z.array(z.object({ name: z.string(), hash: z.optional(z.string()), corrections: z.int() })),
  /** heldOut: the part that chose the best epoch and threshold; reported: the part kept apart for the card (absent: none). */
  corrections: z.object({ total: z.int(), byClass: ClassCounts, train: ClassCounts, heldOut: ClassCounts, reported: z.optional(ClassCounts) }),
  replay: z.int(),
  /**
   * reference: the parent and the version both at the parent's threshold (forgetting apart from the
   * threshold; versions made before had the version at its own); referenceAtThreshold: the version at
   * its own threshold (absent in those versions and without a reference set). unreviewed: absent in
   * versions made before the job scored the rest of the record.
   */
  metrics: z.object({
    heldOut: z.nullable(BeforeAfter),
    /**
     * Which held-out beats heldOut is on: 'report', a part that chose nothing; 'choice', the part that
     * chose the best epoch and the threshold (optimistic; too few PVCs for a third part). Absent in
     * versions made before: 'choice'. heldOutNote says it in words.
     */
    heldOutOn: z.optional(z.enum(['report', 'choice'])),
    heldOutNote: z.optional(z.string()),
    reference: z.nullable(BeforeAfter),
    referenceAtThreshold: z.optional(LabelMetrics),
    unreviewed: z.optional(z.nullable(UnreviewedEffect)),
  }),
  training: z.object({
    seed: z.int(),
    epochs: z.int(),
    bestEpoch: z.int(),
    stoppedEarly: z.boolean(),
    l2: z.number(),
    lr: z.number(),
    heldOutFraction: z.number(),
    /** Share kept apart for the card's held-out figures (absent in versions made before). */
    reportFraction: z.optional(z.number()),
    correctionShare: z.number(),
    /** Share of the loss the records' unreviewed beats carried, distilled toward the parent (absent in versions made before). */
    unreviewedShare: z.optional(z.number()),
    jobMs: z.number(),
    /** What was adapted: the head alone, or the embedding layer and the head (absent in versions made before it could). */
    adapted: z.optional(z.enum(['head', 'embedding'])),
    /** How the new version's threshold was chosen, in words (the parent's kept when the held-out beats are too few). */
    thresholdNote: z.optional(z.string()),
  }),
});
export type FinetuneInfo = z.infer<typeof FinetuneInfo>;

export const ModelVersion = z.object({
  id: z.string(),
  version: z.string(),
  task: z.string(),
  /** True for the shipped model (never modified or deleted). */
  shipped: z.boolean(),
  active: z.boolean(),
  file: z.string(),
  sha256: z.string(),
  defaultThreshold: z.optional(z.number()),
  finetune: z.optional(FinetuneInfo),
});
export type ModelVersion = z.infer<typeof ModelVersion>;

export const EpochPoint = z.object({ epoch: z.int(), train: z.number(), val: z.number() });

/** A fine-tune job's outcome: the written (inactive) version, or cancelled / failed. */
export const FinetuneOutcome = z.discriminatedUnion('status', [
  z.object({ status: z.literal('done'), version: ModelVersion, curve: z.array(EpochPoint) }),
  z.object({ status: z.literal('cancelled') }),
  z.object({ status: z.literal('failed'), code: ErrorCode, message: z.string() }),
]);
export type FinetuneOutcome = z.infer<typeof FinetuneOutcome>;

/** One record's reviewed beats for a job: the record file and the reviewer's export of it. */
export const FinetuneSource = z.object({ recordPath: RecordPath, review: ReviewExport });
export type FinetuneSource = z.infer<typeof FinetuneSource>;

export const FinetuneStartRequest = z.strictObject({
  sources: z.array(FinetuneSource).check(z.minLength(1), z.maxLength(500)),
  reviewer: z.optional(z.string().check(z.maxLength(200))),
  /** Parent version id; default the active beat model. */
  parent: z.optional(z.string()),
  seed: z.optional(z.int()),
});

/** Progress of a fine-tune job, pushed as `finetune:progress` events. */
export const FinetuneProgress = z.object({
  jobId: z.string(),
  /** 'queued': waiting for a free job slot (analyses and fine-tunes run a few at a time). */
  stage: z.enum(['queued', 'model', 'embeddings', 'training', 'metrics', 'writing', 'done']),
  fraction: z.number().check(z.minimum(0), z.maximum(1)),
  etaSec: z.nullable(z.number()),
  epoch: z.optional(z.int()),
  loss: z.optional(z.number()),
  valLoss: z.optional(z.number()),
  /** The epoch the job keeps so far (training). */
  bestEpoch: z.optional(z.int()),
  message: z.optional(z.string()),
});
export type FinetuneProgress = z.infer<typeof FinetuneProgress>;

/** The classes a before/after table shows: those with true beats, or predicted before or after. */
export function scoredClasses(m: BeforeAfter): AamiClass[] {
  return AAMI_CLASSES.filter((c) => m.before.perClass[c].support > 0 || m.before.perClass[c].precision !== null || m.after.perClass[c].precision !== null);
}

/** Counts by class of what a job would use: labelled (confirmed/relabelled/added) beats of the review. */
export function usableCounts(review: ReviewExport): ClassCounts {
  const c: ClassCounts = { N: 0, S: 0, V: 0, F: 0, Q: 0 };
  for (const b of review.beats) if (isUsable(b.status) && b.label !== 'X') c[b.label]++;
  return c;
}

/** Reviewed beats a fine-tune learns from: confirmed, relabelled and added ones (never deleted or unreviewed). */
export function isUsable(status: ReviewExport['beats'][number]['status']): boolean {
  return status === 'confirmed' || status === 'relabelled' || status === 'added';
}

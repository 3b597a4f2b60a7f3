// Domain types of an analysis result, shared by main (producer), the CLI and the renderer.
// Per-beat data is columnar (typed arrays): a 24-hour Holter has ~100 000 beats, and typed
// arrays cross Electron IPC (structured clone) and the bridge (binary) without per-object cost.
import * as z from './zod';

/** AAMI EC57 beat classes, in the order of the beat model's softmax output. */
export const AAMI_CLASSES = ['N', 'S', 'V', 'F', 'Q'] as const;
export type AamiClass = (typeof AAMI_CLASSES)[number];
export const V_INDEX = 2;

/** Where beat positions come from: the record's reference annotations (its .atr) or the QRS detector. */
export const BeatSource = z.enum(['reference', 'detector']);
export type BeatSource = z.infer<typeof BeatSource>;
/** The beat source asked for: one of them, or 'auto' (the reference when the record has one with beats in it). */
export const BeatChoice = z.enum([...BeatSource.options, 'auto']);
export type BeatChoice = z.infer<typeof BeatChoice>;

export const EpisodeType = z.enum(['AF', 'VT', 'PAUSE', 'NOISE']);
export type EpisodeType = z.infer<typeof EpisodeType>;

export const Episode = z.object({
  type: EpisodeType,
  /** Frame indices at the record's own rate, [onset, offset). */
  onsetSample: z.int().check(z.nonnegative()),
  offsetSample: z.int().check(z.nonnegative()),
  confidence: z.number().check(z.minimum(0), z.maximum(1)),
  /** Why, in words a reviewer understands ("RR irregularity CV 0.31 over 40 beats, ≥ 0.12"). */
  explanation: z.string(),
  source: z.enum(['model', 'rules', 'reference', 'reviewer']),
  /** A VT episode that is ventricular fibrillation or flutter (no organised QRS, or a rate of flutter): 'VF'. */
  rhythm: z.optional(z.enum(['VT', 'VF'])),
  /** A VT episode joined from runs of V beats less than the bridge apart: its longest run, seconds (sustained VT is one run of ≥ 30 s). */
  longestRunSec: z.optional(z.number().check(z.nonnegative())),
  /**
   * A rhythm-model VT episode widened to the beat-label VT runs it overlaps at the current threshold:
   * the model's own episodes it is made of, from which every threshold widens it again.
   */
  model: z.optional(
    z.array(
      z.object({
        onsetSample: z.int().check(z.nonnegative()),
        offsetSample: z.int().check(z.nonnegative()),
        confidence: z.number().check(z.minimum(0), z.maximum(1)),
        explanation: z.string(),
        rhythm: z.optional(z.enum(['VT', 'VF'])),
        longestRunSec: z.optional(z.number().check(z.nonnegative())),
      })
    )
  ),
});
export type Episode = z.infer<typeof Episode>;

/** What an episode is called wherever it is shown: a VT episode whose rhythm is fibrillation or flutter is 'VF'. */
export function episodeName(e: Pick<Episode, 'type' | 'rhythm'>): EpisodeType | 'VF' {
  return e.type === 'VT' && e.rhythm === 'VF' ? 'VF' : e.type;
}

/** A NOISE episode of the rhythm model's noise class (not the signal quality index's). */
export function isModelNoise(e: { type: string; source: string }): boolean {
  return e.type === 'NOISE' && e.source === 'model';
}

/** An episode over which RR intervals are no heart rate: unreadable signal, or fibrillation / flutter (no QRS to count). */
export function noRateIn(e: Pick<Episode, 'type' | 'rhythm'>): boolean {
  return e.type === 'NOISE' || episodeName(e) === 'VF';
}

/**
 * The episode a WFDB rhythm-change annotation starts (its aux, as `analyze` and the review export
 * write them, or as PhysioNet references do), or null for every other rhythm — sinus, and atrial
 * flutter, which the app's AF episodes do not include (EC57 scores it as neither AF nor not-AF).
 */
export function episodeOfRhythmAux(aux: string): Pick<Episode, 'type' | 'rhythm'> | null {
  switch (aux.replace(/\0+$/, '').trim()) {
    case '(AFIB':
      return { type: 'AF' };
    case '(VT':
      return { type: 'VT', rhythm: 'VT' };
    case '(VF':
    case '(VFL':
    case '(VFIB':
      return { type: 'VT', rhythm: 'VF' };
    case '(NOISE':
      return { type: 'NOISE' };
    default:
      return null;
  }
}

/** WFDB's VFON "[" and VFOFF "]" codes: the start and end of ventricular flutter or fibrillation (cudb marks VF only so). */
const VFON = 32;
const VFOFF = 33;

/** The [onset, offset) spans an annotation file marks as VF with "[" … "]"; one left open ends at `end`. */
export function vfMarkSpans(codes: ArrayLike<number>, samples: ArrayLike<number>, end: number): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  let onset = -1;
  for (let i = 0; i < codes.length; i++) {
    if (codes[i] === VFON && onset < 0) onset = samples[i]!;
    else if (codes[i] === VFOFF && onset >= 0) {
      spans.push([onset, samples[i]!]);
      onset = -1;
    }
  }
  if (onset >= 0 && end > onset) spans.push([onset, end]);
  return spans;
}

/**
 * Episodes with the VF an annotation file marks with "[" … "]" added: a mark over VF rhythm
 * episodes joins them into one over all (cudb marks some VF both ways), otherwise it is an episode of its own.
 */
export function withVfMarks<E extends Pick<Episode, 'type' | 'rhythm' | 'onsetSample' | 'offsetSample'>>(
  episodes: E[],
  spans: ReadonlyArray<[number, number]>,
  make: (onset: number, offset: number) => E
): E[] {
  let out = [...episodes];
  for (const [on, off] of spans) {
    const same = out.filter((e) => episodeName(e) === 'VF' && e.onsetSample <= off && on <= e.offsetSample);
    if (!same.length) {
      out.push(make(on, off));
      continue;
    }
    // one episode over the mark and every VF episode it touches (a mark across two would leave them overlapping)
    const [first, ...rest] = same;
    first!.onsetSample = Math.min(on, ...same.map((e) => e.onsetSample));
    first!.offsetSample = Math.max(off, ...same.map((e) => e.offsetSample));
    out = out.filter((e) => !rest.includes(e));
  }
  return out.sort((a, b) => a.onsetSample - b.onsetSample);
}

export const BeatConfidence = z.object({
  /** Share of beats whose most probable class has a probability below `level`. */
  ambiguousShare: z.number().check(z.minimum(0), z.maximum(1)),
  level: z.number(),
  /** The share above which the model says it is unsure (the 95th percentile of its out-of-fold records). */
  alert: z.number().check(z.minimum(0), z.maximum(1)),
  unsure: z.boolean(),
});
export type BeatConfidence = z.infer<typeof BeatConfidence>;

export const ModelUse = z.object({
  task: z.enum(['beat', 'rhythm']),
  /** Model id and version from models/manifest.json (or the fine-tuned registry); 'rules' when the fallback ran. */
  id: z.string(),
  version: z.string(),
  provider: z.enum(['cuda', 'cpu', 'rules']),
  /** Set when the fallback ran instead of the model, or CUDA was wanted but not used: the reason, in words. */
  note: z.optional(z.string()),
  /** A fine-tuned version: the records whose reviewed beats it was adapted to (its layers and threshold are theirs). */
  tunedOn: z.optional(z.array(z.object({ name: z.string(), hash: z.optional(z.string()) }))),
  /** Beat model on a record with one ECG signal: what it was given as lead 1 (src/main/beats/single-lead.ts). */
  singleLeadInput: z.optional(z.enum(['copy', 'zeros'])),
  /** Beat model on a record with one ECG signal: the way up its lead was given (absent: as recorded). */
  singleLeadPolarity: z.optional(z.enum(['qrs-up', 'qrs-down'])),
  /** Beat model: how sure it is of this record as a whole (src/main/analysis/confidence.ts). */
  confidence: z.optional(BeatConfidence),
});
export type ModelUse = z.infer<typeof ModelUse>;

export const BeatTable = z.object({
  /** R-peak frame index at the record's own rate. */
  sample: z.instanceof(Int32Array),
  /** n × 5 class probabilities, row-major, AAMI_CLASSES order. */
  probs: z.instanceof(Float32Array),
  /** P(V), the score the operating threshold applies to. */
  pvcScore: z.instanceof(Float32Array),
  /** Predicted class index at the analysis threshold: V when pvcScore ≥ threshold, else the most probable other class. */
  label: z.instanceof(Uint8Array),
  /** Previous RR interval in ms (NaN for the first beat). */
  rrMs: z.instanceof(Float32Array),
  /** 1 where the beat's QRS is wide and unlike the dominant beat: the VT evidence (src/main/rules/vt.ts). */
  wide: z.optional(z.instanceof(Uint8Array)),
  /** Where the beat positions came from. */
  source: BeatSource,
  /** n × embeddingDim beat-model embedding (morphology grouping, fine-tuning); absent when the rules ran. */
  embedding: z.optional(z.instanceof(Float32Array)),
  embeddingDim: z.optional(z.int().check(z.nonnegative())),
});
export type BeatTable = z.infer<typeof BeatTable>;

/**
 * Fewest seconds of readable signal an ectopy rate per hour is given from (the analysis summary's
 * pvcPerHour, the review's and the report's rates): under it the rate extrapolates a few minutes
 * twelvefold or more, and ectopy comes in clusters (a VT run, a stretch of bigeminy) that fill a
 * few minutes: vfdb 605, 30 s readable of 35 min, gave 8160 PVCs an hour from one VT run. Five
 * minutes is the shortest recording the app reads a time-domain figure from (the report's HRV:
 * the Task Force's short-term recording, 1996).
 */
export const RATE_MIN_READABLE_SEC = 300;

/**
 * Whether `readableSec` of readable signal gives a rate per hour: RATE_MIN_READABLE_SEC or more, to a
 * microsecond (far under a sample): the record's seconds less its unreadable ones, each frames over
 * fs, can miss exactly 5 min by a rounding (250 Hz: 128 700 / 250 − 53 700 / 250 = 299.99999999999994).
 */
export function hasRatePerHour(readableSec: number): boolean {
  return readableSec >= RATE_MIN_READABLE_SEC - 1e-6;
}

/** Beats per hour of `readableSec` of readable signal; null under RATE_MIN_READABLE_SEC of it (no rate). */
export function perReadableHour(count: number, readableSec: number): number | null {
  return hasRatePerHour(readableSec) ? count / (readableSec / 3600) : null;
}

export const AnalysisSummary = z.object({
  beats: z.int(),
  pvcCount: z.int(),
  pvcBurden: z.number().check(z.minimum(0), z.maximum(1)),
  /** PVCs per hour of readable signal; 0, none, under RATE_MIN_READABLE_SEC of it (the table, the review and the report show "—"). */
  pvcPerHour: z.number(),
  couplets: z.int(),
  triplets: z.int(),
  bigeminyEpisodes: z.int(),
  longestVtRunBeats: z.int(),
  afBurden: z.number().check(z.minimum(0), z.maximum(1)),
  longestPauseSec: z.number(),
  meanHr: z.number(),
  /** The slowest and fastest whole minute's mean rate; 0 when no minute is whole (a strip under a minute, a record mostly unreadable). */
  minHr: z.number(),
  maxHr: z.number(),
  /** Seconds of unreadable signal (NOISE episodes), left out of the pause and heart-rate figures. */
  unreadableSec: z.optional(z.number().check(z.nonnegative())),
});
export type AnalysisSummary = z.infer<typeof AnalysisSummary>;

/** The recording-level call (seed 003's classify_and_detect): one label for the whole recording. */
export const RecordingLabel = z.enum(['AF', 'VT', 'VF', 'PAUSE', 'NORMAL', 'OTHER', 'NOISE']);
export type RecordingLabel = z.infer<typeof RecordingLabel>;

export const Recording = z.object({
  label: RecordingLabel,
  confidence: z.number().check(z.minimum(0), z.maximum(1)),
  /** Frame index (record's rate) of the finding: the episode's onset, or 0 for the whole recording. */
  sample: z.int().check(z.nonnegative()),
  explanation: z.string(),
  /** The episode type behind the call, when one episode is its most significant finding. */
  episodeType: z.optional(EpisodeType),
  /** A VT call whose run is shorter than 30 s (nonsustained VT). */
  nonsustained: z.optional(z.boolean()),
});
export type Recording = z.infer<typeof Recording>;

/** Whole-strip rhythm evidence of a short recording (src/main/analysis/strip.ts). */
export const StripEvidence = z.object({
  windows: z.int().check(z.nonnegative()),
  meanProbs: z.record(z.string(), z.number()),
  beats: z.int().check(z.nonnegative()),
  usableIntervals: z.int().check(z.nonnegative()),
  minLagDiff: z.number(),
  normRmssd: z.number(),
});
export type StripEvidence = z.infer<typeof StripEvidence>;

export const Analysis = z.object({
  record: z.string(),
  /** SHA-256 of the header and signal files: the key reviewer work is stored under. */
  recordHash: z.string(),
  /** The analysed leads' rate, Hz: beat positions and episodes count its samples. */
  fs: z.number().check(z.positive()),
  /**
   * The record's frame rate when fs is a multiple of it (a multi-frequency record: its ECG leads hold
   * several samples a frame); absent when they are one. Annotation files of the analysis then say their time resolution.
   */
  frameFs: z.optional(z.number().check(z.positive())),
  durationSec: z.number().check(z.nonnegative()),
  threshold: z.number().check(z.minimum(0), z.maximum(1)),
  beats: BeatTable,
  episodes: z.array(Episode),
  summary: AnalysisSummary,
  models: z.array(ModelUse),
  timingsMs: z.record(z.string(), z.number()),
  /** Why the rule-based beat classifier scored a beat as it did: [beat index, explanation], for beats with P(V) ≥ 0.25. */
  beatNotes: z.optional(z.array(z.tuple([z.int(), z.string()]))),
  /** The signals analysed (numbers in the record's header, descriptions): the record's ECG leads unless others were asked for. */
  leads: z.optional(z.array(z.object({ signal: z.int().check(z.nonnegative()), name: z.string() }))),
  /** Signals left out once read, and why (a lead flat for most of the record: the other is analysed alone). */
  leadsLeftOut: z.optional(z.array(z.object({ signal: z.int().check(z.nonnegative()), name: z.string(), reason: z.string() }))),
  /** What the reader said of the record (a recording cut short: the analysis covers what it holds). */
  recordWarnings: z.optional(z.array(z.string())),
  /** The recording-level call; every analysis made by this version carries one. */
  recording: z.optional(Recording),
  /** Short recordings (strips): the whole-strip rhythm evidence the recording call reads. */
  strip: z.optional(StripEvidence),
  /** The rhythm model's P(VT) per window (VT, flutter and fibrillation), for the VT evidence of beat-label runs. */
  rhythmVt: z.optional(z.object({ startSample: z.instanceof(Int32Array), pVt: z.instanceof(Float32Array), windowSamples: z.int().check(z.positive()) })),
  /** True when the result came from the on-disk cache (models not re-run). */
  fromCache: z.optional(z.boolean()),
});
export type Analysis = z.infer<typeof Analysis>;

/** Predicted class index for one beat: the thresholded rule every consumer uses. */
export function labelAt(probs: Float32Array, i: number, threshold: number): number {
  const base = i * AAMI_CLASSES.length;
  if (probs[base + V_INDEX]! >= threshold) return V_INDEX;
  let best = 0;
  let bestP = -1;
  for (let k = 0; k < AAMI_CLASSES.length; k++) {
    if (k === V_INDEX) continue;
    const p = probs[base + k]!;
    if (p > bestP) {
      bestP = p;
      best = k;
    }
  }
  return best;
}

// Precision, recall and F1 of the PVC threshold, against the reference annotations (matched
// beat by beat by the project's bxb implementation) and against the reviewer's labels. The
// matching and the statistics come from src/main/evaluation (the one evaluation module); here
// only the test column of each matched pair is re-read at the chosen threshold.
import { compareBeats } from '../../../main/evaluation/bxb';
import { classStat } from '../../../main/evaluation/stats';
import { emptyMatrix, LABELS, O, V, type ConfusionMatrix } from '../../../main/evaluation/matrix';
import { CLASS_CODE } from '../../../main/evaluation/labels';
import { AAMI_CLASSES, labelAt } from '../../../shared/analysis';
import { STATUS, type ReviewBeats } from './beats';

export interface PairTable {
  /** Row (reference / reviewed label, LABELS index) per pair. */
  row: Uint8Array;
  /** Model beat index per pair (-1: the model has no beat there, column O). */
  beat: Int32Array;
}

export interface OperatingPoint {
  threshold: number;
  tp: number;
  fp: number;
  fn: number;
  precision: number | null;
  recall: number | null;
  f1: number | null;
  matrix: ConfusionMatrix;
}

/** Per model beat: V when score ≥ t, else this class (the most probable non-V class, by labelAt). */
export function nonVLabels(probs: Float32Array | null, baseLabel: Uint8Array, n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = probs ? labelAt(probs, i, Infinity) : baseLabel[i]!;
  return out;
}

/** Pairs reference beats with the model's beats once (bxb matching, 150 ms window). */
export function referencePairs(ref: { sample: Int32Array; code: Uint8Array }, modelSample: Int32Array, fs: number): PairTable {
  const test = { sample: modelSample, code: new Uint8Array(modelSample.length).fill(CLASS_CODE.N) };
  const cmp = compareBeats(ref, test, { fs, keepPairs: true });
  const pairs = cmp.pairs ?? [];
  const row = new Uint8Array(pairs.length);
  const beat = new Int32Array(pairs.length);
  pairs.forEach((p, k) => {
    row[k] = LABELS.indexOf(p.refLabel);
    beat[k] = p.testLabel === 'O' || p.testLabel === 'X' ? -1 : p.test;
  });
  return { row, beat };
}

/** Pairs from the reviewer's decisions: reviewed beats' labels as truth (X / deleted = not a beat). */
export function reviewedPairs(beats: ReviewBeats): PairTable {
  const row: number[] = [];
  const beat: number[] = [];
  const status = beats.statusCodes();
  for (let i = 0; i < beats.count; i++) {
    if (status[i] === STATUS.none) continue;
    const e = beats.edit(i)!;
    const b = beats.base[i]!;
    const notBeat = e.status === 'deleted' || e.label === 'X';
    if (notBeat && b < 0) continue;
    row.push(notBeat ? O : AAMI_CLASSES.indexOf(e.label as (typeof AAMI_CLASSES)[number]));
    beat.push(b);
  }
  return { row: Uint8Array.from(row), beat: Int32Array.from(beat) };
}

/** The confusion matrix and V statistics at threshold t. */
export function operatingPoint(pairs: PairTable, scores: Float32Array | null, nonV: Uint8Array, t: number): OperatingPoint {
  const m = emptyMatrix();
  for (let k = 0; k < pairs.row.length; k++) {
    const b = pairs.beat[k]!;
    const col = b < 0 ? O : scores && scores[b]! >= t ? V : nonV[b]!;
    const r = pairs.row[k]!;
    if (r >= O && col >= O) continue;
    m[r]![col]!++;
  }
  const s = classStat(m, 'V');
  const f1 = s.se !== null && s.ppv !== null && s.se + s.ppv > 0 ? (2 * s.se * s.ppv) / (s.se + s.ppv) : null;
  return { threshold: t, tp: s.tp, fp: s.fp, fn: s.fn, precision: s.ppv, recall: s.se, f1, matrix: m };
}

/** Operating points over a threshold grid (for the PR curve and the P/R/F1-vs-threshold plot). */
export function sweep(pairs: PairTable, scores: Float32Array | null, nonV: Uint8Array, steps = 100): OperatingPoint[] {
  const out: OperatingPoint[] = [];
  for (let k = 0; k <= steps; k++) out.push(operatingPoint(pairs, scores, nonV, k / steps));
  return out;
}

/** Presets: "recall first" = highest threshold keeping recall ≥ target; "balanced" = best F1. */
export function presetThreshold(points: readonly OperatingPoint[], preset: 'recall' | 'balanced', recallTarget = 0.98): number | null {
  if (!points.length) return null;
  if (preset === 'balanced') {
    let best: OperatingPoint | null = null;
    for (const p of points) if (p.f1 !== null && (!best || p.f1 > best.f1!)) best = p;
    return best?.threshold ?? null;
  }
  let pick: number | null = null;
  for (const p of points) if (p.recall !== null && p.recall >= recallTarget) pick = p.threshold;
  return pick;
}

/**
 * When recall never drops under `floor` at any threshold below 1 (every true V scores high), the
 * PR curve is only the right edge of its box: the lowest recall and the highest threshold swept,
 * for the panel to say so. Null otherwise, or with nothing to score.
 */
export function flatRecall(points: readonly OperatingPoint[], floor = 0.98): { min: number; upTo: number } | null {
  const pts = points.filter((p) => p.threshold < 1 && p.recall !== null);
  if (!pts.length) return null;
  const min = Math.min(...pts.map((p) => p.recall!));
  return min >= floor ? { min, upTo: pts[pts.length - 1]!.threshold } : null;
}

/**
 * Why the threshold has nothing to be scored against, in words (null: it has): no reference
 * annotations, reference annotations without a single beat label (rhythm only, as in vfdb), or
 * no reviewed beats yet. Scoring then would count every model beat a false alarm.
 */
export function nothingToScore(truth: 'reference' | 'reviewed', ref: { aami: Int8Array } | null, reviewedPairs: number): string | null {
  if (truth === 'reviewed') return reviewedPairs ? null : 'no reviewed beats yet: confirm or correct beats to score the threshold against your labels';
  if (!ref) return 'the record has no reference annotations (.atr)';
  for (let i = 0; i < ref.aami.length; i++) if (ref.aami[i]! >= 0) return null;
  return 'its reference annotations hold no beat labels (rhythm only)';
}

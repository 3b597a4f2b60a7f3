// The bxb confusion matrix: reference label (rows) × test label (columns), both in the order
// N S V F Q O X. O is "no beat here" (an extra test beat, or a reference beat the test missed);
// X is the same inside a shutdown (unreadable) interval. The O and X rows have only the five
// beat columns, and the O and X columns only the five beat rows (O×O, X×X ... are always 0).
import type { AamiClass } from '../../shared/analysis';

export const LABELS = ['N', 'S', 'V', 'F', 'Q', 'O', 'X'] as const;
export type MatrixLabel = (typeof LABELS)[number];
export const N = 0,
  S = 1,
  V = 2,
  F = 3,
  Q = 4,
  O = 5,
  X = 6;
/** Index of an AAMI class in LABELS. */
export const CLASS_INDEX: Readonly<Record<AamiClass, number>> = { N, S, V, F, Q };

/** 7 × 7 counts, rows = reference label, columns = test label, LABELS order. */
export type ConfusionMatrix = number[][];

export function emptyMatrix(): ConfusionMatrix {
  return LABELS.map(() => LABELS.map(() => 0));
}

export function addMatrix(into: ConfusionMatrix, m: ConfusionMatrix): ConfusionMatrix {
  for (let r = 0; r < 7; r++) for (let c = 0; c < 7; c++) into[r]![c]! += m[r]![c]!;
  return into;
}

/** Sum of the cells rows × cols. */
export function cells(m: ConfusionMatrix, rows: readonly number[], cols: readonly number[]): number {
  let s = 0;
  for (const r of rows) for (const c of cols) s += m[r]![c]!;
  return s;
}

export const BEATS = [N, S, V, F, Q] as const;
export const MISSED = [O, X] as const;

/**
 * bxb's standard (four-class) report table, S folded into N as bxb does without -S:
 * rows N V F Q O X, columns n v f q o x (O and X rows: n v f q only).
 */
export function standardTable(m: ConfusionMatrix): number[][] {
  const rowSets = [[N, S], [V], [F], [Q], [O], [X]];
  const colSets = [[N, S], [V], [F], [Q], [O], [X]];
  return rowSets.map((rows, i) => colSets.slice(0, i < 4 ? 6 : 4).map((cols) => cells(m, rows, cols)));
}

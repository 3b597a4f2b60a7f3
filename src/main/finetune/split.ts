// Seeded, stratified choices: the held-out parts of the corrections, deterministic for a seed.

import { V_INDEX } from '../../shared/analysis';
import { mulberry32 } from '../../shared/prng';

/** The seeded PRNG every fine-tuning step draws from. */
export const rng = mulberry32;

export function shuffleInPlace<T>(a: T[], rand: () => number): T[] {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

/**
 * Splits row indices 0..n-1 by class into (train, held-out): per class, round(fraction · count)
 * rows are held out, but only from classes with at least `minPerClass` rows, and at least one
 * row of such a class always stays in training. Both lists come back sorted.
 */
export function stratifiedSplit(y: ArrayLike<number>, fraction: number, seed: number, minPerClass = 2): { train: number[]; held: number[] } {
  const rand = rng(seed);
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < y.length; i++) {
    const c = y[i]!;
    if (!byClass.has(c)) byClass.set(c, []);
    byClass.get(c)!.push(i);
  }
  const train: number[] = [];
  const held: number[] = [];
  for (const c of [...byClass.keys()].sort((a, b) => a - b)) {
    const rows = shuffleInPlace(byClass.get(c)!, rand);
    const k = rows.length >= minPerClass ? Math.min(rows.length - 1, Math.max(1, Math.round(fraction * rows.length))) : 0;
    // element by element: a spread of a day's beats (100k+) overflows the stack
    for (let j = 0; j < rows.length; j++) (j < k ? held : train).push(rows[j]!);
  }
  return { train: train.sort((a, b) => a - b), held: held.sort((a, b) => a - b) };
}

/**
 * A stratified part of `rows` (a `fraction` of each class, as stratifiedSplit) kept from the fitting
 * and from every choice (best epoch, threshold), for the figures the card reports; none (all of
 * `rows` stay in `train`) when it would hold fewer than `minV` PVCs: a recall on fewer says little.
 */
export function reportPart(y: ArrayLike<number>, rows: readonly number[], fraction: number, minV: number, seed: number): { train: number[]; report: number[] } {
  if (!(fraction >= 0 && fraction < 1)) throw new RangeError(`the reported part must be at least 0 and below 1 of the rest, not ${fraction}`);
  const none = { train: [...rows], report: [] };
  if (fraction === 0) return none;
  const sub = stratifiedSplit(
    Uint8Array.from(rows, (i) => y[i]!),
    fraction,
    seed
  );
  const report = sub.held.map((j) => rows[j]!);
  if (report.filter((i) => y[i] === V_INDEX).length < Math.max(1, minV)) return none;
  return { train: sub.train.map((j) => rows[j]!), report };
}

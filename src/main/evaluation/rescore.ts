// Re-scoring a comparison after the test beats' labels change but not their times (a new
// operating threshold, a fine-tuned model): bxb's matching depends only on times, so the pairs
// of one compareBeats(…, { keepPairs: true }) give the exact matrix for any relabelling in O(n).
import type { AamiClass } from '../../shared/analysis';
import type { BeatPair } from './bxb';
import { EvaluationError } from './errors';
import { CLASS_INDEX, emptyMatrix, LABELS, type ConfusionMatrix } from './matrix';
import { beatStats, type BeatStats } from './stats';

const ROW: Readonly<Record<BeatPair['refLabel'], number>> = { N: 0, S: 1, V: 2, F: 3, Q: 4, O: 5, X: 6 };

/**
 * The matrix and statistics when test beat i is labelled testClass(i) instead (i = index into
 * the test list given to compareBeats). Unmatched reference beats stay in their o / x column.
 */
export function rescore(pairs: readonly BeatPair[], testClass: (testIndex: number) => AamiClass): { matrix: ConfusionMatrix; stats: BeatStats } {
  const m = emptyMatrix();
  for (const p of pairs) {
    const r = ROW[p.refLabel];
    if (p.test < 0) m[r]![ROW[p.testLabel]]!++;
    else {
      const k = testClass(p.test);
      const c = CLASS_INDEX[k];
      if (c === undefined) throw new EvaluationError(`test beat ${p.test}: "${String(k)}" is not one of ${LABELS.slice(0, 5).join(' ')}`);
      m[r]![c]!++;
    }
  }
  return { matrix: m, stats: beatStats(m) };
}

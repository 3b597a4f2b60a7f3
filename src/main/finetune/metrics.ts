// Label-level metrics of a head on a set of labelled embeddings: the confusion matrix of the
// app's labelling rule (labelAt at the operating threshold), per-class precision/recall/F1.
import { AAMI_CLASSES, labelAt } from '../../shared/analysis';
import type { ClassCounts, LabelMetrics } from '../../shared/finetune';

/** Metrics of probs labelled at `threshold`, or at a threshold per row (reported as the first row's). */
export function labelMetrics(probs: Float32Array, y: ArrayLike<number>, threshold: number | ArrayLike<number>): LabelMetrics {
  const K = AAMI_CLASSES.length;
  const n = y.length;
  const cm = Array.from({ length: K }, () => new Array<number>(K).fill(0));
  let loss = 0;
  let correct = 0;
  for (let i = 0; i < n; i++) {
    const t = y[i]!;
    const p = labelAt(probs, i, typeof threshold === 'number' ? threshold : threshold[i]!);
    cm[t]![p]!++;
    if (t === p) correct++;
    loss -= Math.log(Math.max(probs[i * K + t]!, 1e-12));
  }
  const perClass = {} as LabelMetrics['perClass'];
  AAMI_CLASSES.forEach((c, k) => {
    const tp = cm[k]![k]!;
    let col = 0;
    let row = 0;
    for (let j = 0; j < K; j++) {
      col += cm[j]![k]!;
      row += cm[k]![j]!;
    }
    const precision = col ? tp / col : null;
    const recall = row ? tp / row : null;
    const f1 = precision !== null && recall !== null && tp ? (2 * precision * recall) / (precision + recall) : col || row ? 0 : null;
    perClass[c] = { precision, recall, f1, support: row };
  });
  return {
    n,
    threshold: typeof threshold === 'number' ? threshold : (threshold[0] ?? 0),
    confusion: cm,
    perClass,
    loss: n ? loss / n : null,
    accuracy: n ? correct / n : null,
  };
}

export function countByClass(y: ArrayLike<number>, rows?: readonly number[]): ClassCounts {
  const c: ClassCounts = { N: 0, S: 0, V: 0, F: 0, Q: 0 };
  if (rows) for (const i of rows) c[AAMI_CLASSES[y[i]!]!]++;
  else for (let i = 0; i < y.length; i++) c[AAMI_CLASSES[y[i]!]!]++;
  return c;
}

// Whether the beat model is on familiar ground with a record. A record unlike the model's training
// data (another lead set, an unusual morphology) does not fail loudly: PVCs get middling
// probabilities and drop under the threshold. The share of beats whose most probable class is
// below `level` rises with that; above the alert level (the 95th percentile over the out-of-fold
// records, in the manifest) the analysis says the model is unsure, so the reviewer looks closer.
import type { BeatConfidence } from '../../shared/analysis';

/** Share of the n = probs.length / K beats whose largest probability is below level. */
export function ambiguousShare(probs: Float32Array, K: number, level: number): number {
  const n = Math.floor(probs.length / K);
  if (n === 0) return 0;
  let unsure = 0;
  for (let i = 0; i < n; i++) {
    let top = 0;
    for (let c = 0; c < K; c++) top = Math.max(top, probs[i * K + c]!);
    if (top < level) unsure++;
  }
  return unsure / n;
}

/** The record's confidence figures, or undefined for a model whose manifest sets no ambiguity alert. */
export function beatConfidence(probs: Float32Array, K: number, ambiguity: { level: number; alert: number } | undefined): BeatConfidence | undefined {
  if (!ambiguity) return undefined;
  const share = ambiguousShare(probs, K, ambiguity.level);
  return { ambiguousShare: share, level: ambiguity.level, alert: ambiguity.alert, unsure: share > ambiguity.alert };
}

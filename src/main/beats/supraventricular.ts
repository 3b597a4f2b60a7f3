// The beat model's S (supraventricular ectopic) calls, after the rhythm is known. P(V), and so the
// PVC threshold, is never touched. Two parts, both from the manifest's `supraventricular`
// (chosen out of fold with training/hbs/beats.py `supraventricular`, which this mirrors):
// - inside AF no beat is S: P(S) moves to P(N). MIT-BIH labels beats in AF N, and a Holter report
//   does not count supraventricular ectopy in AF; the irregular RR of AF otherwise makes ordinary
//   beats look premature (MIT-BIH 203: most of the model's false S calls out of fold).
// - elsewhere S is weighted by exp(sOffset) among the non-V classes (their sum kept): the prior
//   correction leaves S rarely the most probable class, and the offset restores its recall.
import { AAMI_CLASSES, V_INDEX } from '../../shared/analysis';

export interface SupraventricularRule {
  sOffset: number;
  notInAf: boolean;
}

const S_INDEX = AAMI_CLASSES.indexOf('S');
const N_INDEX = AAMI_CLASSES.indexOf('N');

/** The manifest's rule, or null when the model declares none (models that predate it). */
export function supraventricularRuleOf(entry: { supraventricular?: { sOffset: number; notInAf: boolean } }): SupraventricularRule | null {
  const r = entry.supraventricular;
  return r ? { sOffset: r.sOffset, notInAf: r.notInAf } : null;
}

/**
 * Applies the rule to probs (n × classes, row-major, in place) of beats at `sample`; `af` holds
 * the AF episodes as sorted, non-overlapping-or-not [onset, offset] sample spans.
 */
export function applySupraventricularRule(
  probs: Float32Array,
  sample: Int32Array,
  af: readonly { onsetSample: number; offsetSample: number }[],
  rule: SupraventricularRule
): void {
  const K = AAMI_CLASSES.length;
  const w = Math.exp(rule.sOffset);
  const spans = rule.notInAf ? [...af].sort((a, b) => a.onsetSample - b.onsetSample) : [];
  let k = 0;
  let reach = -1; // furthest offset of the spans that start at or before the beat
  for (let i = 0; i < sample.length; i++) {
    const o = i * K;
    const t = sample[i]!;
    while (k < spans.length && spans[k]!.onsetSample <= t) reach = Math.max(reach, spans[k++]!.offsetSample);
    if (t <= reach) {
      probs[o + N_INDEX] = probs[o + N_INDEX]! + probs[o + S_INDEX]!;
      probs[o + S_INDEX] = 0;
      continue;
    }
    if (w === 1) continue;
    let tot = 0;
    for (let c = 0; c < K; c++) if (c !== V_INDEX) tot += probs[o + c]! * (c === S_INDEX ? w : 1);
    if (!(tot > 0)) continue;
    const scale = (1 - probs[o + V_INDEX]!) / tot;
    for (let c = 0; c < K; c++) if (c !== V_INDEX) probs[o + c] = probs[o + c]! * (c === S_INDEX ? w : 1) * scale;
  }
}

// Morphology consensus: a beat the model is unsure of is pulled towards the call of the beats of
// its record that look most like it, as a Holter scanner labels a morphology family rather than
// each beat alone (PVCs of one focus repeat their shape; one beat's P(V) wavers with noise and
// timing). The rule and its parameters come from the model's manifest (`consensus`), chosen out of
// fold by training/hbs/consensus.py, which this mirrors:
//   for a beat with band < P(V) < 1 − band,
//   logit P'(V) = (1 − weight)·logit P(V) + weight·logit(median P(V) of its k nearest beats),
// nearest by Euclidean distance of the morphology feature (both leads of the normalised window,
// every `step`th sample of [from, to)), among the other valid beats of its block (the record split
// into equal blocks of at most `block` beats: a 24-hour Holter compares a beat with its own hour).
// The other classes keep their ratios and share 1 − P'(V).
import { z } from 'zod';
import { BEAT_LEADS, BEAT_WINDOW } from './constants';

export const ConsensusRule = z.object({
  k: z.number().int().min(1).max(64),
  weight: z.number().min(0).max(1),
  band: z.number().min(0).lt(0.5),
  block: z.number().int().min(16).max(65536),
  feature: z.object({ from: z.number().int().min(0), to: z.number().int().max(BEAT_WINDOW), step: z.number().int().min(1) }),
});
export type ConsensusRule = z.infer<typeof ConsensusRule>;

const P_CLIP = 1e-6;

export function consensusRuleOf(entry: { consensus?: unknown }): ConsensusRule | null {
  if (entry.consensus == null) return null;
  const r = ConsensusRule.safeParse(entry.consensus);
  return r.success && r.data.feature.to > r.data.feature.from ? r.data : null;
}

export function featureLength(rule: ConsensusRule): number {
  const { from, to, step } = rule.feature;
  return BEAT_LEADS * Math.ceil((to - from) / step);
}

/** n × featureLength morphology features of n beat windows (n × 2 × 216, row-major). */
export function morphologyFeatures(windows: Float32Array, n: number, rule: ConsensusRule): Float32Array {
  const { from, to, step } = rule.feature;
  const d = featureLength(rule);
  const out = new Float32Array(n * d);
  for (let k = 0, o = 0; k < n; k++)
    for (let lead = 0; lead < BEAT_LEADS; lead++) {
      const base = (k * BEAT_LEADS + lead) * BEAT_WINDOW;
      for (let t = from; t < to; t += step) out[o++] = windows[base + t]!;
    }
  return out;
}

/** [from, to) of ceil(n / block) blocks of equal size (as hbs.consensus.blocks). */
export function consensusBlocks(n: number, block: number): [number, number][] {
  const count = Math.max(1, Math.ceil(n / block));
  const out: [number, number][] = [];
  for (let i = 0; i < count; i++) out.push([Math.floor((i * n) / count), Math.floor(((i + 1) * n) / count)]);
  return out;
}

const logit = (p: number) => {
  const q = Math.min(1 - P_CLIP, Math.max(P_CLIP, p));
  return Math.log(q / (1 - q));
};

/**
 * probs (n × classes) with the consensus applied to P(class vIndex), in place. features from
 * morphologyFeatures; valid: beats whose window lies inside the record (others neither move nor
 * vote).
 */
export function applyConsensus(probs: Float32Array, classes: number, vIndex: number, features: Float32Array, valid: Uint8Array, rule: ConsensusRule): void {
  const n = valid.length;
  const d = featureLength(rule);
  const pv = new Float64Array(n);
  for (let i = 0; i < n; i++) pv[i] = probs[i * classes + vIndex]!;
  const bestD = new Float64Array(rule.k);
  const bestP = new Float64Array(rule.k);
  for (const [b0, b1] of consensusBlocks(n, rule.block)) {
    for (let i = b0; i < b1; i++) {
      const p = pv[i]!;
      if (!valid[i] || !(p > rule.band && p < 1 - rule.band)) continue;
      let m = 0; // neighbours kept, sorted by distance
      for (let j = b0; j < b1; j++) {
        if (j === i || !valid[j]) continue;
        let s = 0;
        for (let a = i * d, c = j * d, e = a + d; a < e; a++, c++) {
          const x = features[a]! - features[c]!;
          s += x * x;
        }
        if (m === rule.k && s >= bestD[m - 1]!) continue;
        let at = m < rule.k ? m++ : m - 1;
        while (at > 0 && bestD[at - 1]! > s) {
          bestD[at] = bestD[at - 1]!;
          bestP[at] = bestP[at - 1]!;
          at--;
        }
        bestD[at] = s;
        bestP[at] = pv[j]!;
      }
      if (m === 0) continue;
      const near = Array.from(bestP.subarray(0, m)).sort((x, y) => x - y);
      const median = m % 2 ? near[(m - 1) / 2]! : (near[m / 2 - 1]! + near[m / 2]!) / 2;
      const z = (1 - rule.weight) * logit(p) + rule.weight * logit(median);
      const next = 1 / (1 + Math.exp(-z));
      const scale = 1 - p > 0 ? (1 - next) / Math.max(1 - p, 1e-12) : 0;
      for (let c = 0; c < classes; c++) probs[i * classes + c] = c === vIndex ? next : probs[i * classes + c]! * scale;
    }
  }
}

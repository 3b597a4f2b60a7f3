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
import * as z from '../../shared/zod';
import { BEAT_LEADS, BEAT_WINDOW } from './constants';

/** Most neighbours a rule may ask for. */
export const MAX_K = 64;
/** Changes with the rule's arithmetic, so analyses cached under an older one are not served. */
export const CONSENSUS_VERSION = 2;

export const ConsensusRule = z.object({
  k: z.int().check(z.minimum(1), z.maximum(MAX_K)),
  weight: z.number().check(z.minimum(0), z.maximum(1)),
  band: z.number().check(z.minimum(0), z.lt(0.5)),
  block: z.int().check(z.minimum(16), z.maximum(65536)),
  feature: z
    .object({ from: z.int().check(z.minimum(0)), to: z.int().check(z.maximum(BEAT_WINDOW)), step: z.int().check(z.minimum(1)) })
    .check(z.refine((f) => f.to > f.from, 'feature.to must be after feature.from')),
});
export type ConsensusRule = z.infer<typeof ConsensusRule>;

const P_CLIP = 1e-6;

/** The rule of a manifest entry (validated with the manifest: an entry with an unusable rule is refused there, never run without it). */
export function consensusRuleOf(entry: { consensus?: ConsensusRule }): ConsensusRule | null {
  return entry.consensus ?? null;
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
  const pv = new Float64Array(n);
  for (let i = 0; i < n; i++) pv[i] = probs[i * classes + vIndex]!;
  const near = new Float64Array(rule.k);
  for (const [b0, b1] of consensusBlocks(n, rule.block)) {
    const search = blockSearch(features, featureLength(rule), valid, b0, b1);
    for (let i = b0; i < b1; i++) {
      const p = pv[i]!;
      if (!valid[i] || !(p > rule.band && p < 1 - rule.band)) continue;
      const m = search.nearest(i, rule.k, (j, rank) => (near[rank] = pv[j]!));
      if (m === 0) continue;
      const sorted = Array.from(near.subarray(0, m)).sort((x, y) => x - y);
      const median = m % 2 ? sorted[(m - 1) / 2]! : (sorted[m / 2 - 1]! + sorted[m / 2]!) / 2;
      const z = (1 - rule.weight) * logit(p) + rule.weight * logit(median);
      const next = 1 / (1 + Math.exp(-z));
      const scale = 1 - p > 0 ? (1 - next) / Math.max(1 - p, 1e-12) : 0;
      for (let c = 0; c < classes; c++) probs[i * classes + c] = c === vIndex ? next : probs[i * classes + c]! * scale;
    }
  }
}

/**
 * Exact k-nearest-neighbour search among the valid beats of one block. Brute force costs
 * block² × d on a 24-hour Holter; instead the beats are sorted by their projection on the block's
 * main direction of variation and a query walks outwards from its own projection, stopping once the
 * projection gap alone (a lower bound of the distance) exceeds its k-th nearest so far. Beats of one
 * morphology sit close together on that line, so a query looks at a few of them, not the block.
 */
function blockSearch(features: Float32Array, d: number, valid: Uint8Array, b0: number, b1: number) {
  const members: number[] = [];
  for (let j = b0; j < b1; j++) if (valid[j]) members.push(j);
  const axis = mainDirection(features, d, members);
  const proj = new Float64Array(b1 - b0);
  for (const j of members) {
    let s = 0;
    for (let t = 0; t < d; t++) s += features[j * d + t]! * axis[t]!;
    proj[j - b0] = s;
  }
  const order = Int32Array.from(members).sort((x, y) => proj[x - b0]! - proj[y - b0]! || x - y);
  const rank = new Int32Array(b1 - b0).fill(-1);
  order.forEach((j, r) => (rank[j - b0] = r));
  const bestD = new Float64Array(MAX_K);
  const bestJ = new Int32Array(MAX_K);
  return {
    /** Calls take(j, r) for the r-th nearest valid beat j (r = 0 nearest) of beat i; returns how many. */
    nearest(i: number, k: number, take: (j: number, r: number) => void): number {
      const at = rank[i - b0]!;
      const pi = proj[i - b0]!;
      let m = 0;
      let lo = at - 1;
      let hi = at + 1;
      while (lo >= 0 || hi < order.length) {
        const gapLo = lo >= 0 ? pi - proj[order[lo]! - b0]! : Infinity;
        const gapHi = hi < order.length ? proj[order[hi]! - b0]! - pi : Infinity;
        const j = gapLo <= gapHi ? order[lo--]! : order[hi++]!;
        const gap = Math.min(gapLo, gapHi);
        // strictly greater: a beat at a gap equal to the k-th distance may tie it with a lower index
        if (m === k && gap * gap > bestD[m - 1]! * (1 + 1e-12) + 1e-30) break;
        let s = 0;
        for (let a = i * d, c = j * d, e = a + d; a < e; a++, c++) {
          const x = features[a]! - features[c]!;
          s += x * x;
        }
        if (m === k && (s > bestD[m - 1]! || (s === bestD[m - 1]! && j > bestJ[m - 1]!))) continue;
        let r = m < k ? m++ : m - 1;
        while (r > 0 && (bestD[r - 1]! > s || (bestD[r - 1]! === s && bestJ[r - 1]! > j))) {
          bestD[r] = bestD[r - 1]!;
          bestJ[r] = bestJ[r - 1]!;
          r--;
        }
        bestD[r] = s;
        bestJ[r] = j;
      }
      for (let r = 0; r < m; r++) take(bestJ[r]!, r);
      return m;
    },
  };
}

/** The block's first principal direction (power iteration from a fixed start: any direction keeps the search exact, a good one makes it fast). */
function mainDirection(features: Float32Array, d: number, members: number[]): Float64Array {
  const mean = new Float64Array(d);
  for (const j of members) for (let t = 0; t < d; t++) mean[t]! += features[j * d + t]!;
  for (let t = 0; t < d; t++) mean[t]! /= Math.max(1, members.length);
  let v = new Float64Array(d).fill(1 / Math.sqrt(d));
  const step = Math.max(1, Math.floor(members.length / 512)); // a sample of the block is enough to find the direction
  for (let iter = 0; iter < 8; iter++) {
    const next = new Float64Array(d);
    for (let x = 0; x < members.length; x += step) {
      const j = members[x]!;
      let dot = 0;
      for (let t = 0; t < d; t++) dot += (features[j * d + t]! - mean[t]!) * v[t]!;
      for (let t = 0; t < d; t++) next[t]! += dot * (features[j * d + t]! - mean[t]!);
    }
    const norm = Math.hypot(...next);
    if (!(norm > 0)) break;
    for (let t = 0; t < d; t++) next[t]! /= norm;
    v = next;
  }
  return v;
}

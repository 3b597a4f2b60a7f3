// The fine-tuned version's operating threshold on P(V): the rules (the shipped model's recall-first
// rule, the patient's own operating point from held-out corrections) and the stage that picks one.
import { AAMI_CLASSES } from '../../shared/analysis';
import { netProbs, type Net } from './net';
import { FINETUNE_DEFAULTS, type FinetuneSettings } from './settings';

/** Highest threshold on P(V) whose V recall on (probs, y) is ≥ minRecall; null without V rows. */
export function recallFirstThreshold(probs: Float32Array, y: Uint8Array, minRecall: number): number | null {
  const K = AAMI_CLASSES.length;
  const V = AAMI_CLASSES.indexOf('V');
  const pv: number[] = [];
  for (let i = 0; i < y.length; i++) if (y[i] === V) pv.push(probs[i * K + V]!);
  if (!pv.length) return null;
  pv.sort((a, b) => b - a);
  // Keeping the top ceil(minRecall · nV) V scores above the threshold: the threshold is the lowest of them.
  const need = Math.max(1, Math.ceil(minRecall * pv.length));
  return Math.min(0.999, Math.max(1e-6, pv[need - 1]!));
}

/**
 * The patient's own operating point, from labelled beats scored by a head the beats did not train
 * (held-out): the thresholds whose V +P is ≥ minPpv and whose V recall is the highest such recall form an interval; the threshold is its middle in logit space (a margin on
 * both sides: the weakest PVC kept and the most PVC-like other beat left out). Null with fewer
 * than minV V beats or when no threshold flags a PVC at that +P.
 */
export function patientThreshold(probs: Float32Array, y: Uint8Array, minPpv: number, minV: number): number | null {
  const K = AAMI_CLASSES.length;
  const V = AAMI_CLASSES.indexOf('V');
  const rows: [number, boolean][] = [];
  let nV = 0;
  for (let i = 0; i < y.length; i++) {
    const isV = y[i] === V;
    nV += isV ? 1 : 0;
    rows.push([probs[i * K + V]!, isV]);
  }
  if (nV < Math.max(1, minV)) return null;
  rows.sort((a, b) => b[0] - a[0]);
  // walk down the scores: a threshold just at or below rows[j] flags rows[0..j]
  let tp = 0;
  let best = -1;
  let hi = NaN;
  let lo = NaN;
  for (let j = 0; j < rows.length; j++) {
    if (rows[j]![1]) tp++;
    if (j + 1 < rows.length && rows[j + 1]![0] === rows[j]![0]) continue; // ties share a threshold
    if (tp / (j + 1) < minPpv) continue;
    // thresholds in (next score, this score] flag exactly rows[0..j]
    const next = j + 1 < rows.length ? rows[j + 1]![0] : 0;
    if (tp > best) {
      best = tp;
      hi = rows[j]![0];
      lo = next;
    } else if (tp === best) lo = next;
  }
  if (best <= 0) return null;
  const logit = (p: number) => Math.log(Math.max(p, 1e-6) / Math.max(1 - p, 1e-6));
  const mid = (logit(hi) + logit(lo)) / 2;
  return Math.min(0.999, Math.max(1e-6, 1 / (1 + Math.exp(-mid))));
}

/** Why the held-out beats are too few for a threshold of the patient's own, in words; null when they suffice. */
export function heldOutTooFew(y: Uint8Array, minV: number, minOther: number): string | null {
  const V = AAMI_CLASSES.indexOf('V');
  let nV = 0;
  for (let i = 0; i < y.length; i++) if (y[i] === V) nV++;
  const other = y.length - nV;
  if (nV >= Math.max(1, minV) && other >= minOther) return null;
  return `${nV} held-out PVC${nV === 1 ? '' : 's'} and ${other} other beat${other === 1 ? '' : 's'}: a threshold of this patient's own needs at least ${minV} and ${minOther}`;
}

/** The threshold the new version ships with and, for the 'patient' rule, why it is that one. */
export interface ChosenThreshold {
  threshold: number;
  /** The parent's thresholds are kept (its single-lead one included): the rule had too little to go on, or the patient's was above. */
  kept: boolean;
  rule: 'parent' | 'refit' | 'patient';
  /** The rule's +P floor ('patient'). */
  minPpv: number;
  note?: string;
}

/** Labelled beats with their probabilities as the analysis shows them: rows × K, labels, count. */
export interface ShownSet {
  probs: Float32Array;
  y: Uint8Array;
  n: number;
}

/** A labelled set scored by the adapted net: rows of its input, labels, count. */
export interface ScoredSet {
  x: Float32Array;
  y: Uint8Array;
  n: number;
}

/**
 * The new version's threshold by the settings' rule (FinetuneSettings.threshold): the parent's,
 * the shipped model's rule refitted on the reference set, or the patient's own from the held-out
 * corrections where it is not above the parent's for the reviewed records' lead count; the parent's
 * (its single-lead threshold kept) wherever the rule has too little to go on.
 */
export function chooseThreshold(
  s: FinetuneSettings,
  net: Net,
  heldSet: ShownSet | null,
  referenceSet: ScoredSet | null,
  parentThreshold: number,
  /** The parent's own threshold for the reviewed records' lead count (the lowest, over several records). */
  parentForRecords = parentThreshold
): ChosenThreshold {
  const rule = s.threshold ?? 'patient';
  const minPpv = s.minPpv ?? 0.9;
  const minHeldOutV = s.minHeldOutV ?? FINETUNE_DEFAULTS.minHeldOutV;
  const minHeldOutOther = s.minHeldOutOther ?? FINETUNE_DEFAULTS.minHeldOutOther;
  const tooFew = rule === 'patient' ? (heldSet ? heldOutTooFew(heldSet.y, minHeldOutV, minHeldOutOther) : 'no held-out beats') : null;
  const patient = rule === 'patient' && heldSet && !tooFew ? patientThreshold(heldSet.probs, heldSet.y, minPpv, minHeldOutV) : null;
  // Never above the parent's: a higher threshold buys fewer false alarms with missed PVCs, on the
  // say of a handful of held-out beats from the first minutes; a lower one only adds recall.
  const above = patient !== null && patient > parentForRecords;
  const refit =
    rule === 'refit' && referenceSet ? recallFirstThreshold(netProbs(net, referenceSet.x, referenceSet.n), referenceSet.y, s.minRecall ?? 0.95) : null;
  const own = rule === 'refit' ? refit : above ? null : patient;
  const note =
    rule !== 'patient'
      ? undefined
      : tooFew
        ? `the parent's, kept: ${tooFew}`
        : patient === null
          ? `the parent's, kept: no threshold reaches V +P ${minPpv} on the held-out beats`
          : above
            ? `the parent's, kept: this patient's own (${patient.toFixed(3)}, from ${heldSet!.n} held-out beats) is above the parent's ${parentForRecords.toFixed(3)}, and a threshold is never raised above the parent's`
            : `this patient's own, from ${heldSet!.n} held-out beats`;
  return { threshold: own ?? parentThreshold, kept: own === null, rule, minPpv, ...(note ? { note } : {}) };
}

/** A version's thresholds on P(V), as its manifest entry holds them (read with beats/single-lead.ts defaultThresholdOf). */
export interface VersionThresholds {
  defaultThreshold: number;
  singleLeadThreshold?: number;
}

/**
 * The new version's thresholds from the chosen one: the parent's two where it kept them; a threshold
 * of the patient's own from one-lead records alone replaces the one-lead threshold only (the two-lead
 * one is never moved by a review that saw no two-lead record); otherwise (and the 'refit' rule's,
 * made on two-lead reference beats) it replaces both: the parent's one-lead threshold was set beside
 * the parent's layers.
 */
export function versionThresholds(chosen: ChosenThreshold, parent: VersionThresholds, reviewedOneLeadOnly: boolean): VersionThresholds {
  if (chosen.kept) return parent;
  return reviewedOneLeadOnly && chosen.rule === 'patient'
    ? { defaultThreshold: parent.defaultThreshold, singleLeadThreshold: chosen.threshold }
    : { defaultThreshold: chosen.threshold };
}

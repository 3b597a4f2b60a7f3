// Whether a fine-tuned version is worth activating, from its result card's figures: refused when
// it misses reviewed PVCs the parent finds (on the part kept apart) or the fixed reference set got
// worse at the parent's threshold (the model forgot what it knew), a warning when it buys false
// alarms there for no more PVCs found, when nothing improved or the training never beat the parent.
// Pure, so the rule is tested apart from the panel.
import { AAMI_CLASSES } from './analysis';
import type { BeforeAfter, FinetuneInfo, UnreviewedEffect } from './finetune';

/** A drop of more than this (absolute, 0–1) in a reference-set precision or recall refuses the version. */
export const WORSE_BY = 0.02;
/** Reference classes with fewer true beats than this are too small to judge on. */
export const MIN_SUPPORT = 20;
/** Fewest PVCs in the held-out part kept apart (FinetuneSettings.minReportV) for a drop in their recall to refuse the version. */
export const MIN_HELD_OUT_V = 5;

/**
 * Where nobody reviewed, a version whose PVC calls fall below half of what the parent's calls there make
 * of the review's sample (pvcExpected), or rise above twice the larger of that and the review's PVC share
 * (pvcByShare: a version taught missed PVCs should call more), by at least UNREVIEWED_MIN_CHANGE beats,
 * is worth a look before activating.
 */
export const UNREVIEWED_FACTOR = 2;
export const UNREVIEWED_MIN_CHANGE = 20;

export interface Verdict {
  level: 'ok' | 'warn' | 'refuse';
  reasons: string[];
}

const pct = (v: number) => `${(v * 100).toFixed(1)} %`;

/** Reference-set figures that dropped by more than WORSE_BY, in words. */
export function worseOnReference(m: BeforeAfter): string[] {
  const out: string[] = [];
  for (const c of AAMI_CLASSES) {
    const b = m.before.perClass[c];
    const a = m.after.perClass[c];
    if (b.support < MIN_SUPPORT) continue;
    for (const k of ['precision', 'recall'] as const) {
      const x = b[k];
      const y = a[k];
      if (x !== null && y !== null && y < x - WORSE_BY) out.push(`reference set ${c} ${k} ${pct(x)} → ${pct(y)}`);
    }
  }
  return out;
}

/**
 * The version misses PVCs the parent finds, on the reviewed PVCs kept apart from its fitting and
 * choices (recall lower by more than WORSE_BY, at least MIN_HELD_OUT_V of them), in words; null
 * otherwise, and on the beats that chose the threshold (made to look their best there).
 */
export function lostPvcs(f: FinetuneInfo): string | null {
  const m = f.metrics.heldOut;
  if (!m || f.metrics.heldOutOn !== 'report') return null;
  const b = m.before.perClass.V;
  const a = m.after.perClass.V;
  if (b.support < MIN_HELD_OUT_V || b.recall === null || a.recall === null || !(a.recall < b.recall - WORSE_BY)) return null;
  const found = (r: number) => Math.round(r * b.support);
  return `it misses PVCs the current model finds: of the ${b.support} reviewed PVCs kept apart to check it, it finds ${found(a.recall)}, the current model ${found(b.recall)}`;
}

/**
 * The version calls more false PVCs than the parent on the reviewed beats kept apart (precision lower
 * by more than WORSE_BY, at least MIN_HELD_OUT_V PVCs there) without finding as many more PVCs, in
 * words; null otherwise. A missed PVC costs more than a false alarm, so a trade of one for one passes;
 * false alarms bought for nothing cost the reviewer's time on every record the version analyses.
 */
export function moreFalseAlarms(f: FinetuneInfo): string | null {
  const m = f.metrics.heldOut;
  if (!m || f.metrics.heldOutOn !== 'report') return null;
  const b = m.before.perClass.V;
  const a = m.after.perClass.V;
  if (b.support < MIN_HELD_OUT_V || b.precision === null || a.precision === null || !(a.precision < b.precision - WORSE_BY)) return null;
  const found = (r: number | null) => Math.round((r ?? 0) * b.support);
  const falseOf = (p: number, r: number | null) => (p > 0 ? Math.round(found(r) / p) - found(r) : 0);
  const gained = found(a.recall) - found(b.recall);
  const added = falseOf(a.precision, a.recall) - falseOf(b.precision, b.recall);
  if (added <= 0 || gained >= added) return null;
  return (
    `it calls more false PVCs than the current model: on the ${b.support} reviewed PVCs kept apart to check it, ` +
    `${falseOf(b.precision, b.recall)} → ${falseOf(a.precision, a.recall)} false alarms (precision ${pct(b.precision)} → ${pct(a.precision)}) ` +
    `for ${gained > 0 ? `${gained} more` : gained < 0 ? `${-gained} fewer` : 'no more'} PVCs found`
  );
}

/** True when some class's F1 rose (classes with true beats). */
function improved(m: BeforeAfter | null): boolean {
  if (!m) return false;
  return AAMI_CLASSES.some((c) => {
    const b = m.before.perClass[c].f1;
    const a = m.after.perClass[c].f1;
    return m.before.perClass[c].support > 0 && a !== null && (b === null || a > b + 1e-9);
  });
}

/** The result card's line (and the CLI's) on the unreviewed beats: what the parent and the version call PVC there. */
export function unreviewedSummary(u: UnreviewedEffect): string {
  const scored = u.beats < u.of ? `a sample of ${u.beats} of ${u.of}` : `${u.of}`;
  return `Where nobody reviewed (${scored} beats): PVC calls ${u.pvcBefore} → ${u.pvcAfter} (your review suggests about ${Math.round(u.pvcExpected)})`;
}

/** Which held-out beats the card's figures are on, in words (versions made before the job kept a part apart: the ones that chose). */
export function heldOutBasis(f: FinetuneInfo): string {
  return f.metrics.heldOutNote ?? 'on the held-out beats that also chose the best epoch and the threshold, so better than the version will do';
}

/**
 * The card's line (and the CLI's) on the reference set at the version's own threshold, when it moved: the
 * refusal judges the layers at the parent's threshold, so what the new threshold alone does to other
 * patients is shown apart. Null when the threshold did not move (or the version predates the figure).
 */
export function referenceAtThresholdSummary(f: FinetuneInfo): string | null {
  const ref = f.metrics.reference;
  const own = f.metrics.referenceAtThreshold;
  if (!ref || !own || Math.abs(own.threshold - ref.before.threshold) < 1e-6) return null;
  const b = ref.before.perClass.V;
  const a = own.perClass.V;
  const p = (x: number | null) => (x === null ? '—' : pct(x));
  return (
    `At this version's own PVC threshold ${own.threshold.toFixed(3)} (the parent's ${ref.before.threshold.toFixed(3)}), other patients' PVCs ` +
    `(reference set): recall ${p(b.recall)} → ${p(a.recall)}, precision ${p(b.precision)} → ${p(a.precision)}: the threshold is this patient's`
  );
}

/** The version's PVC calls on the unreviewed beats, when far from what the review's sample expects there, in words. */
export function unreviewedDeparture(u: UnreviewedEffect | null | undefined): string | null {
  if (!u) return null;
  const { pvcAfter: after, pvcExpected: expected } = u;
  const most = Math.max(expected, u.pvcByShare);
  const few = after * UNREVIEWED_FACTOR < expected && expected - after >= UNREVIEWED_MIN_CHANGE;
  const many = after > most * UNREVIEWED_FACTOR && after - most >= UNREVIEWED_MIN_CHANGE;
  if (!few && !many) return null;
  const sample = u.beats < u.of ? ` (a sample of ${u.beats} of the ${u.of} beats nobody reviewed)` : ` (of the ${u.of} beats nobody reviewed)`;
  return (
    `where nobody reviewed, this version calls ${after} beats PVC${sample}; the current model calls ${u.pvcBefore}, ` +
    `and your review suggests about ${Math.round(few ? expected : most)} are PVCs: look at some of them before activating`
  );
}

export function finetuneVerdict(f: FinetuneInfo): Verdict {
  const refuse = f.metrics.reference ? worseOnReference(f.metrics.reference) : [];
  const lost = lostPvcs(f);
  if (lost) refuse.unshift(lost);
  const warn: string[] = [];
  const falseAlarms = moreFalseAlarms(f);
  if (falseAlarms) warn.push(falseAlarms);
  const departed = unreviewedDeparture(f.metrics.unreviewed);
  if (departed) warn.push(departed);
  if (!f.metrics.heldOut) warn.push('no held-out corrections to check the version on');
  else if (!improved(f.metrics.heldOut) && !improved(f.metrics.reference))
    warn.push('nothing improved: no class scores better on the held-out corrections or the reference set');
  if (f.training.bestEpoch === 0) warn.push(`best epoch 0 of ${f.training.epochs}: training never did better than the parent on the held-out beats`);
  if (refuse.length) return { level: 'refuse', reasons: [...refuse, ...warn] };
  return warn.length ? { level: 'warn', reasons: warn } : { level: 'ok', reasons: [] };
}

/** The verdict's headline on the result card: what a reviewer should make of a version that is not simply better. */
export function verdictHeadline(f: FinetuneInfo, v: Verdict): string | null {
  if (v.level === 'ok') return null;
  if (v.level === 'refuse') return 'Not recommended: this version is worse than its parent';
  if (moreFalseAlarms(f)) return 'Check before activating: it calls more false PVCs on your reviewed beats';
  if (unreviewedDeparture(f.metrics.unreviewed)) return 'Check before activating: it changes the unreviewed part of the record more than your review suggests';
  return 'Nothing gained: keep the current model unless you know better';
}

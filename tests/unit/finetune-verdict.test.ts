// A fine-tuned version is refused when the reference set got worse, warned about when nothing
// improved, and never takes a threshold of its own from a handful of held-out beats.
import { describe, expect, it } from 'vitest';
import { heldOutTooFew } from '../../src/main/finetune/threshold';
import { labelMetrics } from '../../src/main/finetune/metrics';
import {
  finetuneVerdict,
  lostPvcs,
  moreFalseAlarms,
  referenceAtThresholdSummary,
  unreviewedDeparture,
  unreviewedSummary,
  verdictHeadline,
  worseOnReference,
} from '../../src/shared/finetune-verdict';
import type { BeforeAfter, FinetuneInfo, UnreviewedEffect } from '../../src/shared/finetune';

const V = 2;
/** Metrics of `n` beats, `nv` of them V, of which the model calls `tp` V, plus `fp` N beats called V. */
function metrics(nv: number, nn: number, tp: number, fp: number, threshold = 0.5) {
  const y: number[] = [];
  const probs: number[] = [];
  const row = (pv: number) => probs.push(1 - pv, 0, pv, 0, 0);
  for (let i = 0; i < nv; i++) {
    y.push(V);
    row(i < tp ? 0.9 : 0.1);
  }
  for (let i = 0; i < nn; i++) {
    y.push(0);
    row(i < fp ? 0.9 : 0.1);
  }
  return labelMetrics(Float32Array.from(probs), y, threshold);
}
function info(heldOut: BeforeAfter | null, reference: BeforeAfter | null, bestEpoch = 5, unreviewed?: UnreviewedEffect): FinetuneInfo {
  const c = { N: 0, S: 0, V: 0, F: 0, Q: 0 };
  return {
    parent: { id: 'p', version: '1' },
    root: 'p',
    createdAt: '',
    reviewer: 't',
    records: [],
    corrections: { total: 0, byClass: c, train: c, heldOut: c },
    replay: 0,
    metrics: { heldOut, reference, ...(unreviewed ? { unreviewed } : {}) },
    training: { seed: 1, epochs: 30, bestEpoch, stoppedEarly: true, l2: 0, lr: 0, heldOutFraction: 0.25, correctionShare: 1, jobMs: 1 },
  };
}

describe('fine-tune verdict', () => {
  it('refuses a version whose reference-set V precision fell (the issue: 96.9 % → 86.8 %)', () => {
    const reference = { before: metrics(100, 1000, 95, 3), after: metrics(100, 1000, 95, 15) };
    const held = { before: metrics(10, 6, 9, 0), after: metrics(10, 6, 10, 0) };
    expect(worseOnReference(reference)).toEqual([expect.stringMatching(/^reference set V precision 96\.9 % → 86\.4 %$/)]);
    const v = finetuneVerdict(info(held, reference));
    expect(v.level).toBe('refuse');
  });

  it('warns when nothing improved, or the best epoch was the parent', () => {
    const same = { before: metrics(10, 6, 10, 0), after: metrics(10, 6, 10, 0) };
    const reference = { before: metrics(100, 1000, 95, 3), after: metrics(100, 1000, 95, 3) };
    const v = finetuneVerdict(info(same, reference, 0));
    expect(v.level).toBe('warn');
    expect(v.reasons.join('\n')).toMatch(/nothing improved/);
    expect(v.reasons.join('\n')).toMatch(/best epoch 0 of 30/);
    expect(finetuneVerdict(info(null, reference)).reasons).toEqual(['no held-out corrections to check the version on']);
  });

  it('accepts plainly when the held-out corrections improved and the reference set held', () => {
    const held = { before: metrics(10, 30, 6, 4), after: metrics(10, 30, 9, 1) };
    const reference = { before: metrics(100, 1000, 95, 3), after: metrics(100, 1000, 94, 3) };
    expect(finetuneVerdict(info(held, reference))).toEqual({ level: 'ok', reasons: [] });
  });

  it('asks for a look when the unreviewed part loses (or gains) far more PVC calls than the review suggests', () => {
    const held = { before: metrics(10, 30, 6, 4), after: metrics(10, 30, 9, 1) };
    const reference = { before: metrics(100, 1000, 95, 3), after: metrics(100, 1000, 94, 3) };
    // svdb 841 with beat-pvc 3.5.0: five reviewed minutes with one PVC taught a shape the rest holds as PVCs
    const lost = { beats: 2400, of: 2400, pvcBefore: 233, pvcAfter: 8, pvcExpected: 116.5, pvcByShare: 8 };
    const v = finetuneVerdict(info(held, reference, 5, lost));
    expect(v.level).toBe('warn');
    expect(v.reasons).toEqual([
      'where nobody reviewed, this version calls 8 beats PVC (of the 2400 beats nobody reviewed); the current model calls 233, and your review suggests about 117 are PVCs: look at some of them before activating',
    ]);
    // false alarms removed as far as the review's own sample says they are false: fine
    const fixed = { beats: 2400, of: 2400, pvcBefore: 130, pvcAfter: 30, pvcExpected: 26, pvcByShare: 20 };
    expect(finetuneVerdict(info(held, reference, 5, fixed))).toEqual({ level: 'ok', reasons: [] });
    // far more calls than expected, and a sample named as such
    expect(unreviewedDeparture({ beats: 20000, of: 90000, pvcBefore: 40, pvcAfter: 200, pvcExpected: 50, pvcByShare: 60 })).toMatch(
      /calls 200 beats PVC \(a sample of 20000 of the 90000 beats nobody reviewed\)/
    );
    // small changes are not worth a look, whatever the ratio
    expect(unreviewedDeparture({ beats: 500, of: 500, pvcBefore: 12, pvcAfter: 0, pvcExpected: 12, pvcByShare: 12 })).toBeNull();
    // a version taught the PVCs its parent missed calls more of them, as many as the review's PVC share says: fine
    expect(unreviewedDeparture({ beats: 2000, of: 2000, pvcBefore: 5, pvcAfter: 150, pvcExpected: 6, pvcByShare: 140 })).toBeNull();
    expect(unreviewedDeparture({ beats: 2000, of: 2000, pvcBefore: 5, pvcAfter: 400, pvcExpected: 6, pvcByShare: 140 })).toMatch(/suggests about 140 are PVCs/);
    expect(unreviewedDeparture(undefined)).toBeNull();
    // the card's and the CLI's line
    expect(unreviewedSummary(lost)).toBe('Where nobody reviewed (2400 beats): PVC calls 233 → 8 (your review suggests about 117)');
    expect(unreviewedSummary({ ...lost, beats: 20000, of: 90000 })).toMatch(/^Where nobody reviewed \(a sample of 20000 of 90000 beats\)/);
  });

  it("shows the reference set at the version's own threshold apart, and does not refuse for it", () => {
    // 233: the patient's lower threshold alone costs other patients' precision; at the parent's, nothing is lost
    const held = { before: metrics(10, 30, 6, 4), after: metrics(10, 30, 9, 1) };
    const reference = { before: metrics(100, 1000, 95, 3), after: metrics(100, 1000, 95, 3) };
    const f = { ...info(held, reference), metrics: { heldOut: held, reference, referenceAtThreshold: metrics(100, 1000, 99, 40, 0.3) } };
    expect(finetuneVerdict(f)).toEqual({ level: 'ok', reasons: [] });
    expect(referenceAtThresholdSummary(f)).toBe(
      "At this version's own PVC threshold 0.300 (the parent's 0.500), other patients' PVCs (reference set): recall 95.0 % → 99.0 %, precision 96.9 % → 71.2 %: the threshold is this patient's"
    );
    expect(referenceAtThresholdSummary({ ...f, metrics: { ...f.metrics, referenceAtThreshold: reference.after } })).toBeNull();
    expect(referenceAtThresholdSummary(info(held, reference))).toBeNull();
  });

  it('refuses a version that misses reviewed PVCs the parent finds, on the part kept apart (207)', () => {
    const reference = { before: metrics(100, 1000, 95, 3), after: metrics(100, 1000, 95, 3) };
    // fewer false alarms, so the F1 of N rose: "improved", yet two PVCs are lost
    const held = { before: metrics(25, 60, 25, 6), after: metrics(25, 60, 23, 0) };
    const kept = { ...info(held, reference), metrics: { heldOut: held, reference, heldOutOn: 'report' as const } };
    expect(finetuneVerdict(kept)).toEqual({
      level: 'refuse',
      reasons: ['it misses PVCs the current model finds: of the 25 reviewed PVCs kept apart to check it, it finds 23, the current model 25'],
    });
    // on the beats that chose the threshold (or a version made before the part existed) it says nothing
    expect(lostPvcs({ ...kept, metrics: { ...kept.metrics, heldOutOn: 'choice' } })).toBeNull();
    expect(lostPvcs(info(held, reference))).toBeNull();
    // too few PVCs to tell, or none lost
    const few = { before: metrics(4, 60, 4, 6), after: metrics(4, 60, 3, 0) };
    expect(lostPvcs({ ...kept, metrics: { ...kept.metrics, heldOut: few } })).toBeNull();
    const same = { before: metrics(25, 60, 24, 6), after: metrics(25, 60, 24, 0) };
    expect(finetuneVerdict({ ...kept, metrics: { ...kept.metrics, heldOut: same } }).level).toBe('ok');
  });

  it('warns about a version that buys false alarms on the part kept apart for no more PVCs found', () => {
    const reference = { before: metrics(100, 1000, 95, 3), after: metrics(100, 1000, 95, 3) };
    // as many PVCs found, four more beats called PVC that are not: the F1 of nothing rose either
    const held = { before: metrics(20, 200, 18, 1), after: metrics(20, 200, 18, 5) };
    const kept = { ...info(held, reference), metrics: { heldOut: held, reference, heldOutOn: 'report' as const } };
    const v = finetuneVerdict(kept);
    expect(v.level).toBe('warn');
    expect(v.reasons[0]).toBe(
      'it calls more false PVCs than the current model: on the 20 reviewed PVCs kept apart to check it, 1 → 5 false alarms (precision 94.7 % → 78.3 %) for no more PVCs found'
    );
    expect(verdictHeadline(kept, v)).toBe('Check before activating: it calls more false PVCs on your reviewed beats');
    // a missed PVC found for each false alarm added is worth it: no warning of this kind
    const traded = { before: metrics(20, 200, 14, 1), after: metrics(20, 200, 18, 5) };
    expect(moreFalseAlarms({ ...kept, metrics: { ...kept.metrics, heldOut: traded } })).toBeNull();
    // on the beats that chose the threshold it says nothing (made to look their best there)
    expect(moreFalseAlarms({ ...kept, metrics: { ...kept.metrics, heldOutOn: 'choice' } })).toBeNull();
  });

  it('ignores reference classes too small to judge', () => {
    const reference = { before: metrics(5, 1000, 5, 0), after: metrics(5, 1000, 3, 0) };
    expect(worseOnReference(reference)).toEqual([]);
  });
});

describe('held-out beats for a threshold of the patient’s own', () => {
  it('needs enough PVCs and enough other beats', () => {
    expect(heldOutTooFew(Uint8Array.from([...Array(10).fill(V), ...Array(6).fill(0)]), 5, 20)).toBe(
      "10 held-out PVCs and 6 other beats: a threshold of this patient's own needs at least 5 and 20"
    );
    expect(heldOutTooFew(Uint8Array.from([...Array(3).fill(V), ...Array(40).fill(0)]), 5, 20)).toMatch(/^3 held-out PVCs/);
    expect(heldOutTooFew(Uint8Array.from([...Array(5).fill(V), ...Array(20).fill(0)]), 5, 20)).toBeNull();
  });
});

// Thresholds of the rule-based fallback, in one place so the explanations, docs/analysis.md and the
// tests quote the same numbers. Each is a clinical or published convention, or was chosen on
// MIT-BIH DS1 (never DS2) as noted. AF window and median-difference threshold: chosen on DS1
// reference beats among 40/60 beats × 0.06/0.08/0.10 (AF seconds: Se 0.95, +P 0.78 on DS1, lags 1–4).
// V rule morphology correlation: 0.8 among 0.8/0.85/0.9 on DS1 reference beats (V Se 0.84, +P 0.74).
import { DEFAULT_SCAN_SETTINGS, type ScanSettings } from '../../shared/scan-settings';

export interface RuleParams {
  /** AF: RR intervals per analysis window (30–60 is the usual range for RR-based AF detectors). */
  afWindowBeats: number;
  /** AF: median |RR(k) − RR(k−lag)| / median RR must reach this at every lag in 1..afPatternLags. */
  afMinMedianDiff: number;
  /** AF: RMSSD / mean RR must reach this (Dash et al. 2009 use 0.1 on 64-beat windows). */
  afMinNormRmssd: number;
  /** AF: lags checked for a repeating pattern (bigeminy, trigeminy are regular, not AF). */
  afPatternLags: number;
  /** AF: at least this fraction of a window's intervals must be usable (not next to a V beat). */
  afMinValidFraction: number;
  /** AF: shortest episode kept, seconds. */
  afMinEpisodeSec: number;
  /** AF: gaps shorter than this between AF stretches are bridged, seconds. */
  afMergeGapSec: number;
  /** Rhythm model: windows in the moving average of its probabilities before episodes are cut (1 = none). */
  rhythmSmoothWindows: number;
  /** Rhythm model: VT episodes closer than this are joined, seconds. */
  vtMergeGapSec: number;
  /** Rhythm model: shortest VT episode kept, seconds. */
  vtMinEpisodeSec: number;
  /**
   * Rhythm model: an AF episode is kept only when this share of it is AF by the RR rule too (0 = off).
   * 0.3, and the other rhythm-model episode settings, chosen on the rhythm model's validation records
   * by scripts/tune-episodes.ts (ectopy-rich 119 and 208 lost their 4 false AF episodes; 201's 3 kept).
   */
  afConfirmOverlap: number;
  /** VT episodes (rhythm-model ones among themselves, beat-label runs among themselves) closer than this are one, seconds. */
  vtBridgeSec: number;
  /**
   * A beat-label VT run that stands as VT on its own and ends (or starts) less than this before (after)
   * a rhythm-model VT episode widens that episode, as one it overlaps does, seconds (0: overlap only):
   * the model's 10-s windows place a VT's onset a few beats late, and the run before it is the same VT
   * (not across a pause, pauseSec: that stays a finding of its own).
   */
  vtAdjoinSec: number;
  /** A beat-label VT run without wide-beat evidence is confirmed by a window it overlaps with this rhythm-model P(VT). */
  vtRunMinP: number;
  /**
   * A beat-label VT run over unreadable signal stays when a window it overlaps has this P(VT) (above 1: never):
   * a fast ventricular rhythm trips the quality index (its big, slow complexes move the baseline), and
   * the rhythm model, which has a noise class, reads it as VT.
   */
  vtOverNoiseMinP: number;
  /**
   * A rhythm-model VT episode with no wide run is still confirmed when its detected complexes come at
   * this median rate or faster (beats per minute; 0: never): a rate no supraventricular rhythm reaches.
   */
  vtFastMinBpm: number;
  /**
   * Where a rhythm model ran, wide beats alone confirm a beat-label VT run only from this many
   * consecutive wide beats (0: never; shorter runs need the model's P(VT) ≥ vtRunMinP or sure V beats,
   * vtConfidentMinP). Without a
   * rhythm model any wide run of vtMinBeats does.
   */
  vtWideAloneMinBeats: number;
  /**
   * A beat-label VT run holding vtMinBeats beats in a row the beat model calls V with at least this
   * P(V) is confirmed by the beats alone (0: never): a short run (nonsustained VT, 3–8 beats) fills too
   * little of a 10-s window for the rhythm model to read it, and its QRS width is often not measurable.
   */
  vtConfidentMinP: number;
  /** ... and inside an AF episode too (else, in AF, beat labels alone are not VT: aberrant conduction). */
  vtConfidentInAf: boolean;
  /**
   * A beat-label VT run whose beats come at this median rate or faster is confirmed by its rate alone
   * (beats per minute; 0: never), outside AF: short fast salvos of flutter and VT whose beats the
   * beat model calls V without being sure and the rhythm model's 10-s windows do not read. 250:
   * scripts/tune-vt.ts --mitdb --grid-fast (docs/experiments/2026-12-07-vt-bridge.md).
   */
  vtFastRunMinBpm: number;
  /** A rhythm-model VT episode whose mean P(VT) is below this is dropped, whatever the beats (a near tie of classes). */
  vtModelMinP: number;
  /** A rhythm-model VT episode starts at the first ventricular beat of its first window (src/main/rules/vt.ts ventricularOnset), not at the window's start. */
  vtRefineOnset: boolean;
  /** VT: consecutive ventricular beats needed. */
  vtMinBeats: number;
  /** VT: rate the run must exceed, beats per minute. */
  vtMinRateBpm: number;
  /** Pause: RR longer than this, seconds. */
  pauseSec: number;
  /** V rule: absolute QRS width above which a beat counts as wide, ms. */
  vWideMs: number;
  /** V rule: ... and relative to the dominant (median) QRS width of the record. */
  vWideRelative: number;
  /** V rule: correlation with the dominant beat below which morphology is "different". */
  vMorphCorr: number;
  /** V rule: prematurity (1 − RR / local RR) from which a beat counts as premature. */
  vPremature: number;
}

export const DEFAULT_RULE_PARAMS: Readonly<RuleParams> = Object.freeze({
  afWindowBeats: 60,
  afMinMedianDiff: 0.1,
  afMinNormRmssd: 0.1,
  afPatternLags: 4,
  afMinValidFraction: 0.6,
  afMinEpisodeSec: 30,
  afMergeGapSec: 10,
  rhythmSmoothWindows: 1,
  vtMergeGapSec: 0,
  vtMinEpisodeSec: 0,
  afConfirmOverlap: 0.3,
  // VT/VF decisions: chosen on the vfdb/cudb training and validation records by scripts/tune-vt.ts;
  // the beat-label run rules (vtConfidentMinP, vtConfidentInAf, vtWideAloneMinBeats, vtRunMinP) on those
  // and MIT-BIH DS1 (--mitdb --grid-runs), whose short runs vfdb and cudb do not mark as VT
  // (docs/experiments/2026-12-04-rhythm.md, 2026-12-06-nsvt.md), never on their test records;
  // the bridge re-chosen by the --grid after the run rules changed, then the run rules with it
  // (wide-alone off: --mitdb --grid-runs; 2026-12-07-vt-bridge.md)
  vtBridgeSec: 30,
  // the bridge's length across the two kinds too: the best of 0-30 s on the training and validation
  // records (scripts/tune-vt.ts --rules; docs/experiments/2026-12-08-vt-adjoin.md)
  vtAdjoinSec: 30,
  vtRunMinP: 0.1,
  vtOverNoiseMinP: 0.7,
  vtFastMinBpm: 180,
  vtWideAloneMinBeats: 0,
  vtConfidentMinP: 0.95,
  vtConfidentInAf: true,
  vtFastRunMinBpm: 250,
  vtModelMinP: 0,
  vtRefineOnset: true,
  // the reviewer's scan settings (shared/scan-settings.ts) start from these
  vtMinBeats: DEFAULT_SCAN_SETTINGS.vtMinBeats,
  vtMinRateBpm: DEFAULT_SCAN_SETTINGS.vtMinRateBpm,
  pauseSec: DEFAULT_SCAN_SETTINGS.pauseSec,
  vWideMs: 120,
  vWideRelative: 1.2,
  vMorphCorr: 0.8,
  vPremature: 0.1,
});

export function ruleParams(overrides: Partial<RuleParams> = {}): RuleParams {
  return { ...DEFAULT_RULE_PARAMS, ...overrides };
}

/** The rule parameters a reviewer's scan settings override (SVT criteria are the review summary's only). */
export function withScan(p: RuleParams, scan: ScanSettings | undefined): RuleParams {
  return scan ? { ...p, pauseSec: scan.pauseSec, vtMinBeats: scan.vtMinBeats, vtMinRateBpm: scan.vtMinRateBpm } : p;
}

/** Logistic squashing used to turn a margin into a confidence in (0, 1). */
export function logistic(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

export function pct(x: number): string {
  return `${Math.round(x * 100)} %`;
}

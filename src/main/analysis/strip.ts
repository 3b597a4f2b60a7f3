// The whole-strip rhythm evidence of a short recording (handheld and wearable ECG exports, 9–60 s):
// too short for a 30-s AF episode or a 60-beat RR window, so the rhythm is judged once over the
// whole strip from the rhythm model's mean window probabilities and the RR irregularity of all its
// usable intervals (ventricular beats left out, as in the RR rule).
import type { Episode, StripEvidence } from '../../shared/analysis';
import { irregularity, rrSeconds, usableIntervals, type RuleParams } from '../rules';
import { logistic } from '../rules/params';

/** Records up to this long are strips: one rhythm call for the whole recording. */
export const STRIP_MAX_SEC = 120;

/**
 * Strip AF: the model's mean P(AF) reaches STRIP_AF_MIN_P and the RR intervals are not regular
 * (median |ΔRR| at every lag 1–4 ≥ STRIP_AF_MIN_LAG_DIFF of the median RR, which rejects a sinus or
 * flutter-with-fixed-block strip the model alone calls AF). Chosen on the CinC 2017 validation
 * recordings (scripts/score-cinc.ts --split validation; grid P(AF) 0.40–0.65 × lag 0.01–0.06, best
 * F1 0.872 there, 0.901 on 800 training recordings); never on the test split.
 */
export const STRIP_AF_MIN_P = 0.55;
export const STRIP_AF_MIN_LAG_DIFF = 0.02;
/**
 * And the RR intervals' RMSSD is at least this share of their mean: a strip whose beats come within a
 * few per cent of each other is not AF however the model reads its waves (an 8-s 500-Hz strip of a
 * healthy 25-year-old, RMSSD 3 %, P(AF) 0.65). Every AF strip the rule finds on the CinC training and
 * validation recordings has ≥ 6.6 % (train; 8.4 % validation); the floor keeps all of them and drops 5
 * of 45 false AF calls on train, none of 7 on validation.
 */
export const STRIP_AF_MIN_NORM_RMSSD = 0.06;
/** Without a rhythm model: the RR rule's own thresholds over the whole strip, on at least this many intervals. */
export const STRIP_RR_MIN_INTERVALS = 12;

/** Seconds between rhythm-window starts on a strip (the training stride; 10 s on longer records). */
export const STRIP_WINDOW_STRIDE_SEC = 5;

export type { StripEvidence };

export function isStrip(durationSec: number): boolean {
  return durationSec <= STRIP_MAX_SEC;
}

/** Mean class probability over n windows of n × K probabilities. */
export function meanWindowProbs(probs: Float32Array, classes: readonly string[]): Record<string, number> {
  const K = classes.length;
  const n = Math.floor(probs.length / K);
  const out: Record<string, number> = {};
  classes.forEach((c, k) => {
    let s = 0;
    for (let w = 0; w < n; w++) s += probs[w * K + k]!;
    out[c] = n ? s / n : 0;
  });
  return out;
}

export function stripEvidence(
  probs: Float32Array | null,
  classes: readonly string[],
  sample: Int32Array,
  fs: number,
  ventricular: Uint8Array,
  p: RuleParams
): StripEvidence {
  const rr = rrSeconds(sample, fs);
  const ok = usableIntervals(rr, ventricular, p);
  const irr = irregularity(rr, ok, 1, Math.max(1, sample.length), p);
  return {
    windows: probs ? Math.floor(probs.length / Math.max(1, classes.length)) : 0,
    meanProbs: probs ? meanWindowProbs(probs, classes) : {},
    beats: sample.length,
    usableIntervals: irr.valid,
    minLagDiff: irr.minLagDiff,
    normRmssd: irr.normRmssd,
  };
}

/** P(AF) of the strip: the model's mean window probability of its AF class (0 without a model). */
export function stripAfProbability(e: StripEvidence): number {
  return e.meanProbs.AF ?? e.meanProbs.af ?? 0;
}

/** Why a strip is AF, or null: the model and the RR intervals agree (or the RR rule alone without a model). */
export function stripAfReason(e: StripEvidence, p: RuleParams): { confidence: number; why: string } | null {
  const irr = `median |ΔRR| ${(100 * e.minLagDiff).toFixed(0)} % of RR at lags 1–${p.afPatternLags}, RMSSD ${(100 * e.normRmssd).toFixed(0)} % of mean RR over ${e.usableIntervals} intervals`;
  if (e.windows > 0) {
    const pAf = stripAfProbability(e);
    if (pAf < STRIP_AF_MIN_P || e.minLagDiff < STRIP_AF_MIN_LAG_DIFF || e.normRmssd < STRIP_AF_MIN_NORM_RMSSD) return null;
    return {
      confidence: pAf,
      why: `rhythm model: mean P(AF) ${pAf.toFixed(2)} over ${e.windows} windows (≥ ${STRIP_AF_MIN_P}); RR irregular: ${irr} (lag difference ≥ ${100 * STRIP_AF_MIN_LAG_DIFF} %, RMSSD ≥ ${100 * STRIP_AF_MIN_NORM_RMSSD} %)`,
    };
  }
  if (e.usableIntervals < STRIP_RR_MIN_INTERVALS || e.minLagDiff < p.afMinMedianDiff || e.normRmssd < p.afMinNormRmssd) return null;
  const margin = Math.min(e.minLagDiff / p.afMinMedianDiff, e.normRmssd / p.afMinNormRmssd) - 1;
  return {
    confidence: logistic(4 * margin),
    why: `RR irregular over the whole strip: ${irr} (≥ ${100 * p.afMinMedianDiff} % and ≥ ${100 * p.afMinNormRmssd} %)`,
  };
}

/**
 * The rhythm episodes of a strip: its AF is the strip's one call, [0, nFrames) when AF, none
 * otherwise (window-level AF episodes of a short strip are not kept on their own); other types pass.
 */
export function stripEpisodes(episodes: readonly Episode[], e: StripEvidence, nFrames: number, fs: number, p: RuleParams): Episode[] {
  const out = episodes.filter((x) => x.type !== 'AF');
  const af = stripAfReason(e, p);
  if (af) {
    out.push({
      type: 'AF',
      onsetSample: 0,
      offsetSample: nFrames,
      confidence: Math.min(1, Math.max(0, af.confidence)),
      explanation: `AF over the whole ${(nFrames / fs).toFixed(0)}-s strip: ${af.why}`,
      source: e.windows > 0 ? 'model' : 'rules',
    });
  }
  return out.sort((x, y) => x.onsetSample - y.onsetSample);
}

// Everything that depends on the PVC threshold or the reviewer's scan settings, recomputed from
// the cached probabilities and beat positions: labels (labelAt), VT runs from consecutive V beats,
// pauses, and the summary. The models never re-run.
import { AAMI_CLASSES, labelAt, type Analysis, type Episode } from '../../shared/analysis';
import { confirmVtRuns, joinVtRuns, detectPauses, detectVtRuns, ruleParams, type RuleParams } from '../rules';
import { summarize } from './summary';
import { recordingCall } from './recording';
import { gateAfByQuality, isModelNoise, readableIntervals } from '../quality';

/** VT episodes found by the rules from V-beat runs: the only episodes that move with the threshold. */
export function isThresholdEpisode(e: Analysis['episodes'][number]): boolean {
  return e.type === 'VT' && e.source === 'rules';
}

/** Rule episodes re-cut on every applyThreshold: threshold-dependent VT runs and pauses (the pause limit is a scan setting). */
export function isRecutEpisode(e: Analysis['episodes'][number]): boolean {
  return isThresholdEpisode(e) || (e.type === 'PAUSE' && e.source === 'rules');
}

function overlapsAny(eps: readonly Episode[], e: Episode): boolean {
  return eps.some((x) => x.onsetSample < e.offsetSample && e.onsetSample < x.offsetSample);
}

/**
 * Pauses on readable signal outside VT/VF episodes (fibrillation has no QRS to find). Readable is
 * the signal quality index's word: the rhythm model's noise class alone does not hide a pause, as it
 * reads asystole's bare baseline as noise; such a pause is kept, and says so.
 */
function pausesOf(a: Analysis, p: RuleParams, noise: readonly Episode[], rhythmVt: readonly Episode[]): Episode[] {
  const modelNoise = noise.filter(isModelNoise);
  const readable = readableIntervals(
    a.beats.sample,
    noise.filter((e) => !isModelNoise(e))
  );
  return detectPauses(a.beats.sample, a.fs, a.beats.source, p, readable)
    .filter((e) => !overlapsAny(rhythmVt, e))
    .map((e) =>
      overlapsAny(modelNoise, e)
        ? {
            ...e,
            explanation: `${e.explanation}; the rhythm model reads this stretch as noise, the signal quality as readable: asystole, or signal the detector cannot read`,
          }
        : e
    );
}

/** A new Analysis at `threshold` (the input is not modified; typed arrays other than label are shared). */
export function applyThreshold(a: Analysis, threshold: number, p: RuleParams = ruleParams()): Analysis {
  if (!(threshold >= 0 && threshold <= 1)) throw new RangeError(`threshold must be within [0, 1], got ${threshold}`);
  const n = a.beats.sample.length;
  const K = AAMI_CLASSES.length;
  if (a.beats.probs.length !== n * K) throw new RangeError(`analysis of ${a.record}: ${a.beats.probs.length} probabilities for ${n} beats`);
  const label = new Uint8Array(n);
  for (let i = 0; i < n; i++) label[i] = labelAt(a.beats.probs, i, threshold);
  const fixed = a.episodes.filter((e) => !isRecutEpisode(e));
  const runs = detectVtRuns(a.beats.sample, a.fs, label, a.beats.pvcScore, p);
  // beat-label runs need the beat evidence and the rhythm context (older analyses without it keep them)
  const noise = fixed.filter((e) => e.type === 'NOISE');
  // AF of a long record only on readable signal (a strip has one call over its whole length)
  const kept = a.strip ? fixed : gateAfByQuality(fixed, noise, a.fs, p.afMinEpisodeSec);
  const rhythmVt = kept.filter((e) => e.type === 'VT');
  // nothing is decided on unreadable signal: a pause or a V run overlapping a noise stretch is left
  // out; and no beat to find inside a VT/VF episode (fibrillation has no QRS) is not a pause either
  // (confirmVtRuns applies the noise rule itself: a run the rhythm model reads as VT may lie over it)
  const vt = joinVtRuns(
    a.beats.wide ? confirmVtRuns(runs, kept, a.beats.sample, a.fs, a.beats.wide, p, a.rhythmVt, a.beats.pvcScore) : runs.filter((e) => !overlapsAny(noise, e)),
    a.fs,
    p.vtBridgeSec,
    rhythmVt
  );
  const pauses = pausesOf(a, p, noise, rhythmVt);
  const episodes = [...kept, ...vt, ...pauses].sort((x, y) => x.onsetSample - y.onsetSample || x.type.localeCompare(y.type));
  const summary = summarize(a.beats.sample, label, episodes, a.fs, a.durationSec, p);
  return {
    ...a,
    threshold,
    beats: { ...a.beats, label },
    episodes,
    summary,
    recording: recordingCall({ durationSec: a.durationSec, fs: a.fs, episodes, summary, ...(a.strip ? { strip: a.strip } : {}) }),
  };
}

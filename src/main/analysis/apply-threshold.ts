// Everything that depends on the PVC threshold or the reviewer's scan settings, recomputed from
// the cached probabilities and beat positions: labels (labelAt), VT runs from consecutive V beats,
// pauses, and the summary. The models never re-run.
import { AAMI_CLASSES, labelAt, type Analysis, type Episode } from '../../shared/analysis';
import { confirmVtRuns, joinVtRuns, detectPauses, detectVtRuns, ruleParams, type RuleParams } from '../rules';
import { pauseIntervals, summarize } from './summary';
import { recordingCall } from './recording';
import { gateAfByQuality, isModelNoise } from '../quality';

/** VT episodes found by the rules from V-beat runs: the only episodes that move with the threshold. */
export function isThresholdEpisode(e: Analysis['episodes'][number]): boolean {
  return e.type === 'VT' && e.source === 'rules';
}

/** Rule episodes re-cut on every applyThreshold: threshold-dependent VT runs and pauses (the pause limit is a scan setting). */
export function isRecutEpisode(e: Analysis['episodes'][number]): boolean {
  return isThresholdEpisode(e) || (e.type === 'PAUSE' && e.source === 'rules');
}

function overlapsAny(eps: readonly Episode[], e: Episode, within = 0): boolean {
  return eps.some((x) => x.onsetSample - within < e.offsetSample && e.onsetSample < x.offsetSample + within);
}

/**
 * Pauses on readable signal outside VT/VF episodes (fibrillation has no QRS to find). Readable is
 * the signal quality index's word: the rhythm model's noise class alone does not hide a pause, as it
 * reads asystole's bare baseline as noise; such a pause is kept, and says so.
 */
function pausesOf(a: Analysis, p: RuleParams, noise: readonly Episode[], rhythmVt: readonly Episode[]): Episode[] {
  const modelNoise = noise.filter(isModelNoise);
  return detectPauses(a.beats.sample, a.fs, a.beats.source, p, pauseIntervals(a.beats.sample, [...noise, ...rhythmVt])).map((e) =>
    overlapsAny(modelNoise, e)
      ? {
          ...e,
          explanation: `${e.explanation}; the rhythm model reads this stretch as noise, the signal quality as readable: asystole, or signal the detector cannot read`,
        }
      : e
  );
}

/** The rhythm model's own episodes of an episode applyThreshold widened at another threshold; others as they are. */
function atModelExtent(e: Episode): Episode[] {
  return e.model ? e.model.map((m) => ({ ...m, type: 'VT' as const, source: 'model' as const })) : [e];
}

const isModelVt = (e: Episode) => e.type === 'VT' && e.source === 'model';

/** A stretch of VT: a rhythm-model episode (its longestRunSec when it was joined across gaps) or a beat-label run. */
type Piece = Pick<Episode, 'onsetSample' | 'offsetSample' | 'longestRunSec'>;

/**
 * The longest run of VT among pieces, seconds: overlapping pieces are one run (its length their union's
 * when none has gaps of its own, else the longest part known); undefined when they are all one run
 * without gaps (the episode's extent is then its run).
 */
function longestRunOf(pieces: readonly Piece[], fs: number): number | undefined {
  const sorted = [...pieces].sort((x, y) => x.onsetSample - y.onsetSample);
  let groups = 0;
  let gaps = false;
  let longest = 0;
  let on = 0,
    off = -Infinity,
    part = 0,
    whole = true;
  const close = () => {
    longest = Math.max(longest, whole ? (off - on) / fs : part);
    if (!whole) gaps = true;
  };
  for (const x of sorted) {
    const sec = (x.offsetSample - x.onsetSample) / fs;
    if (groups > 0 && x.onsetSample < off) {
      off = Math.max(off, x.offsetSample);
      part = Math.max(part, x.longestRunSec ?? sec);
      whole &&= x.longestRunSec === undefined;
      continue;
    }
    if (groups > 0) close();
    groups++;
    on = x.onsetSample;
    off = x.offsetSample;
    part = x.longestRunSec ?? sec;
    whole = x.longestRunSec === undefined;
  }
  if (groups > 0) close();
  return groups === 1 && !gaps ? undefined : longest;
}

/**
 * Rhythm-model VT episodes widened to the beat-label VT runs on readable signal they overlap, or end or
 * start `within` samples of (RuleParams.vtAdjoinSec): the
 * model may read VT over part of a run only (a slower stretch before a faster one), and a run the
 * model's episode touches is no episode of its own (confirmVtRuns), so 60 s of VT read as the
 * model's 20 s. Episodes one run reaches are joined. A widened episode keeps the model's (`model`).
 */
function widenModelVt(
  episodes: readonly Episode[],
  runs: readonly Episode[],
  noise: readonly Episode[],
  fs: number,
  within: number,
  pauseBetween: (a: number, b: number) => boolean
): Episode[] {
  const vt = episodes.filter(isModelVt).sort((x, y) => x.onsetSample - y.onsetSample);
  if (!vt.length) return [...episodes];
  const sec = (x: { onsetSample: number; offsetSample: number }) => (x.offsetSample - x.onsetSample) / fs;
  // pieces: the model's episode and each run that widened it; overlapping pieces are one run of VT,
  // a gap between them is not (sustained VT is one run of >= 30 s)
  const wide = vt.map((e) => ({ e: { ...e }, parts: [e], pieces: [e as Piece], widened: false }));
  for (const r of runs) {
    if (overlapsAny(noise, r)) continue;
    for (const w of wide) {
      const { e } = w;
      if (!(e.onsetSample - within < r.offsetSample && r.onsetSample < e.offsetSample + within)) continue;
      if (r.onsetSample >= e.onsetSample && r.offsetSample <= e.offsetSample) continue;
      // a pause between a run and the episode: not one VT, so they stay apart (and the pause, where readable, is reported)
      if (
        r.offsetSample <= e.onsetSample
          ? pauseBetween(r.offsetSample, e.onsetSample)
          : r.onsetSample >= e.offsetSample && pauseBetween(e.offsetSample, r.onsetSample)
      )
        continue;
      e.onsetSample = Math.min(e.onsetSample, r.onsetSample);
      e.offsetSample = Math.max(e.offsetSample, r.offsetSample);
      w.pieces.push(r);
      w.widened = true;
    }
  }
  // a run that reached two episodes joins them
  const joined: typeof wide = [];
  for (const w of wide) {
    const prev = joined[joined.length - 1];
    if (prev && w.e.onsetSample < prev.e.offsetSample) {
      const p = prev.e;
      p.offsetSample = Math.max(p.offsetSample, w.e.offsetSample);
      p.confidence = Math.max(p.confidence, w.e.confidence);
      prev.parts.push(...w.parts);
      prev.pieces.push(...w.pieces);
      prev.widened = true;
      continue;
    }
    joined.push(w);
  }
  for (const { e, pieces, widened } of joined) {
    if (!widened) continue;
    const longest = longestRunOf(pieces, fs);
    if (longest === undefined) delete e.longestRunSec;
    else e.longestRunSec = longest;
  }
  const out = joined.map(({ e, parts, widened }): Episode => {
    if (!widened) return e;
    const model = parts.map(({ type: _t, source: _s, model: _m, ...m }) => m);
    return { ...e, model, explanation: `${parts[0]!.explanation}; widened to the run of ventricular beats it is part of (${formatSec(sec(e))})` };
  });
  return [...episodes.filter((e) => !isModelVt(e)), ...out];
}

/** Whether an interval between consecutive beats that overlaps (from, to) is longer than `frames`. */
function longRrBetween(sample: Int32Array, from: number, to: number, frames: number): boolean {
  let lo = 1;
  let hi = sample.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sample[mid]! > from) hi = mid;
    else lo = mid + 1;
  }
  for (let k = lo; k < sample.length && sample[k - 1]! < to; k++) if (sample[k]! - sample[k - 1]! > frames) return true;
  return false;
}

const formatSec = (s: number) => (s >= 60 ? `${Math.floor(s / 60)} min ${Math.round(s % 60)} s` : `${s.toFixed(1)} s`);

/** A new Analysis at `threshold` (the input is not modified; typed arrays other than label are shared). */
export function applyThreshold(a: Analysis, threshold: number, p: RuleParams = ruleParams()): Analysis {
  if (!(threshold >= 0 && threshold <= 1)) throw new RangeError(`threshold must be within [0, 1], got ${threshold}`);
  const n = a.beats.sample.length;
  const K = AAMI_CLASSES.length;
  if (a.beats.probs.length !== n * K) throw new RangeError(`analysis of ${a.record}: ${a.beats.probs.length} probabilities for ${n} beats`);
  const label = new Uint8Array(n);
  for (let i = 0; i < n; i++) label[i] = labelAt(a.beats.probs, i, threshold);
  const runs = detectVtRuns(a.beats.sample, a.fs, label, a.beats.pvcScore, p);
  const noise = a.episodes.filter((e) => e.type === 'NOISE');
  const base = a.episodes.filter((e) => !isRecutEpisode(e)).flatMap(atModelExtent);
  // a run widens the model's VT only when it would stand as VT on its own (its beat evidence; not in AF,
  // not over noise); only the runs a model VT episode touches are judged (most records have none)
  const modelVt = base.filter(isModelVt);
  const within = Math.round(p.vtAdjoinSec * a.fs);
  const touching = runs.filter((r) => overlapsAny(modelVt, r, within));
  const standing =
    a.beats.wide && touching.length
      ? confirmVtRuns(
          touching,
          base.filter((e) => !isModelVt(e)),
          a.beats.sample,
          a.fs,
          a.beats.wide,
          p,
          a.rhythmVt,
          a.beats.pvcScore
        )
      : [];
  const fixed = widenModelVt(base, standing, noise, a.fs, within, (from, to) => longRrBetween(a.beats.sample, from, to, p.pauseSec * a.fs));
  // beat-label runs need the beat evidence and the rhythm context (older analyses without it keep them)
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

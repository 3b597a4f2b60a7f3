// The last stages of an analysis: the episodes made final (VT evidence, strip rules, unreadable
// stretches, pauses), the supraventricular rule, and the Analysis itself, labelled at the
// threshold asked for (the cache keeps it at the model's default).
import { AAMI_CLASSES, V_INDEX, type Analysis, type Episode, type StripEvidence } from '../../shared/analysis';
import { applySupraventricularRule } from '../beats';
import { clipModelNoise, readableIntervals } from '../quality';
import { confirmModelVt, detectPauses } from '../rules';
import { writeCache } from './cache';
import { fileStamps } from './record';
import type { FoundBeats } from './find-beats';
import type { FoundRhythm } from './find-rhythm';
import { leadsOfPlan, ranAsPlanned, scoredDefaultThreshold, type AnalysisPlan } from './plan';
import { applyThreshold } from './apply-threshold';
import type { BeatScores } from './score-beats';
import type { AnalysisRun } from './settings';
import { stripEpisodes, stripEvidence } from './strip';

export interface FinalEpisodes {
  episodes: Episode[];
  strip?: StripEvidence;
}

/** Rhythm episodes with VT confirmed by wide beats, strip rules, the unreadable stretches (NOISE; the model's noise clipped to the time they leave), then pauses. */
export function finishEpisodes(
  plan: AnalysisPlan,
  beats: FoundBeats,
  scores: BeatScores,
  rhythm: FoundRhythm,
  ventricular: Uint8Array,
  unreadable: readonly Episode[],
  run: AnalysisRun
): FinalEpisodes {
  const { fs, nFrames } = plan;
  const { p } = run;
  const strip = plan.strip ? stripEvidence(rhythm.probs?.probs ?? null, rhythm.probs?.classes ?? [], beats.sample, fs, ventricular, p) : undefined;
  let episodes = confirmModelVt(rhythm.episodes, beats.sample, fs, beats.wide, p, ventricular);
  if (strip) episodes = stripEpisodes(episodes, strip, nFrames, fs, p);
  // the rhythm model's noise only where the signal quality's stretches are not: no two NOISE episodes overlap
  episodes = [...clipModelNoise(episodes, unreadable, fs), ...unreadable];
  if (scores.svRule)
    applySupraventricularRule(
      scores.probs,
      beats.sample,
      episodes.filter((e) => e.type === 'AF'),
      scores.svRule
    );
  return {
    episodes: [...episodes, ...detectPauses(beats.sample, fs, beats.source, p, readableIntervals(beats.sample, unreadable))],
    ...(strip ? { strip } : {}),
  };
}

/** Who the analysis is of: the record's name, its content hash and the cache key. */
export interface AnalysisId {
  record: string;
  recordHash: string;
  cacheKey: string;
}

/** Per beat: the previous RR interval in ms (NaN for the first) and P(V). */
function beatColumns(sample: Int32Array, probs: Float32Array, fs: number): { rrMs: Float32Array<ArrayBuffer>; pvcScore: Float32Array<ArrayBuffer> } {
  const n = sample.length;
  const K = AAMI_CLASSES.length;
  const rrMs = new Float32Array(n);
  if (n) rrMs[0] = NaN;
  for (let k = 1; k < n; k++) rrMs[k] = ((sample[k]! - sample[k - 1]!) * 1000) / fs;
  const pvcScore = new Float32Array(n);
  for (let k = 0; k < n; k++) pvcScore[k] = probs[k * K + V_INDEX]!;
  return { rrMs, pvcScore };
}

/** The summary before applyThreshold fills it in. */
export function emptySummary(beats: number): Analysis['summary'] {
  return {
    beats,
    pvcCount: 0,
    pvcBurden: 0,
    pvcPerHour: 0,
    couplets: 0,
    triplets: 0,
    bigeminyEpisodes: 0,
    longestVtRunBeats: 0,
    afBurden: 0,
    longestPauseSec: 0,
    meanHr: 0,
    minHr: 0,
    maxHr: 0,
  };
}

/** The Analysis at the threshold asked for; writes the cache (at the default threshold) when it is on. */
export async function assemble(
  id: AnalysisId,
  plan: AnalysisPlan,
  beats: FoundBeats,
  scores: BeatScores,
  rhythm: FoundRhythm,
  final: FinalEpisodes,
  run: AnalysisRun
): Promise<Analysis> {
  const { p, laps } = run;
  const { sample } = beats;
  const n = sample.length;
  const { rrMs, pvcScore } = beatColumns(sample, scores.probs, plan.fs);
  laps.lap('rulesMs');

  const { probs, embedding, embeddingDim } = scores;
  const defaultThreshold = scoredDefaultThreshold(plan, scores.use);
  const base: Analysis = {
    record: id.record,
    recordHash: id.recordHash,
    fs: plan.fs,
    ...(plan.samplesPerFrame !== 1 ? { frameFs: plan.frameFs } : {}),
    durationSec: plan.durationSec,
    threshold: defaultThreshold,
    // Plain ArrayBuffers (never shared): the narrower type the Analysis schema declares.
    beats: {
      sample: sample as Int32Array<ArrayBuffer>,
      probs: probs as Float32Array<ArrayBuffer>,
      pvcScore,
      label: new Uint8Array(n),
      rrMs,
      wide: beats.wide as Uint8Array<ArrayBuffer>,
      source: beats.source,
      ...(embedding ? { embedding: embedding as Float32Array<ArrayBuffer>, embeddingDim } : {}),
    },
    episodes: final.episodes,
    summary: emptySummary(n),
    models: [scores.use, rhythm.use],
    leads: leadsOfPlan(plan),
    ...(plan.leftOut.length ? { leadsLeftOut: plan.leftOut } : {}),
    ...(plan.warnings.length ? { recordWarnings: plan.warnings } : {}),
    timingsMs: laps.ms,
    ...(scores.beatNotes ? { beatNotes: scores.beatNotes } : {}),
    ...(final.strip ? { strip: final.strip } : {}),
    ...(rhythm.rhythmVt ? { rhythmVt: rhythm.rhythmVt } : {}),
  };
  const result = applyThreshold(base, run.settings.threshold ?? defaultThreshold, p);
  laps.lap('summaryMs');
  laps.ms.totalMs = laps.sinceStart();
  // The cache holds the result at the model's default threshold; callers re-label from it. A file that
  // changed while it was read (its size or time) made a result of neither version, and a planned model
  // that failed made one its key does not describe: neither is cached.
  if (plan.cacheDir && ranAsPlanned(plan, result.models) && (await fileStamps(plan.files)) === plan.stamps)
    await writeCache(plan.cacheDir, id.cacheKey, applyThreshold(result, defaultThreshold, p)).catch(() => undefined);
  run.prog.report('rules', 1);
  return result;
}

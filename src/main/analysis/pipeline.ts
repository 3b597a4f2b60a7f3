// The analysis of one record, as named stages: plan (beat source, model or rules per task) →
// record hash → cached? → read the leads → open the beat scorer (beat model or the V rule) → find
// beats (positions, then their windows cut and scored group by group) → the beats' scores →
// unreadable stretches (signal quality) → find rhythm (rhythm model or the RR rule, on readable
// intervals) → final episodes (VT, strips, unreadable stretches, pauses)
// → assemble (summary at the threshold, cache).
// Pure Node (no Electron); runs inside the analysis worker, or directly in tests and benches.
import type { Analysis } from '../../shared/analysis';
import { throwIfCancelled } from '../inference';
import { readableIntervals } from '../quality';
import { openAvailable } from '../review/available';
import { ruleParams } from '../rules';
import { assemble, finishEpisodes, unreadableStretches } from './assemble';
import { readCache } from './cache';
import { findBeats } from './find-beats';
import { findRhythm } from './find-rhythm';
import { Laps } from './laps';
import { readLeads } from './leads';
import { rhythmWindowsInBackground, type BackgroundJob } from './parallel';
import { analysisCacheKey, planAnalysis, type AnalysisPlan } from './plan';
import { ProgressTracker } from './progress';
import { recordContentHash, recordName } from './record';
import { applyThreshold } from './apply-threshold';
import { openBeatScorer, ventricularByArgmax, type BeatScorer } from './score-beats';
import type { AnalysisRun, AnalyzeHooks, AnalyzeSettings } from './settings';
import type { RhythmWindows } from '../rhythm/windows';

export { RULES_VERSION } from './plan';
export { NOTE_MIN_PV } from './score-beats';
export type { AnalyzeSettings, AnalyzeHooks, RhythmRaw } from './settings';

/**
 * Shortest record whose rhythm windows go to a helper worker: starting one from the TypeScript
 * sources costs about 0.8 s CPU here (tsx; the Electron bundle compiles nothing), far more than the
 * windows of a 30-minute record take (0.06 s), but hidden behind the beat branch from a few hours on.
 */
export const PARALLEL_MIN_SEC = 3 * 3600;

/** Analyses one record. Throws CancelledError when cancelled, WfdbError etc. on a bad record. */
export async function analyzeRecord(recordPath: string, settings: AnalyzeSettings = {}, hooks: AnalyzeHooks = {}): Promise<Analysis> {
  const run: AnalysisRun = { settings, hooks, p: ruleParams(settings.rules), prog: new ProgressTracker(hooks.onProgress), laps: new Laps() };
  run.prog.report('open', 0);
  // a recording cut short is analysed over what it holds (the review UI opens it the same way)
  const rec = await openAvailable(recordPath);
  let rhythmJob: BackgroundJob<RhythmWindows> | null = null;
  let scorer: BeatScorer | null = null;
  try {
    const plan = await planAnalysis(rec, recordPath, settings);
    run.laps.lap('openMs');
    run.prog.report('hash', 0);
    const recordHash = await recordContentHash(rec, recordPath);
    run.laps.lap('hashMs');
    throwIfCancelled(hooks.cancel);
    const cacheKey = analysisCacheKey(plan, recordHash, settings, run.p);
    const cached = await cachedAnalysis(plan, cacheKey, run);
    if (cached) return cached;

    // the rhythm model's windows on the other core while beats are detected, cut and classified
    const parallel = 'model' in plan.rhythm && (settings.parallel ?? plan.durationSec >= PARALLEL_MIN_SEC);
    const leads = await readLeads(rec, recordPath, run, parallel);
    if (parallel) rhythmJob = rhythmWindowsInBackground(leads.signals[0]!, plan.fs, plan.rhythmStrideSec);
    scorer = await openBeatScorer(plan.beat, run);
    const beats = await findBeats(recordPath, leads.signals, plan.fs, plan.nFrames, run, scorer);
    const scores = await scorer.finish(beats);
    const ventricular = ventricularByArgmax(scores.probs, beats.sample.length);
    const unreadable = unreadableStretches(leads, plan);
    const readable = readableIntervals(beats.sample, unreadable);
    const rhythm = await findRhythm(plan, { signal: leads.signals[0]!, sample: beats.sample, ventricular, readable, windowsJob: rhythmJob }, run);
    const final = finishEpisodes(plan, beats, scores, rhythm, ventricular, unreadable, run);
    return await assemble({ record: recordName(recordPath), recordHash, cacheKey }, plan, beats, scores, rhythm, final, run);
  } finally {
    rhythmJob?.stop();
    await scorer?.release();
    await rec.close();
  }
}

/** The cached analysis, re-labelled at the threshold asked for; null on a miss or with the cache off. */
async function cachedAnalysis(plan: AnalysisPlan, cacheKey: string, run: AnalysisRun): Promise<Analysis | null> {
  if (!plan.cacheDir) return null;
  const hit = await readCache(plan.cacheDir, cacheKey);
  if (!hit) return null;
  run.laps.lap('cacheMs');
  const out = applyThreshold(hit, run.settings.threshold ?? hit.threshold, run.p);
  return { ...out, fromCache: true, timingsMs: { ...hit.timingsMs, cacheReadMs: run.laps.sinceStart() } };
}

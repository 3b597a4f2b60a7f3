// The analysis of one record, as named stages: plan (beat source, model or rules per task) →
// record hash → cached? → read the leads → open the beat scorer (beat model or the V rule) → find
// beats (positions, then their windows cut and scored group by group) → the beats' scores →
// unreadable stretches (signal quality) → find rhythm (rhythm model or the RR rule, on readable
// intervals; no rhythm in flat windows) → final episodes (VT, strips, unreadable stretches, pauses)
// → assemble (summary at the threshold, cache).
// A long record shares the work with a helper worker on the second core (parallel.ts): a share of
// the parts read, the hash (when no cache waits on it), a share of the QRS chunks, then the signal
// quality and the rhythm model while this worker cuts and scores the beat windows, then lead 1's
// conditioning for those windows.
// Pure Node (no Electron); runs inside the app's analysis worker, on the CLI's own thread, or directly
// in tests and benches.
import type { Analysis } from '../../shared/analysis';
import { checkpoint, throwIfCancelled } from '../inference';
import { qualityOfLeads, readableIntervals, unreadableEpisodes } from '../quality';
import { openAvailable } from '../review/available';
import { ruleParams } from '../rules';
import { assemble, finishEpisodes } from './assemble';
import type { Leads } from './leads';
import { readCache } from './cache';
import { findBeats } from './find-beats';
import { findRhythm } from './find-rhythm';
import { Laps } from './laps';
import { readLeads } from './leads';
import { AnalysisHelper } from './parallel';
import { analysisCacheKey, planAnalysis, withPlanNotes, type AnalysisPlan } from './plan';
import { keepLiveLeads } from './live-leads';
import { ProgressTracker } from './progress';
import { recordContentHash, recordFiles, recordName, startDetection } from './record';
import { applyThreshold } from './apply-threshold';
import { openBeatScorer, ventricularByArgmax, type BeatScorer } from './score-beats';
import type { AnalysisRun, AnalyzeHooks, AnalyzeSettings } from './settings';
import { effectivePreference } from '../inference';
import type { RhythmScores } from './rhythm-scores';

export { RULES_VERSION } from './plan';
export { NOTE_MIN_PV } from './score-beats';
export type { AnalyzeSettings, AnalyzeHooks, RhythmRaw } from './settings';

/**
 * Shortest record that shares its work with a helper worker: starting one from the TypeScript
 * sources costs about 0.8 s CPU here (tsx; the Electron bundle compiles nothing), more than its
 * share of a 30-minute record, but hidden behind the beat branch from a few hours on.
 */
export const PARALLEL_MIN_SEC = 3 * 3600;

/** Analyses one record. Throws CancelledError when cancelled, WfdbError etc. on a bad record. */
export async function analyzeRecord(recordPath: string, settings: AnalyzeSettings = {}, hooks: AnalyzeHooks = {}): Promise<Analysis> {
  const run: AnalysisRun = { settings, hooks, p: ruleParams(settings.rules), prog: new ProgressTracker(hooks.onProgress), laps: new Laps() };
  run.prog.report('open', 0);
  // a recording cut short is analysed over what it holds (the review UI opens it the same way)
  const rec = await openAvailable(recordPath);
  let helper: AnalysisHelper | null = null;
  let scorer: BeatScorer | null = null;
  try {
    // started first, so that its start-up overlaps the plan and the read
    if (settings.parallel ?? rec.nFrames / rec.fs >= PARALLEL_MIN_SEC) helper = new AnalysisHelper();
    const planned = await planAnalysis(rec, recordPath, settings);
    run.laps.lap('openMs');
    run.prog.report('hash', 0);
    // the cache needs the hash first; without one, the helper hashes last of its tasks
    const hashHere = planned.cacheDir || !helper ? recordContentHash(rec, recordPath) : null;
    hashHere?.catch(() => undefined); // awaited below; not unhandled if a stage fails first
    if (planned.cacheDir) {
      const recordHash = await hashHere!;
      run.laps.lap('hashMs');
      throwIfCancelled(hooks.cancel);
      const cached = await cachedAnalysis(planned, analysisCacheKey(planned, recordHash, run.p), run);
      if (cached) return withPlanNotes(cached, planned);
    }
    // a lead flat for most of the record is left out here: the plan then reads the other alone
    const { leads, plan } = keepLiveLeads(await readLeads(rec, recordPath, planned, run, helper), planned);
    const detection = plan.source === 'detector' ? startDetection(leads.signals, plan.fs, helper) : null;
    const helped = helper ? helperTasks(helper, leads, plan, run) : { quality: null, rhythm: null };
    // the helper's hash, or (it failed) one made here once it is needed: not on a cancel or a failure
    const hashJob = hashHere ? null : helper!.hash(recordFiles(rec, recordPath));
    scorer = await openBeatScorer(plan.beat, run);
    const beats = await findBeats(recordPath, leads.signals, plan, run, scorer, detection, helper);
    const scores = await scorer.finish(beats);
    await checkpoint(hooks.cancel);
    const ventricular = ventricularByArgmax(scores.probs, beats.sample.length);
    const quality = (await helped.quality) ?? qualityOfLeads(leads.signals, leads.names, plan.fs);
    await checkpoint(hooks.cancel);
    const unreadable = unreadableEpisodes(quality, plan.fs, plan.nFrames);
    const readable = readableIntervals(beats.sample, unreadable);
    const rhythm = await findRhythm(
      plan,
      { signal: leads.signals[0]!, sample: beats.sample, ventricular, readable, scoresJob: helped.rhythm, quality: quality[0]!.flags },
      run
    );
    await checkpoint(hooks.cancel);
    const final = finishEpisodes(plan, beats, scores, rhythm, ventricular, unreadable, run);
    const recordHash = await (hashHere ?? hashJob!.catch(() => recordContentHash(rec, recordPath)));
    const id = { record: recordName(recordPath), recordHash, cacheKey: analysisCacheKey(planned, recordHash, run.p) };
    return withPlanNotes(await assemble(id, plan, beats, scores, rhythm, final, run), plan);
  } finally {
    helper?.stop();
    await scorer?.release();
    await rec.close();
  }
}

/** The helper's share after the QRS chunks: the leads' signal quality, then the rhythm model (null: computed here). */
function helperTasks(helper: AnalysisHelper, leads: Leads, plan: AnalysisPlan, run: AnalysisRun) {
  const quality = helper.quality(leads.signals, leads.names, plan.fs).catch(() => null);
  const { settings, hooks } = run;
  // an injected CUDA probe (tests) exists on this thread only
  const rhythm: Promise<RhythmScores> | null =
    'model' in plan.rhythm && !hooks.probe
      ? helper.rhythm(leads.signals[0]!, plan.fs, {
          model: plan.rhythm.model,
          provider: effectivePreference(settings.provider),
          strideSec: plan.rhythmStrideSec,
          threads: settings.threads,
          batch: settings.rhythmBatch,
        })
      : null;
  return { quality, rhythm };
}

/** The cached analysis, re-labelled at the threshold asked for; null on a miss or with the cache off. */
async function cachedAnalysis(plan: AnalysisPlan, cacheKey: string, run: AnalysisRun): Promise<Analysis | null> {
  if (!plan.cacheDir) return null;
  const hit = await readCache(plan.cacheDir, cacheKey);
  if (!hit) return null;
  run.laps.lap('cacheMs');
  let out: Analysis;
  try {
    out = applyThreshold(hit, run.settings.threshold ?? hit.threshold, run.p);
  } catch {
    return null; // an entry that parses but does not hold together (its arrays of other lengths): a miss, made again
  }
  // the reader's warnings are this opening's (a cache entry made before they were kept has none)
  const { recordWarnings: _w, ...rest } = out;
  return {
    ...rest,
    ...(plan.warnings.length ? { recordWarnings: plan.warnings } : {}),
    fromCache: true,
    timingsMs: { ...hit.timingsMs, cacheReadMs: run.laps.sinceStart() },
  };
}

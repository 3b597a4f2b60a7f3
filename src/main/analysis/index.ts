// The analysis pipeline and its plumbing: one record → one Analysis, off the main thread,
// cached on disk, re-labelled at any threshold from cached probabilities.
export { analyzeRecord, RULES_VERSION, type AnalyzeSettings, type AnalyzeHooks, type RhythmRaw } from './pipeline';
export { applyThreshold, isThresholdEpisode, isRecutEpisode } from './apply-threshold';
export { summarize, heartRates, coveredSec } from './summary';
export { cacheKey, defaultCacheDir, encodeAnalysis, decodeAnalysis, readCache, writeCache, CACHE_FORMAT } from './cache';
export { analyzeInWorker, AnalysisWorker, CANCEL_GRACE_MS, type WorkerRun } from './spawn';
export { AnalysisJobs } from './jobs';
export { STAGES, type ProgressEvent, type ProgressListener } from './progress';
export { rhythmEpisodes, episodeTypeOf, confirmAfByRr, modelEpisodeOptions, smoothProbs, type RhythmEpisodeOptions } from './rhythm';
export { recordContentHash, referenceBeats, hasReference, recordName } from './record';

// Signal quality: per-second flags per lead and the unreadable stretches decisions leave out.
export { QUALITY, DEFAULT_QUALITY, isFlatSpan, leadQuality, qualityWords, type QualityOptions } from './sqi';
export { BRIDGE_SEC, MIN_STRETCH_SEC, clipModelNoise, qualityOfLeads, qualityOfLeadsSteps, unreadableEpisodes, type LeadFlags } from './stretches';
export { gateAfByQuality } from './gate';
export { beatsInside, isModelNoise, readableIntervals } from './intervals';
export { DEAD_LEAD_SHARE, deadLead, flatShare, missingShare } from './dead-lead';
export { flatWindows, withoutRhythm } from './flat-windows';

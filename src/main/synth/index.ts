// Synthetic ECG with ground truth: scenario + seed → 2-lead WFDB record and reference annotations.
export { synthesize, annotate, noiseRms, type SynthOptions, type SynthResult, type SynthSummary, type SynthEpisode, type SynthAnnotation } from './synthesize';
export { writeSynthRecord, signalSpecs, synthCommand, describeSummary, DEMO_RECORD } from './write';
export { SCENARIOS, DEFAULT_MINUTES, isScenario, scenarioPlan, type ScenarioName } from './scenarios';
export { buildSchedule, type ScheduledBeat, type Schedule, type BeatCode, type RhythmLabel } from './schedule';
export { createMorphologies, LEAD_NAMES, type Morphology, type MorphologySet, type Wave } from './morphology';
export { createRng, type Rng } from './prng';
export { createHrv, DEFAULT_HRV, type HrvOptions } from './hrv';
export { drawFwave, fwaveUnit, type FwaveParams } from './fwave';
export { createNoise, type NoiseOptions, type NoiseSource } from './noise';
export type { Plan, Segment, Ectopy } from './plan';

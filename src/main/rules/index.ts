// The rule-based fallback: RR-irregularity AF, VT from consecutive V beats, pauses and a
// beat-level ventricular rule. Every decision carries a confidence and an explanation.
export { DEFAULT_RULE_PARAMS, ruleParams, withScan, type RuleParams } from './params';
export { detectAfByRr, irregularity, usableIntervals, type Irregularity } from './af';
export { detectPauses } from './pause';
export { detectVtRuns, countEctopy, ventricularRuns, runRateBpm, type VRun, type EctopyCounts } from './runs';
export {
  measureBeats,
  measureShapes,
  withRhythmMeasures,
  SHAPE_BLOCK,
  classifyByRules,
  explainBeat,
  qrsWidthMs,
  type VFeatures,
  type WindowLayout,
} from './vbeat';
export { rrSeconds } from './rr';
export {
  confirmModelVt,
  confirmVtRuns,
  joinVtRuns,
  ventricularOnset,
  wideBeats,
  wideRuns,
  VT_BRIDGE_SEC,
  VF_SPARSE_BEAT_SEC,
  VF_MIN_RATE_BPM,
  VT_RUN_MIN_P,
  maxPVt,
  type RhythmVt,
  type WideRun,
} from './vt';

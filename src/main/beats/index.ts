// Beat windows + RR features: the one preprocessing of the beat model, for training and inference.
export { BEAT_FS, BEAT_WINDOW, R_INDEX, BEAT_LEADS, RR_FEATURES, N_RR, BEAT_FLAG, LEAD_OFF_MV, type RrFeature } from './constants';
export { extractBeatWindows, type BeatOptions, type BeatWindows } from './extract';
export { beatWindowStream, BEAT_GROUP, type BeatGroup, type BeatWindowStream } from './stream';
export {
  beatTemplates,
  gatherTemplates,
  templateRow,
  groupTemplates,
  templatesOfRows,
  TEMPLATE_BLOCK,
  TEMPLATE_MAX_BEATS,
  TEMPLATE_MIN_BEATS,
  TEMPLATE_PREMATURE,
  type BeatTemplates,
} from './template';
export { rrFeatures, type RrOptions } from './rr';
export { intervalsOverLeadOff, LEAD_OFF_RUN_SEC } from './gaps';
export { matchNearest } from './match';
export { BeatsError } from './errors';
export {
  applyLeadInput,
  defaultThresholdOf,
  modelInputFor,
  singleLeadInputOf,
  singleLeadModelInput,
  singleLeadPolarityOf,
  type SingleLeadInput,
  type SingleLeadPolarity,
} from './single-lead';
export { applySupraventricularRule, supraventricularRuleOf, type SupraventricularRule } from './supraventricular';

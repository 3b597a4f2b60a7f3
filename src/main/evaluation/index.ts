// ANSI/AAMI EC57 evaluation: beat by beat (WFDB bxb, sumstats) and episode by episode (WFDB epic).
export { aamiClassOf, bxbClassOf, isBeatCode, CLASS_CODE } from './labels';
export { LABELS, emptyMatrix, addMatrix, standardTable, type ConfusionMatrix, type MatrixLabel } from './matrix';
export {
  compareBeats,
  secondsToSamples,
  type AnnotationLike,
  type BeatLike,
  type AnnotationColumns,
  type AnnotationInput,
  type CompareOptions,
  type RecordComparison,
  type BeatPair,
} from './bxb';
export {
  beatStats,
  classStat,
  qrsStat,
  lineColumns,
  shutdownStats,
  sumStats,
  type Stat,
  type ClassStat,
  type BeatStats,
  type LineColumns,
  type ShutdownStats,
  type Average,
  type AverageStats,
  type Summary,
} from './stats';
export {
  formatBxbReport,
  formatLine,
  formatShutdownLine,
  formatSumStats,
  formatClassTable,
  formatEpisodeLine,
  formatEpisodeSummary,
  cFixed,
  LINE_HEADER,
  SHUTDOWN_HEADER,
  EPISODE_HEADER,
} from './format';
export { EvaluationError } from './errors';
export {
  compareEpisodes,
  compareRhythm,
  episodesFromAnnotations,
  sumEpisodes,
  unionEpisodes,
  type EpisodeInterval,
  type RhythmAnnotation,
  type EpisodeKind,
  type EpisodeOptions,
  type EpisodeComparison,
  type EpisodeCount,
  type DurationRatio,
  type EpisodeSummary,
} from './epic';
export { matrixJson, recordJson, summaryJson, type EvaluationJson, type RecordJson, type MatrixJson, type StatsJson } from './json';
export { rescore } from './rescore';

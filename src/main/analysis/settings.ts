// What an analysis is asked to do (settings) and what a caller may hook into (hooks).
import type { BeatChoice, Episode } from '../../shared/analysis';
import type { CancelToken, CudaProbe, ProviderPreference } from '../inference';
import type { RuleParams } from '../rules';
import type { Laps } from './laps';
import type { ProgressListener, ProgressTracker } from './progress';

export interface AnalyzeSettings {
  beats?: BeatChoice;
  /** PVC operating threshold; default: the beat model's defaultThreshold, 0.5 for the rules. */
  threshold?: number;
  provider?: ProviderPreference;
  /** Use the rule-based fallback for both tasks even when models exist. */
  useRules?: boolean;
  rules?: Partial<RuleParams>;
  modelsDir?: string;
  registryDir?: string;
  /** Cache folder; null disables the cache. Default HEARTBEAT_CACHE_DIR or ~/.cache/heartbeat-sensei. */
  cacheDir?: string | null;
  beatBatch?: number;
  rhythmBatch?: number;
  threads?: number;
  /** Signal numbers to analyse (e.g. [0]: that lead alone, the single-lead path); default the record's ECG leads (analysedLeads). */
  leads?: number[];
  /** Rhythm windows on a helper worker, concurrently with the beat branch (default: records of PARALLEL_MIN_SEC or longer). */
  parallel?: boolean;
}

export interface AnalyzeHooks {
  cancel?: CancelToken;
  onProgress?: ProgressListener;
  /** Injected CUDA probe (tests). */
  probe?: () => CudaProbe;
  /** The rhythm model's raw output and the RR rule's AF, before episodes are cut (tuning: scripts/tune-episodes.ts). */
  onRhythm?: (r: RhythmRaw) => void;
}

export interface RhythmRaw {
  probs: Float32Array;
  classes: string[];
  startSample: Int32Array;
  windowSamples: number;
  windowSec: number;
  nFrames: number;
  fs: number;
  /** AF episodes of the RR rule (ventricular beats excluded). */
  rrAf: Episode[];
}

/** One analysis under way: what every stage reads (settings, rule parameters) and reports to. */
export interface AnalysisRun {
  settings: AnalyzeSettings;
  hooks: AnalyzeHooks;
  p: RuleParams;
  prog: ProgressTracker;
  laps: Laps;
}

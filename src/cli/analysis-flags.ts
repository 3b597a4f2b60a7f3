// The flags that say how a record is analysed, shared by `analyze` and `report` (which analyses the
// record the same way when no review is given): their specs for parseArgs and the settings they make.
import { resolve } from 'node:path';
import { BeatChoice, BeatSource } from '../shared/analysis';
import type { AnalyzeSettings } from '../main/analysis';
import { numberFlag, stringFlag, type FlagSpec, type Parsed } from './args';
import { CliError } from './errors';

/** Older spellings of --beats, still accepted: the model cards' and docs' commands say `--beats atr|detect`. */
const BEAT_ALIASES: Readonly<Record<string, BeatSource>> = { atr: 'reference', detect: 'detector' };

/** --beats as a BeatChoice ('auto' only where `choices` has it), its aliases read as the words they stand for. */
export function beatsFlag<T extends BeatChoice>(p: Parsed, fallback: T, choices: readonly T[]): T {
  const flag = stringFlag(p, 'beats', fallback)!;
  const beats = (BEAT_ALIASES[flag] ?? flag) as T;
  if (!choices.includes(beats)) throw new CliError(`--beats must be ${choices.join(', ')} (or atr, detect), got "${flag}"`);
  return beats;
}

export const ANALYSIS_FLAGS: Record<string, FlagSpec> = {
  threshold: { type: 'string' },
  beats: { type: 'string' },
  provider: { type: 'string' },
  rules: { type: 'boolean' },
  'no-cache': { type: 'boolean' },
  'cache-dir': { type: 'string' },
  models: { type: 'string' },
  registry: { type: 'string' },
};

/** AnalyzeSettings from the analysis flags, each checked (a CliError names a bad one). */
export function analysisSettings(p: Parsed): AnalyzeSettings {
  const threshold = numberFlag(p, 'threshold');
  if (threshold !== undefined && !(threshold >= 0 && threshold <= 1)) throw new CliError(`--threshold must be within [0, 1], got ${threshold}`);
  const beats = beatsFlag(p, 'auto', BeatChoice.options);
  const provider = stringFlag(p, 'provider', 'auto')!;
  if (provider !== 'auto' && provider !== 'cpu' && provider !== 'cuda') throw new CliError(`--provider must be auto, cpu or cuda, got "${provider}"`);
  return {
    beats,
    provider,
    useRules: p.flags.rules === true,
    ...(threshold !== undefined ? { threshold } : {}),
    ...(p.flags['no-cache'] === true ? { cacheDir: null } : stringFlag(p, 'cache-dir') ? { cacheDir: resolve(stringFlag(p, 'cache-dir')!) } : {}),
    ...(stringFlag(p, 'models') ? { modelsDir: resolve(stringFlag(p, 'models')!) } : {}),
    // A fine-tune registry (src/main/finetune) whose active version replaces the shipped model; none by default.
    ...(stringFlag(p, 'registry') ? { registryDir: resolve(stringFlag(p, 'registry')!) } : {}),
  };
}

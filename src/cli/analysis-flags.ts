// The flags that say how a record is analysed, shared by `analyze` and `report` (which analyses the
// record the same way when no review is given): their specs for parseArgs and the settings they make.
import { resolve } from 'node:path';
import type { AnalyzeSettings } from '../main/analysis';
import { numberFlag, stringFlag, type FlagSpec, type Parsed } from './args';
import { CliError } from './errors';

const BEATS = { atr: 'reference', reference: 'reference', detect: 'detector', detector: 'detector', auto: 'auto' } as const;

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
  const beatsFlag = stringFlag(p, 'beats', 'auto')!;
  const beats = BEATS[beatsFlag as keyof typeof BEATS];
  if (!beats) throw new CliError(`--beats must be atr, detect or auto, got "${beatsFlag}"`);
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

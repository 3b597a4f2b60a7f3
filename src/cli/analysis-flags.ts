// The flags that say how a record is analysed, shared by `analyze` and `report` (which analyses the
// record the same way when no review is given): their specs for parseArgs and the settings they make.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { BeatChoice, BeatSource } from '../shared/analysis';
import type { AnalyzeSettings } from '../main/analysis';
import { checkFitsTask, planTask, type TaskPlan } from '../main/analysis/plan';
import { defaultModelsDir, loadCatalog, openModel } from '../main/inference';
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

/**
 * The model (or the rules) each task of an analysis with these settings gets, planned once per call
 * (analyze's --skip-done key holds them). A --models or --registry folder named on the command line
 * whose models cannot be used is bad input: the analysis would quietly fall back on the rules (as the
 * app does when its own models are missing) and exit 0 with another method than the one asked for.
 * A task the folder lists no model for (a fold's beat model alone) is still the rules'.
 */
export async function chosenModels(settings: AnalyzeSettings): Promise<TaskPlan[]> {
  const plans = await Promise.all([planTask('beat', settings), planTask('rhythm', settings)]);
  const { modelsDir, registryDir } = settings;
  if (settings.useRules || (modelsDir === undefined && registryDir === undefined)) return plans;
  const given = [modelsDir && `--models ${modelsDir}`, registryDir && `--registry ${registryDir}`].filter(Boolean).join(' ');
  if (registryDir !== undefined && !existsSync(join(registryDir, 'manifest.json'))) throw new CliError(`${given}: no manifest.json in ${registryDir}`);
  const cat = await loadCatalog(modelsDir ?? defaultModelsDir(), registryDir);
  if (cat.general) throw new CliError(`${given}: ${cat.general}`);
  for (const p of plans) {
    try {
      // opened once here: a file with the manifest's hash that ONNX Runtime cannot load, of other inputs
      // than its manifest's, or of inputs the preprocessing does not make (another window length)
      if ('model' in p) {
        const m = await openModel(p.model, { provider: 'cpu', threads: 1 });
        try {
          checkFitsTask(p.task, m);
        } finally {
          await m.session.release();
        }
      } else if (!cat.unlisted.includes(p.task)) throw new Error(p.reason);
    } catch (e) {
      throw new CliError(`${given}: ${(e as Error).message}`);
    }
  }
  return plans;
}

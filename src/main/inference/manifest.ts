// models/manifest.json: the only place that says which model files exist, their hashes,
// inputs/outputs, classes and default threshold. Fine-tuned versions live in a registry folder
// with a manifest of the same shape; an entry there overrides the shipped one for its task when
// the registry's manifest names it in `active`.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import * as z from '../../shared/zod';
import { ConsensusRule } from '../beats/consensus';
import { ModelError } from './errors';
import { envSetting } from '../app/env';

export const TensorSpec = z.object({
  name: z.string().check(z.minLength(1)),
  /** Dimensions: numbers, or a string/null for a symbolic (batch) axis. */
  shape: z.array(z.union([z.int(), z.string(), z.null()])),
  dtype: z._default(z.string(), 'float32'),
});
export type TensorSpec = z.infer<typeof TensorSpec>;

/**
 * Whether a manifest's file name or version id names a file in the manifest's own folder: no path
 * (`../x.onnx`, `/x`, `C:x`, `sub/x`). A version's file is named after its id and deleted with it
 * (models:delete): a copied or shared registry could otherwise have the app write or delete any file.
 */
export function isPlainName(name: string): boolean {
  return name !== '' && name !== '.' && name !== '..' && !/[/\\:\0]/.test(name);
}
const PlainName = z.string().check(z.refine(isPlainName, { message: "a file name in the manifest's own folder, not a path" }));

export const ModelEntry = z.looseObject({
  id: PlainName,
  task: z.string().check(z.minLength(1)),
  version: z.string().check(z.minLength(1)),
  file: PlainName,
  sha256: z.string().check(z.regex(/^[0-9a-f]{64}$/i)),
  inputs: z.array(TensorSpec).check(z.minLength(1)),
  outputs: z.array(TensorSpec).check(z.minLength(1)),
  fs: z.optional(z.number().check(z.positive())),
  classes: z._default(z.array(z.string()), []),
  defaultThreshold: z.optional(z.number().check(z.minimum(0), z.maximum(1))),
  /**
   * Beat models: the threshold for records analysed with one lead (less evidence than two, so the
   * same false-alarm budget needs a threshold of its own); default: defaultThreshold.
   */
  singleLeadThreshold: z.optional(z.number().check(z.minimum(0), z.maximum(1))),
  /** Beat models: lead 1 of a single-lead record, a copy of lead 0 (default) or zeros (src/main/beats/single-lead.ts). */
  singleLeadInput: z.optional(z.enum(['copy', 'zeros'])),
  /**
   * Beat models: the polarity of a single-lead record's lead as the model gets it, as recorded
   * (default) or turned so that its dominant beat's QRS points up or down (src/main/beats/single-lead.ts).
   */
  singleLeadPolarity: z.optional(z.enum(['as-recorded', 'qrs-up', 'qrs-down'])),
  /**
   * Beat models: when the model is unsure of a record. `share` of beats whose most probable class
   * is below `level` (src/main/analysis/confidence.ts); above `alert` (chosen on out-of-fold
   * records) the analysis says so.
   */
  ambiguity: z.optional(z.object({ level: z.number().check(z.gt(0), z.lt(1)), alert: z.number().check(z.minimum(0), z.maximum(1)) })),
  /** Beat models: S calls after the rhythm is known (src/main/beats/supraventricular.ts). */
  supraventricular: z.optional(z.object({ sOffset: z.number().check(z.minimum(-10), z.maximum(10)), notInAf: z.boolean() })),
  /** Beat models: P(V) of unsure beats pulled towards their morphology family's (src/main/beats/consensus.ts). */
  consensus: z.optional(ConsensusRule),
});
export type ModelEntry = z.infer<typeof ModelEntry>;

const ManifestFile = z.looseObject({
  models: z.array(z.unknown()),
  /** task → model id active for it (registry manifests). */
  active: z.optional(z.record(z.string(), z.string())),
});

export type Task = 'beat' | 'rhythm';

/** The task a manifest entry serves ("beat", "beat-pvc" → beat; "rhythm" → rhythm). */
export function taskOf(e: Pick<ModelEntry, 'task'>): Task | null {
  const t = e.task.toLowerCase();
  if (t.startsWith('beat') || t === 'pvc') return 'beat';
  if (t.startsWith('rhythm')) return 'rhythm';
  return null;
}

export interface ResolvedModel {
  entry: ModelEntry;
  /** Absolute path of the ONNX file. */
  path: string;
}

/** What the manifest(s) offer per task, or why a task has nothing. */
export interface ModelCatalog {
  models: Partial<Record<Task, ResolvedModel>>;
  problems: Partial<Record<Task, string>>;
  /** Problems not tied to one task (unreadable manifest). */
  general?: string;
  /** Tasks no manifest lists a model for (not an invalid entry): the rules answer them. */
  unlisted: Task[];
}

/**
 * Python's json module writes NaN and ±Infinity (e.g. an undefined metric) as bare tokens, which
 * JSON does not allow; outside strings they are read as null rather than rejecting the manifest.
 */
export function pythonJsonToJson(text: string): string {
  let out = '';
  let from = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === 'N' || c === 'I' || c === '-') {
      const m = /^(?:NaN|-?Infinity)/.exec(text.slice(i, i + 9));
      if (m) {
        out += text.slice(from, i) + 'null';
        i += m[0].length - 1;
        from = i + 1;
      }
    }
  }
  return out + text.slice(from);
}

async function readManifest(file: string): Promise<z.infer<typeof ManifestFile>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new ModelError('MANIFEST', file, `cannot read the model manifest (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(pythonJsonToJson(text));
  } catch (e) {
    throw new ModelError('MANIFEST', file, `the model manifest is not valid JSON (${(e as Error).message})`);
  }
  const parsed = ManifestFile.safeParse(json);
  if (!parsed.success) throw new ModelError('MANIFEST', file, `the model manifest has no "models" array`);
  return parsed.data;
}

function collect(doc: z.infer<typeof ManifestFile>, file: string, into: ModelCatalog, onlyActive: boolean): void {
  const dir = dirname(file);
  for (const raw of doc.models) {
    const parsed = ModelEntry.safeParse(raw);
    const id = typeof raw === 'object' && raw && 'id' in raw ? String((raw as { id: unknown }).id) : '?';
    if (!parsed.success) {
      const task = typeof raw === 'object' && raw && 'task' in raw ? taskOf({ task: String((raw as { task: unknown }).task) }) : null;
      const why = `manifest entry "${id}" in ${file} is invalid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`;
      if (task) into.problems[task] = why;
      continue;
    }
    const task = taskOf(parsed.data);
    if (!task) continue;
    if (onlyActive && doc.active?.[task] !== parsed.data.id) continue;
    into.models[task] = { entry: parsed.data, path: resolve(dir, parsed.data.file) };
    delete into.problems[task];
  }
}

/** Models per task from the shipped manifest, overridden by the registry's active versions. */
export async function loadCatalog(modelsDir: string, registryDir?: string): Promise<ModelCatalog> {
  const cat: ModelCatalog = { models: {}, problems: {}, unlisted: [] };
  const shipped = join(modelsDir, 'manifest.json');
  try {
    collect(await readManifest(shipped), shipped, cat, false);
  } catch (e) {
    cat.general = (e as Error).message;
  }
  const reg = registryDir ? join(registryDir, 'manifest.json') : undefined;
  if (reg && existsSync(reg)) {
    try {
      collect(await readManifest(reg), reg, cat, true);
    } catch (e) {
      cat.general = (cat.general ? cat.general + '; ' : '') + (e as Error).message;
    }
  }
  for (const t of ['beat', 'rhythm'] as const)
    if (!cat.models[t] && !cat.problems[t]) {
      cat.problems[t] = cat.general ?? `no ${t} model listed in ${shipped}`;
      cat.unlisted.push(t);
    }
  return cat;
}

/** models/ of the app: HEARTBEAT_MODELS_DIR, else the nearest models/ above this module (source or bundle). */
export function defaultModelsDir(): string {
  const models = envSetting('HEARTBEAT_MODELS_DIR');
  if (models) return resolve(models);
  let dir = import.meta.dirname;
  for (let i = 0; i < 6; i++) {
    const cand = join(dir, 'models');
    if (existsSync(join(cand, 'manifest.json'))) return cand;
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return resolve(import.meta.dirname, '../../../models');
}
